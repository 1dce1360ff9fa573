"""The protocol's `using-graph-uri` / `using-named-graph-uri`, written into the update.

SPARQL 1.1 Protocol 2.2.3: these parameters give the dataset of every operation that has a
WHERE clause, as USING / USING NAMED would, and an update that names its own (USING, USING
NAMED or WITH) is refused. The engine takes no such parameters, so each DELETE/INSERT …
WHERE operation gets the USING clauses before its WHERE; a `DELETE WHERE { P }` becomes the
`DELETE { P } USING … WHERE { P }` that the Update spec defines it as. Read from the
update's tokens (`lcgraph.sparql.lexer`), so strings, IRIs and comments are never touched.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from lcgraph.errors import QueryError
from lcgraph.sparql.lexer import Token, has_escapes, spans


class DatasetConflict(QueryError):
    """The request gives a dataset twice, or one the update cannot take."""

    status = 400


def with_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """`update` with the protocol's dataset written in as USING clauses (see module doc)."""
    if not using and not using_named:
        return update
    if has_escapes(update):
        raise DatasetConflict(
            "using-graph-uri / using-named-graph-uri cannot be applied to an update with "
            "\\u escapes: write the USING clauses into the update instead"
        )
    clauses = " ".join(
        [f"USING {_iri(g)}" for g in using] + [f"USING NAMED {_iri(g)}" for g in using_named]
    )
    tokens = spans(update)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in text order
    depth, operation_start = 0, 0
    for index, (token, _, _) in enumerate(tokens):
        if token.text in ("{", "}"):
            depth += 1 if token.text == "{" else -1
        elif depth == 0 and token.text == ";":
            operation_start = index + 1
        elif depth == 0 and token.kind == "word":
            keyword = token.text.upper()
            if keyword in ("USING", "WITH"):
                raise DatasetConflict(
                    f"the update has {keyword} and the request using-graph-uri / "
                    "using-named-graph-uri: give the dataset one way (SPARQL 1.1 Protocol 2.2.3)"
                )
            if keyword == "WHERE":
                edits.append(_where_edit(update, tokens, operation_start, index, clauses))
    for start, end, replacement in reversed(edits):
        update = update[:start] + replacement + update[end:]
    return update


def _where_edit(
    text: str, tokens: list[tuple[Token, int, int]], first: int, where: int, clauses: str
) -> tuple[int, int, str]:
    """The edit that puts `clauses` before the WHERE at `tokens[where]`."""
    start = tokens[where][1]
    previous = tokens[where - 1][0].text.upper() if where > first else ""
    if previous != "DELETE":  # DELETE/INSERT {…} WHERE: the clauses go before WHERE
        return start, start, clauses + " "
    block_end = _block_end(tokens, where + 1)
    pattern = text[tokens[where + 1][1] : block_end]
    return tokens[where - 1][1], block_end, f"DELETE {pattern} {clauses} WHERE {pattern}"


def _block_end(tokens: list[tuple[Token, int, int]], opening: int) -> int:
    """The offset just after the `}` that closes the `{` at `tokens[opening]`."""
    depth = 0
    for token, _, end in tokens[opening:]:
        depth += {"{": 1, "}": -1}.get(token.text, 0)
        if depth == 0:
            return end
    raise DatasetConflict("the update's DELETE WHERE block is not closed")


def _iri(graph: str) -> str:
    try:
        return str(NamedNode(graph))
    except ValueError as err:
        raise DatasetConflict(f"using-graph-uri {graph!r} is not an absolute IRI") from err

"""Recognize queries whose cost is bounded by the rows they return: one triple pattern.

    is_bounded("SELECT ?p ?o WHERE { <https://w3id.org/lcgraph/id/o1> ?p ?o }")  # True

A query of a single triple pattern is one index scan in Oxigraph (its indexes cover every
combination of bound positions), and the engine yields its solutions lazily: pulling N rows
costs N index steps, never more. So such a query can run in the service process itself and
be stopped after a fixed number of rows, with no need for a worker process that can be
killed at the deadline; that saves the worker round trip on the commonest request, the point
lookup. Everything that can make the engine work without yielding rows is refused: joins,
FILTER, OPTIONAL, paths, DISTINCT, ORDER BY, GROUP BY, OFFSET, subqueries, SERVICE, FROM,
blank nodes, and a variable used twice in the pattern (`?x ?p ?x` scans the whole store to
find a row). The test is conservative: it accepts only

    Prologue (SELECT (* | ?v+) [WHERE] | ASK [WHERE] | CONSTRUCT WHERE)
        { subject verb object [.] } [LIMIT n]

with constants (IRIs, prefixed names; literals as objects) and distinct variables, and a text
without `\\u` escapes (SPARQL decodes them before parsing, so they could hide a token).
The test walks the query's tokens (`lcgraph.sparql.lexer`), the same ones every other
reader of a query sees. Anything else runs in a worker as usual; a text accepted here that
the engine then finds malformed still gets the engine's syntax error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lcgraph.sparql.lexer import Token, has_escapes, keyword, tokenize_until
from lcgraph.sparql.reading import read_prologue

_TERMS = ("iri", "pname", "var")
# symbols that no bounded query has outside its strings: reading stops at the first
_NEVER = frozenset(";,()[]|/")


@dataclass
class BoundedQuery:
    """What the test read: the form, the projection, the pattern and the declarations."""

    form: str = ""  # SELECT, ASK or CONSTRUCT
    projection: list[str] | None = None  # variable names; None for SELECT *
    # subject, verb, object: kinds iri, pname, var, word (`a`) or literal (the object)
    pattern: tuple[Token, ...] = ()
    limit: int | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # "lc:" -> IRI text as written
    has_base: bool = False


def is_bounded(text: str) -> bool:
    """True when `text` is a single-triple-pattern query of the shape above."""
    return read_bounded(text) is not None


def read_bounded(text: str) -> BoundedQuery | None:
    """The query's parts when it is a single-triple-pattern query, else None."""
    if has_escapes(text):
        return None
    tokens = tokenize_until(text, _NEVER)
    prologue = read_prologue(tokens)
    read = BoundedQuery(prefixes=prologue.prefixes, has_base=prologue.base is not None)
    i = _form(tokens, prologue.end, read)
    if i is None or (i := _pattern(tokens, i, read)) is None:
        return None
    if i < len(tokens) and keyword(tokens[i]) == "LIMIT":
        if read.form == "ASK" or i + 1 >= len(tokens) or not tokens[i + 1].text.isdigit():
            return None
        read.limit, i = int(tokens[i + 1].text), i + 2
    return read if i == len(tokens) else None


def _form(tokens: list[Token], i: int, read: BoundedQuery) -> int | None:
    """Index of the `{` after SELECT (* | ?v+) [WHERE], ASK [WHERE] or CONSTRUCT WHERE."""
    n = len(tokens)
    read.form = keyword(tokens[i]) if i < n else ""
    i += 1
    if read.form == "SELECT":
        if i < n and tokens[i].text == "*" and tokens[i].kind == "punct":
            i += 1
        else:
            read.projection = []
            while i < n and tokens[i].kind == "var":
                read.projection.append(tokens[i].text[1:])
                i += 1
            if not read.projection:
                return None
    elif read.form == "CONSTRUCT":
        if i >= n or keyword(tokens[i]) != "WHERE":
            return None
    elif read.form != "ASK":
        return None
    if i < n and keyword(tokens[i]) == "WHERE":
        i += 1
    return i if i < n and tokens[i].text == "{" and tokens[i].kind == "punct" else None


def _pattern(tokens: list[Token], i: int, read: BoundedQuery) -> int | None:
    """Index after the `}` of `{ s p o [.] }` at tokens[i] (the `{`)."""
    if i + 4 >= len(tokens):
        return None
    s, p = tokens[i + 1], tokens[i + 2]
    if s.kind not in _TERMS or not (p.kind in _TERMS or (p.kind == "word" and p.text == "a")):
        return None
    o, i = _object(tokens, i + 3)
    if o is None or i >= len(tokens):
        return None
    names = [t.text[1:] for t in (s, p, o) if t.kind == "var"]  # ?x and $x are one variable
    if len(set(names)) < len(names):
        return None
    if tokens[i].text == "." and i + 1 < len(tokens):
        i += 1
    if tokens[i].text != "}" or tokens[i].kind != "punct":
        return None
    read.pattern = (s, p, o)
    return i + 1


def _object(tokens: list[Token], i: int) -> tuple[Token | None, int]:
    """The object at tokens[i] (a literal as one token) and the index after it."""
    o = tokens[i]
    if o.kind in _TERMS or o.kind == "number":
        return (o if o.kind != "number" else Token("literal", o.text, o.start)), i + 1
    if o.kind == "word" and o.text.lower() in ("true", "false"):
        return Token("literal", o.text, o.start), i + 1
    if o.kind != "string":
        return None, i
    end = i + 1
    if end < len(tokens) and tokens[end].kind == "langtag":
        end += 1
    elif end + 1 < len(tokens) and tokens[end].text == "^^":
        if tokens[end + 1].kind not in ("iri", "pname"):
            return None, i
        end += 2
    text = "".join(t.text for t in tokens[i:end])  # "7"^^<type>, "zeven"@nl
    return Token("literal", text, o.start), end

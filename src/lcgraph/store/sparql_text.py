"""Query text for a store that receives text only: PREFIX prologues and typed VALUES blocks.

A remote server cannot take pyoxigraph's `prefixes=` or `substitutions=`, so they travel in
the query. Values are written only as pyoxigraph terms' N-Triples form (IRIs checked by
`NamedNode`, literals escaped by `Literal`), never spliced from strings, in a VALUES block
at the start of the outermost group, where they bind before anything else is evaluated.
Named queries use the same functions for remote stores.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Variable

from lcgraph.errors import QueryError

Term = NamedNode | Literal | BlankNode

# What can hide a `{` before the WHERE clause: IRIs, strings and comments.
_SKIP_OR_BRACE = re.compile(
    r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|\{"""
)


def with_prologue(sparql: str, prefixes: Mapping[str, str] | None) -> str:
    """`sparql` with `PREFIX p: <iri>` lines first; the query's own declarations win."""
    if not prefixes:
        return sparql
    lines = [f"PREFIX {name}: {NamedNode(iri)}" for name, iri in prefixes.items()]
    return "\n".join([*lines, sparql])


def values_block(bindings: Mapping[Variable, Term] | None) -> str:
    """`VALUES (?a ?b) { (<iri> "text"^^<type>) }` for the bindings; "" when there are none."""
    if not bindings:
        return ""
    names = " ".join(str(variable) for variable in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({values}) }}"


def inline_values(sparql: str, bindings: Mapping[Variable, Term] | None) -> str:
    """`sparql` with `values_block(bindings)` at the start of its outermost group.

    Raises QueryError when the query has no group (`{`) to hold the block.
    """
    block = values_block(bindings)
    if not block:
        return sparql
    for match in _SKIP_OR_BRACE.finditer(sparql):
        if match.group(0) == "{":
            at = match.end()
            return f"{sparql[:at]}\n  {block}\n{sparql[at:]}"
    raise QueryError("the query has no group pattern to put a VALUES block in")


_PROLOGUE = re.compile(r"""\s+|#[^\n]*|(?i:PREFIX)\s*[\w.-]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>""")


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue ("" if none).

    The server answers each form in different media types, so the Accept header depends
    on it (Virtuoso even answers a CONSTRUCT as a table when results are acceptable).
    """
    at = 0
    while (match := _PROLOGUE.match(sparql, at)) is not None and match.end() > at:
        at = match.end()
    word = re.match(r"[A-Za-z]+", sparql[at:])
    return word.group(0).upper() if word else ""

"""Query text for a store that receives text only: PREFIX prologues and typed VALUES blocks.

A remote server cannot take pyoxigraph's `prefixes=` or `substitutions=`, so they travel in
the query. Values are written only as pyoxigraph terms' N-Triples form (IRIs checked by
`NamedNode`, literals escaped by `Literal`), never spliced from strings, in a VALUES block
at the start of the WHERE group, where they bind before anything else is evaluated. Both
read the query's tokens (`lcgraph.sparql.lexer`), as every reader of a query does.
Named queries use the same functions for remote stores.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Variable

from lcgraph.errors import QueryError
from lcgraph.sparql import reading
from lcgraph.sparql.lexer import tokenize
from lcgraph.sparql.reading import where_group

Term = NamedNode | Literal | BlankNode
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")  # an IRI with a scheme needs no base


def drop_silent(graph: str | None) -> str:
    """The update that drops `graph` (None: the default graph), quietly if it is not there."""
    return "DROP SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH {NamedNode(graph)}"


def with_prologue(sparql: str, prefixes: Mapping[str, str] | None) -> str:
    """`sparql` with `PREFIX p: <iri>` lines first; the query's own declarations win."""
    if not prefixes:
        return sparql
    lines = [f"PREFIX {name}: {NamedNode(iri)}" for name, iri in prefixes.items()]
    return "\n".join([*lines, sparql])


def with_base(sparql: str, base_iri: str | None) -> str:
    """`sparql` with `BASE <base_iri>` first when it has a relative IRI for it to resolve.

    Only then: the declaration takes a line, which would shift the line numbers of the
    server's syntax errors for every query.
    """
    if base_iri is None:
        return sparql
    relative = any(t.kind == "iri" and not _ABSOLUTE.match(t.text[1:-1]) for t in tokenize(sparql))
    return f"BASE {NamedNode(base_iri)}\n{sparql}" if relative else sparql


def values_block(bindings: Mapping[Variable, Term] | None) -> str:
    """`VALUES (?a ?b) { (<iri> "text"^^<type>) }` for the bindings; "" when there are none."""
    if not bindings:
        return ""
    names = " ".join(str(variable) for variable in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({values}) }}"


def inline_values(sparql: str, bindings: Mapping[Variable, Term] | None) -> str:
    """`sparql` with `values_block(bindings)` at the start of its WHERE group
    (`lcgraph.sparql.reading.where_group`: after a CONSTRUCT template, not in it).

    Raises QueryError when the query has no group to hold the block (the short form
    `CONSTRUCT WHERE { … }` holds triples only).
    """
    block = values_block(bindings)
    if not block:
        return sparql
    tokens = tokenize(sparql)
    group = where_group(tokens)
    if group is None:
        raise QueryError("the query has no group pattern to put a VALUES block in")
    at = tokens[group].end
    return f"{sparql[:at]}\n  {block}\n{sparql[at:]}"


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue ("" if none).

    The server answers each form in different media types, so the Accept header depends
    on it (Virtuoso even answers a CONSTRUCT as a table when results are acceptable).
    """
    return reading.query_form(tokenize(sparql))

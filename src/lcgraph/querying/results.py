"""Serialize query results row by row into a binary writer, cutting at a row limit.

pyoxigraph's own serializers cannot stop after N rows, so SELECT results are written one
solution at a time by the row writers of `lcgraph.querying.result_rows` (SPARQL JSON, XML,
CSV and TSV, following the W3C result formats);
booleans and graphs go through pyoxigraph. A cut is never silent: the caller gets
`(rows, truncated)` and, where the format has room for it, the body says so too (a top-level
`"lcgraph"` key in JSON, a trailing comment in XML, Turtle and N-Triples).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, TypeVar, cast

from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    serialize,
)

from lcgraph import formats
from lcgraph.querying.prologue import graph_prefixes, select_columns
from lcgraph.querying.result_rows import ROW_WRITERS, BinaryWriter, Term

# The formats each kind of result is written in, from the one table (`lcgraph.formats`)
SOLUTION_FORMATS = tuple(f.name for f in formats.serving(formats.SOLUTIONS))
BOOLEAN_FORMATS: dict[str, QueryResultsFormat] = {
    f.name: cast(QueryResultsFormat, f.engine) for f in formats.serving(formats.BOOLEAN)
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    f.name: cast(RdfFormat, f.engine) for f in formats.serving(formats.GRAPH)
}
T = TypeVar("T")


def kind_of(result: QuerySolutions | QueryBoolean | QueryTriples) -> str:
    """'solutions', 'boolean' or 'graph': which family of formats can carry `result`."""
    if isinstance(result, QuerySolutions):
        return "solutions"
    if isinstance(result, QueryBoolean):
        return "boolean"
    return "graph"


def formats_for(kind: str) -> tuple[str, ...]:
    """The format names this module can write for a result kind."""
    if kind == "solutions":
        return SOLUTION_FORMATS
    if kind == "boolean":
        return tuple(BOOLEAN_FORMATS)
    return tuple(GRAPH_FORMATS)


def choose_format(kind: str, formats: dict[str, list[str]]) -> str | None:
    """The first of the client's ranked formats for `kind` that this module writes."""
    return next((f for f in formats[kind] if f in formats_for(kind)), None)


def write_result(
    result: QuerySolutions | QueryBoolean | QueryTriples,
    fmt: str,
    out: BinaryWriter,
    max_rows: int,
    query: str = "",
    prefixes: dict[str, str] | None = None,
) -> tuple[int, bool]:
    """Write any result in `fmt` (see `choose_format`); returns (rows written, truncated).

    `query`, the text that gave `result`, orders `SELECT *` columns and adds its prefixes to
    `prefixes` (the project's) for a graph (`lcgraph.querying.prologue`).
    """
    if isinstance(result, QuerySolutions):
        return write_solutions(result, fmt, out, max_rows, query)
    if isinstance(result, QueryBoolean):
        write_boolean(result, fmt, out)
        return 0, False
    return write_triples(result, fmt, out, max_rows, graph_prefixes(query, prefixes))


def write_boolean(result: QueryBoolean, fmt: str, out: BinaryWriter) -> None:
    out.write(result.serialize(format=BOOLEAN_FORMATS[fmt]) or b"")


def write_triples(
    result: Iterable[Triple],
    fmt: str,
    out: BinaryWriter,
    max_rows: int,
    prefixes: dict[str, str] | None = None,
) -> tuple[int, bool]:
    """Write at most `max_rows` triples (0 = no limit); returns (triples written, truncated).

    `prefixes` abbreviate IRIs where the format has prefixes (Turtle, RDF/XML)."""
    counter = _Counter(max_rows)
    abbreviate = prefixes if fmt in ("turtle", "rdfxml") else None
    serialize(counter.take(result), cast(IO[bytes], out), GRAPH_FORMATS[fmt], prefixes=abbreviate)
    if counter.truncated and fmt in ("turtle", "ntriples"):
        out.write(f"\n# lcgraph: truncated at the row limit of {max_rows} triples\n".encode())
    elif counter.truncated and fmt == "rdfxml":
        out.write(f"\n<!-- lcgraph: truncated at the row limit of {max_rows} -->\n".encode())
    return counter.count, counter.truncated


def write_solutions(
    result: QuerySolutions, fmt: str, out: BinaryWriter, max_rows: int, query: str = ""
) -> tuple[int, bool]:
    """Write at most `max_rows` solutions (0 = no limit); returns (rows written, truncated).

    Columns in the order of `select_columns(query, …)`."""
    engine = [v.value for v in result.variables]
    names = select_columns(query, engine)
    if names == engine:  # a solution lists its values in `names` order, None when unbound
        return write_rows(names, map(list, result), fmt, out, max_rows)
    where = [engine.index(name) for name in names]
    rows = ([solution[i] for i in where] for solution in result)
    return write_rows(names, rows, fmt, out, max_rows)


def write_rows(
    names: list[str], rows: Iterable[list[Term | None]], fmt: str, out: BinaryWriter, max_rows: int
) -> tuple[int, bool]:
    """Write solutions given as value lists in `names` order; see `write_solutions`."""
    writer = ROW_WRITERS[fmt](names, out)
    count, truncated = 0, False
    for row in rows:  # a plain loop: this is per row of every answer
        if count == max_rows and max_rows:
            truncated = True
            break
        writer.row(row)
        count += 1
    writer.end(truncated, max_rows)
    return count, truncated


class _Counter:
    """Lets through at most `limit` items (0 = all) and notes whether more were there."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self.truncated = False

    def take(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            if self.limit and self.count >= self.limit:
                self.truncated = True
                return
            self.count += 1
            yield item

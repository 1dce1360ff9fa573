"""Serialize query results row by row into a binary writer, cutting at a row limit.

pyoxigraph's own serializers cannot stop after N rows, so SELECT results are written here
(SPARQL JSON, XML, CSV and TSV, following the W3C result formats) one solution at a time;
booleans and graphs go through pyoxigraph. A cut is never silent: the caller gets
`(rows, truncated)` and, where the format has room for it, the body says so too (a top-level
`"lcgraph"` key in JSON, a trailing comment in XML, Turtle and N-Triples).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring_ascii as _json_string
from typing import IO, Protocol, TypeVar, cast
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
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

# The formats each kind of result is written in, from the one table (`lcgraph.formats`)
SOLUTION_FORMATS = tuple(f.name for f in formats.serving(formats.SOLUTIONS))
BOOLEAN_FORMATS: dict[str, QueryResultsFormat] = {
    f.name: cast(QueryResultsFormat, f.engine) for f in formats.serving(formats.BOOLEAN)
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    f.name: cast(RdfFormat, f.engine) for f in formats.serving(formats.GRAPH)
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_COMPACT = (",", ":")
T = TypeVar("T")
Term = NamedNode | BlankNode | Literal | Triple


class BinaryWriter(Protocol):
    def write(self, data: bytes) -> int: ...

    def flush(self) -> None: ...


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
    writer = _ROW_WRITERS[fmt](names, out)
    count, truncated = 0, False
    for row in rows:  # a plain loop: this is per row of every answer
        if count == max_rows and max_rows:
            truncated = True
            break
        writer.row(row)
        count += 1
    writer.end(truncated, max_rows)
    return count, truncated


class _Rows(Protocol):
    def row(self, terms: list[Term | None]) -> None: ...

    def end(self, truncated: bool, max_rows: int) -> None: ...


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


class _JsonRows:
    """SPARQL JSON, one binding object per row; terms encoded by hand (json's C string
    escaper, no dicts): the point lookups the service answers inline spend their time here."""

    def __init__(self, names: list[str], out: BinaryWriter) -> None:
        quoted = [_json_string(n) for n in names]
        self.keys = [q + ":" for q in quoted]
        self.out, self.first = out, True
        out.write(b'{"head":{"vars":[' + ",".join(quoted).encode() + b']},"results":{"bindings":[')

    def row(self, terms: list[Term | None]) -> None:
        cells = ",".join(
            key + _json_term_text(t)
            for key, t in zip(self.keys, terms, strict=True)
            if t is not None
        )
        self.out.write(("{" if self.first else ",{").encode() + cells.encode() + b"}")
        self.first = False

    def end(self, truncated: bool, limit: int) -> None:
        tail = "]}"
        if truncated:
            note = {"truncated": True, "rowLimit": limit}
            tail += ',"lcgraph":' + json.dumps(note, separators=_COMPACT)
        self.out.write((tail + "}").encode())


def _json_term_text(term: Term) -> str:
    """`term` as a SPARQL JSON term object, as compact JSON text."""
    if isinstance(term, NamedNode):
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if isinstance(term, Literal):
        text = '{"type":"literal","value":' + _json_string(term.value)
        if term.language:
            return text + ',"xml:lang":' + _json_string(term.language) + "}"
        datatype = term.datatype.value
        if datatype != _XSD_STRING:
            return text + ',"datatype":' + _json_string(datatype) + "}"
        return text + "}"
    return json.dumps(_json_term(term), separators=_COMPACT)


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        return {"type": "triple", "value": {k: _json_term(v) for k, v in parts}}
    out: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


class _XmlRows:
    def __init__(self, names: list[str], out: BinaryWriter) -> None:
        self.names, self.out = names, out
        head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        out.write(
            b'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            + f"<head>{head}</head><results>".encode()
        )

    def row(self, terms: list[Term | None]) -> None:
        cells = "".join(
            f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
            for n, t in zip(self.names, terms, strict=True)
            if t is not None
        )
        self.out.write(f"<result>{cells}</result>".encode())

    def end(self, truncated: bool, limit: int) -> None:
        note = f"<!-- lcgraph: truncated at the row limit of {limit} -->" if truncated else ""
        self.out.write(f"</results>{note}</sparql>\n".encode())


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Triple):
        s, p, o = (_xml_term(t) for t in term)
        return (
            f"<triple><subject>{s}</subject><predicate>{p}</predicate><object>{o}</object></triple>"
        )
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


class _CsvRows:
    """SPARQL CSV: plain values, blank nodes as _:id, quoted when needed, CRLF line ends."""

    def __init__(self, names: list[str], out: BinaryWriter) -> None:
        self.out = out
        out.write((",".join(names) + "\r\n").encode())

    def row(self, terms: list[Term | None]) -> None:
        self.out.write((",".join(_csv_cell(t) for t in terms) + "\r\n").encode())

    def end(self, truncated: bool, limit: int) -> None:
        """CSV has no place for a note: the caller announces a cut in headers or aborts."""


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, BlankNode) else _csv_text(term)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_text(term: Term) -> str:
    return str(term) if isinstance(term, Triple) else term.value


class _TsvRows:
    """SPARQL TSV: terms in their N-Triples/Turtle form, ?-prefixed header."""

    def __init__(self, names: list[str], out: BinaryWriter) -> None:
        self.out = out
        out.write(("\t".join(f"?{n}" for n in names) + "\n").encode())

    def row(self, terms: list[Term | None]) -> None:
        self.out.write(("\t".join("" if t is None else str(t) for t in terms) + "\n").encode())

    def end(self, truncated: bool, limit: int) -> None:
        """TSV has no place for a note: the caller announces a cut in headers or aborts."""


_ROW_WRITERS: dict[str, Callable[[list[str], BinaryWriter], _Rows]] = {
    "json": _JsonRows,
    "xml": _XmlRows,
    "csv": _CsvRows,
    "tsv": _TsvRows,
}

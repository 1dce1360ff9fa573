"""The writers of SELECT rows: SPARQL JSON, XML, CSV and TSV (the W3C result formats).

One row at a time, so `lcgraph.querying.results` can stop at the row limit; each writer ends
its body in a well-formed way and says there, where its format has room, that it was cut.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring_ascii as _json_string
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from lcgraph.iris import W3C_PREFIXES, XSD

Term = NamedNode | BlankNode | Literal | Triple
_XSD_STRING = XSD + "string"
_RDF_LANG_STRING = W3C_PREFIXES["rdf"] + "langString"
_COMPACT = (",", ":")


class BinaryWriter(Protocol):
    def write(self, data: bytes) -> int: ...

    def flush(self) -> None: ...


class Rows(Protocol):
    """A writer of one result format: a row at a time, then the end (saying whether cut)."""

    def row(self, terms: list[Term | None]) -> None: ...

    def end(self, truncated: bool, max_rows: int) -> None: ...


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


ROW_WRITERS: dict[str, Callable[[list[str], BinaryWriter], Rows]] = {
    "json": _JsonRows,
    "xml": _XmlRows,
    "csv": _CsvRows,
    "tsv": _TsvRows,
}

"""Serialise a resource's triples in the formats of its RDF twins (`lcgraph.formats`)."""

from __future__ import annotations

from typing import cast

from pyoxigraph import RdfFormat, Triple, serialize

from lcgraph import formats

RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: cast(RdfFormat, f.engine) for f in formats.graph_formats()
}
PREFIXED = {"turtle", "rdfxml"}  # JSON-LD stays plain: expanded IRIs round-trip everywhere


def to_bytes(triples: list[Triple], fmt: str, prefixes: dict[str, str]) -> bytes:
    """`triples` in format `fmt` (a key of RDF_FORMATS); prefixes only where they help."""
    used = {p: ns for p, ns in prefixes.items() if fmt in PREFIXED and _uses(triples, ns)}
    return serialize(triples, format=RDF_FORMATS[fmt], prefixes=used) or b""


def _uses(triples: list[Triple], namespace: str) -> bool:
    return any(str(t).find("<" + namespace) >= 0 for t in triples)

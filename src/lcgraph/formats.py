"""Every RDF and SPARQL results format lcgraph reads or writes, in one table.

A row names a format once: its short name (what `--format`, the `format=` parameter and the
query workers use), its media types (the first is the canonical one sent back, the others
are accepted in `Accept`), the suffix of its files, the pyoxigraph format, a human label,
its W3C format IRI (http://www.w3.org/ns/formats/), the result kinds it can carry
('solutions', 'boolean', 'graph'; 'dataset' for the dumps' quads) and whether a body in it
can be cut after any row. Negotiation, the result
writers, the service description, the pages' RDF twins and their URLs, the CLI and the
remote store's protocol derive from it.

Rows are in server preference: when a client accepts several formats equally, the earlier
row wins. This module sits at the bottom of the package: it imports nothing of lcgraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat

W3C_FORMATS = "http://www.w3.org/ns/formats/"
SOLUTIONS, BOOLEAN, GRAPH = "solutions", "boolean", "graph"
DATASET = "dataset"  # quads in named graphs: the dumps, never a query's answer
RESULTS = frozenset({SOLUTIONS, BOOLEAN})  # the kinds the SPARQL results formats carry


@dataclass(frozen=True)
class Format:
    name: str
    media_types: tuple[str, ...]  # canonical first, then the ones also accepted
    suffix: str
    engine: RdfFormat | QueryResultsFormat
    label: str
    w3c: str  # the local name under W3C_FORMATS
    kinds: frozenset[str]
    aliases: tuple[str, ...] = ()  # further values of `format=`/`output=`/`results=`
    text: bool = False  # sent with `; charset=utf-8`
    # A body can end after any row, well-formed (the row writers of lcgraph.querying, or a
    # line-based RDF format), so an answer may stream and be cut there; others are held whole.
    cuttable: bool = False

    @property
    def media_type(self) -> str:
        """The canonical media type, bare (as in `Accept` or a `type=` attribute)."""
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The `Content-Type` this format is sent with."""
        return self.media_type + ("; charset=utf-8" if self.text else "")

    @property
    def iri(self) -> str:
        return W3C_FORMATS + self.w3c


FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        ("application/sparql-results+json", "application/json"),
        "srj",
        QueryResultsFormat.JSON,
        "SPARQL JSON",
        "SPARQL_Results_JSON",
        RESULTS,
        aliases=("srj",),
        cuttable=True,
    ),
    Format(
        "xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        "srx",
        QueryResultsFormat.XML,
        "SPARQL XML",
        "SPARQL_Results_XML",
        RESULTS,
        aliases=("srx",),
        cuttable=True,
    ),
    Format(
        "csv",
        ("text/csv",),
        "csv",
        QueryResultsFormat.CSV,
        "CSV",
        "SPARQL_Results_CSV",
        frozenset({SOLUTIONS}),
        text=True,
        cuttable=True,
    ),
    Format(
        "tsv",
        ("text/tab-separated-values",),
        "tsv",
        QueryResultsFormat.TSV,
        "TSV",
        "SPARQL_Results_TSV",
        frozenset({SOLUTIONS}),
        text=True,
        cuttable=True,
    ),
    Format(
        "turtle",
        ("text/turtle", "application/x-turtle"),
        "ttl",
        RdfFormat.TURTLE,
        "Turtle",
        "Turtle",
        frozenset({GRAPH}),
        # Turtle is N3's RDF subset
        aliases=("ttl", "n3", "text/n3", "application/turtle"),
        text=True,
        cuttable=True,
    ),
    Format(
        "ntriples",
        ("application/n-triples", "text/plain"),
        "nt",
        RdfFormat.N_TRIPLES,
        "N-Triples",
        "N-Triples",
        frozenset({GRAPH}),
        aliases=("nt", "n-triples"),
        cuttable=True,
    ),
    Format(
        "jsonld",
        ("application/ld+json",),
        "jsonld",
        RdfFormat.JSON_LD,
        "JSON-LD",
        "JSON-LD",
        frozenset({GRAPH}),
        aliases=("json-ld", "json", "application/json"),
    ),
    Format(
        "rdfxml",
        ("application/rdf+xml",),
        "rdf",
        RdfFormat.RDF_XML,
        "RDF/XML",
        "RDF_XML",
        frozenset({GRAPH}),
        aliases=("rdf+xml", "rdf", "xml", "application/xml", "text/xml"),
    ),
    Format(
        "nquads",
        ("application/n-quads",),
        "nq",
        RdfFormat.N_QUADS,
        "N-Quads",
        "N-Quads",
        frozenset({DATASET}),
    ),
)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
BY_SUFFIX: dict[str, Format] = {f.suffix: f for f in FORMATS}


def serving(kind: str) -> tuple[Format, ...]:
    """The formats that can carry a result of `kind`, in server preference."""
    return tuple(f for f in FORMATS if kind in f.kinds)


def results_formats() -> tuple[Format, ...]:
    """The SPARQL results formats (SELECT or ASK)."""
    return tuple(f for f in FORMATS if f.kinds & RESULTS)


def graph_formats() -> tuple[Format, ...]:
    """The RDF formats (CONSTRUCT, DESCRIBE, pages' twins, the service description)."""
    return serving(GRAPH)


def offers(formats: tuple[Format, ...]) -> dict[str, str]:
    """Media type -> format name, to rank against `Accept`: every canonical type first (in
    server preference), then the other accepted types."""
    canonical = {f.media_type: f.name for f in formats}
    others = {m: f.name for f in formats for m in f.media_types[1:]}
    return {**canonical, **{m: n for m, n in others.items() if m not in canonical}}


def parameter_values(formats: tuple[Format, ...]) -> dict[str, str]:
    """Value of a `format`/`output`/`results` parameter -> format name: names, aliases and
    media types. Engines name formats their own ways (Virtuoso `format`, Fuseki `output`,
    4store `results`), and SPARQLWrapper sends them all at once, so `json` and `xml` name a
    different format for a graph than for a table."""
    values = {a: f.name for f in formats for a in f.aliases}
    values.update({f.name: f.name for f in formats})
    values.update(offers(formats))
    return values


def accept_header(formats: tuple[Format, ...]) -> str:
    """An `Accept` header asking for `formats`, the first preferred, then falling by 0.1."""
    parts = [f.media_type + (f";q={1 - i / 10:g}" if i else "") for i, f in enumerate(formats)]
    return ", ".join(parts)

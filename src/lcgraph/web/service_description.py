"""The SPARQL 1.1 Service Description of the endpoint, in the sd: vocabulary.

Written once as Turtle from the settings and the table of formats (`lcgraph.formats`), so
what it claims is what the endpoint does; other RDF formats are converted from it by pyoxigraph.
"""

from __future__ import annotations

from typing import cast

from pyoxigraph import Literal, RdfFormat, parse, serialize

from lcgraph import formats
from lcgraph.config import Settings
from lcgraph.iris import SEARCH
from lcgraph.querying.search_form import service_iri
from lcgraph.web import negotiation

_SD_RDF_FORMATS = {f.media_type: cast(RdfFormat, f.engine) for f in formats.graph_formats()}
_TURTLE = formats.BY_NAME["turtle"].media_type


def turtle(endpoint: str, settings: Settings) -> str:
    """The description of the endpoint at `endpoint` (its absolute URL)."""
    answers = formats.results_formats() + formats.graph_formats()  # every format a query gets
    written = ", ".join(f"<{f.iri}>" for f in answers)
    languages = "sd:SPARQL11Query" + (
        ", sd:SPARQL11Update" if settings.service.update_token else ""
    )
    features = "sd:UnionDefaultGraph, lcs:FullTextSearch" + (
        ", sd:BasicFederatedQuery" if settings.service.service_allowlist else ""
    )
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix lcs: <{SEARCH}> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat {written} ;
    sd:feature {features} ;
    sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] ;
    dct:description {_description(settings)} .

{_search_feature(settings)}"""


def _search_feature(settings: Settings) -> str:
    """The full-text search in SPARQL (issue 15; docs/search-sparql.md) as an sd:Feature."""
    service = service_iri(settings.base_iri)
    comment = Literal(
        f'Full-text search inside SPARQL: SERVICE <{service}> {{ ?s lcs:query "text" ; '
        "lcs:score ?score ; lcs:limit 20 }, and Apache Jena's (?s ?score) text:query "
        '(rdfs:label "text" 20) of <http://jena.apache.org/text#>. Answered before the '
        "query runs, as a VALUES block of the hits.",
        language="en",
    )
    return f"""lcs:FullTextSearch a sd:Feature ;
    rdfs:label "full-text search"@en, "zoeken in tekst"@nl ;
    rdfs:comment {comment} ;
    rdfs:seeAlso <{service}> .
"""


def render(endpoint: str, settings: Settings, media_type: str) -> bytes:
    """The description in `media_type` (one of the RDF types of SERVICE_DESCRIPTION_TYPES)."""
    text = turtle(endpoint, settings)
    if media_type == _TURTLE:
        return text.encode()
    triples = parse(text.encode(), RdfFormat.TURTLE)
    return serialize(triples, format=_SD_RDF_FORMATS[media_type]) or b""


def offered_rdf_types() -> list[str]:
    return [m for m in negotiation.SERVICE_DESCRIPTION_TYPES if m in _SD_RDF_FORMATS]


def _description(settings: Settings) -> str:
    """The service's limits in words, as a Turtle literal (pyoxigraph escapes it)."""
    limits = settings.service
    return str(
        Literal(
            "lcgraph: learning communities in the Dutch topsectoren. The default graph is "
            "the union of all named graphs. Queries stop after "
            f"{limits.query_timeout_s:g} s; SELECT returns at most {limits.max_rows} rows "
            "(a cut is announced in X-Lcgraph-Truncated); SERVICE reaches only allow-listed "
            "public hosts, but for the full-text search (lcs:FullTextSearch), answered here."
        )
    )

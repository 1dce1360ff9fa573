"""SPARQLWrapper gets every return format it can ask for, for every query form (issue 12).

SPARQLWrapper names the format three ways at once (`format`, `output` and `results`, short
name and media type) beside its Accept header; what a query form cannot carry is 406.
"""

from __future__ import annotations

from urllib.error import HTTPError

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from support import KASEI

QUERIES = {
    "SELECT": f"SELECT ?p WHERE {{ <{KASEI}data1.rdf> ?p ?o }}",
    "ASK": f"ASK {{ <{KASEI}data1.rdf> ?p ?o }}",
    "CONSTRUCT": f"CONSTRUCT WHERE {{ <{KASEI}data1.rdf> ?p ?o }}",
    "DESCRIBE": f"DESCRIBE <{KASEI}data1.rdf>",
}
TABLE = {
    JSON: "application/sparql-results+json",
    XML: "application/sparql-results+xml",
    CSV: "text/csv",
    TSV: "text/tab-separated-values",
}
GRAPH = {
    JSON: "application/ld+json",
    JSONLD: "application/ld+json",
    XML: "application/rdf+xml",
    RDFXML: "application/rdf+xml",
    RDF: "application/rdf+xml",
    TURTLE: "text/turtle",
    N3: "text/turtle",
}
RDFLIB_FORMATS = {
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
}
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FOAF_DOCUMENT = URIRef("http://xmlns.com/foaf/0.1/Document")
SERVED = {  # query form -> SPARQLWrapper format -> media type answered; others are 406
    "SELECT": TABLE,
    "ASK": {JSON: TABLE[JSON], XML: TABLE[XML]},
    "CONSTRUCT": GRAPH,
    "DESCRIBE": GRAPH,
}
FORMATS = [JSON, XML, TURTLE, N3, RDF, RDFXML, CSV, TSV, JSONLD]


@pytest.mark.filterwarnings("ignore:Sending Accept header '\\*/\\*'")
@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("form", list(QUERIES))
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_return_format_of_every_query_form(
    protocol_server: str, method: str, form: str, fmt: str
) -> None:
    wrapper = SPARQLWrapper(f"{protocol_server}/sparql")
    wrapper.setMethod(method)
    wrapper.setQuery(QUERIES[form])
    wrapper.setReturnFormat(fmt)
    expected = SERVED[form].get(fmt)
    if expected is None:
        with pytest.raises(HTTPError) as refused:
            wrapper.query()
        assert refused.value.code == 406
        return
    response = wrapper.query()
    media_type = response.info()["content-type"].split(";")[0]
    assert media_type == expected
    body = response.response.read()
    if form in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph().parse(data=body, format=RDFLIB_FORMATS[media_type])
        assert set(graph) == {(URIRef(f"{KASEI}data1.rdf"), RDF_TYPE, FOAF_DOCUMENT)}
    else:
        assert (b"true" if form == "ASK" else b"rdf-syntax-ns#type") in body

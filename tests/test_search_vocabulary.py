"""The SERVICE IRI and the lcs: vocabulary dereference (issue 15): /def/search, a page and
its RDF twins, like the other /def/ terms.

The build loads ontology/search.ttl into the ontology graph; a live uvicorn over the real
build of data/sources answers; httpx asks as any client would.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import rdflib
from rdflib.namespace import RDFS
from support import serve_app

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

IRIS = Iris("https://w3id.org/lcgraph")
SERVICE = IRIS.base + "/def/search"
LCS = rdflib.Namespace(SERVICE + "#")
BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(curated_store: EmbeddedStore) -> Iterator[httpx.Client]:
    settings = Settings(store=curated_store.location, query_workers=1, base_iri=IRIS.base)
    with serve_app(create_app(settings)) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


def test_the_vocabulary_is_in_the_ontology_graph(curated_store: EmbeddedStore) -> None:
    triple = f"<{LCS.query}> <{RDFS.isDefinedBy}> <{SERVICE}>"
    ask = f"ASK {{ GRAPH <{IRIS.ontology_graph}> {{ {triple} }} }}"
    assert bool(curated_store.query(ask)) is True


@pytest.mark.parametrize(("lang", "words"), [("en", ["query", "score"]), ("nl", ["zoektekst"])])
def test_the_service_iri_is_a_page_listing_its_terms(
    client: httpx.Client, lang: str, words: list[str]
) -> None:
    page = client.get("/def/search", headers={"Accept": BROWSER, "Accept-Language": lang})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "lcgraph search in SPARQL" in html or "lcgraph zoeken in SPARQL" in html
    assert 'class="ontology-terms"' in html
    for word in words:
        assert word in html
    assert f'title="{LCS.query}"' in html  # each term listed, by its IRI


@pytest.mark.parametrize(
    ("headers", "path", "media_type"),
    [
        ({"Accept": "text/turtle"}, "/def/search", "text/turtle"),
        ({}, "/def/search.ttl", "text/turtle"),
        ({"Accept": "application/ld+json"}, "/def/search", "application/ld+json"),
    ],
)
def test_the_twin_describes_every_hash_term(
    client: httpx.Client, headers: dict[str, str], path: str, media_type: str
) -> None:
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media_type
    fmt = "turtle" if media_type == "text/turtle" else "json-ld"
    graph = rdflib.Graph().parse(data=answer.content, format=fmt)
    assert (rdflib.URIRef(SERVICE), rdflib.RDF.type, rdflib.OWL.Ontology) in graph
    for term in ("query", "score", "limit", "FullTextSearch"):
        assert (LCS[term], RDFS.isDefinedBy, rdflib.URIRef(SERVICE)) in graph, term
    labels = {str(o) for o in graph.objects(LCS.query, RDFS.label)}
    assert labels == {"query", "zoektekst"}


def test_a_hash_term_is_not_a_page_of_its_own(client: httpx.Client) -> None:
    # a fragment never reaches the server: /def/search answers for lcs:query
    assert client.get("/def/search/query", headers={"Accept": BROWSER}).status_code == 404

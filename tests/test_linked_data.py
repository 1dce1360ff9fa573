"""Linked data (issue 5): /id/ → 303 → /doc/, content negotiation, term pages, 404s, a crawl.

A live uvicorn serves the real build of data/sources (the session's `curated_store`);
httpx talks to it as any client would.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import httpx
import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib.compare import isomorphic
from support import serve_app

from lcgraph.config import Settings
from lcgraph.iris import LC, Iris
from lcgraph.named_queries import load_queries
from lcgraph.pages.describe import describe
from lcgraph.pages.urls import Urls, choose_language, parse_variant
from lcgraph.publish.site import internal_links
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

IRIS = Iris("https://w3id.org/lcgraph")
LC_PAGE = "/doc/learning-community/rdm-makerspace"
SAMPLES = [
    LC_PAGE,
    "/doc/province/PV20",
    "/def/topsector/EN",
    "/def/topsector",
    "/def/lc/sector",
    "/def/lc/Pilot",
    "/def/lc",
]
FORMATS = {
    "text/turtle": ("ttl", "turtle", RdfFormat.TURTLE),
    "application/ld+json": ("jsonld", "json-ld", RdfFormat.JSON_LD),
    "application/n-triples": ("nt", "nt", RdfFormat.N_TRIPLES),
    "application/rdf+xml": ("rdf", "xml", RdfFormat.RDF_XML),
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def ld_settings(curated_store: EmbeddedStore) -> Settings:
    return Settings(store=curated_store.location, query_workers=1, base_iri=IRIS.base)


@pytest.fixture(scope="module")
def ld_server(ld_settings: Settings) -> Iterator[str]:
    with serve_app(create_app(ld_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def client(ld_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ld_server, timeout=30) as http:
        yield http


def _id_iris(store: EmbeddedStore) -> list[str]:
    rows = store.query(
        "SELECT DISTINCT ?x { { ?x ?p ?o } UNION { ?s ?p ?x } "
        f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{IRIS.base}/id/")) }}'
    )
    return sorted(row[0].value for row in rows)  # type: ignore[index, union-attr]


def test_every_id_iri_in_the_store_answers_303_then_200(
    client: httpx.Client, curated_store: EmbeddedStore
) -> None:
    iris = _id_iris(curated_store)
    assert len(iris) > 90
    for iri in iris:
        path = iri.removeprefix(IRIS.base)
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 303, iri
        location = response.headers["location"]
        assert location == "/doc/" + path.removeprefix("/id/")
        page = client.get(location, headers={"Accept": "text/turtle"})
        assert page.status_code == 200, location
        assert page.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("path", SAMPLES)
def test_each_rdf_format_parses_back_to_the_same_triples(
    client: httpx.Client, curated_store: EmbeddedStore, path: str
) -> None:
    iri = Urls(IRIS).iri_for(path.split("/")[1], path.split("/", 2)[2])
    expected = describe(curated_store.reader(), iri)
    assert expected is not None
    lines = "".join(f"{triple} .\n" for triple in expected.triples())
    reference = rdflib.Graph().parse(data=lines, format="nt")
    for media_type, (suffix, rdflib_format, ox_format) in FORMATS.items():
        by_accept = client.get(path, headers={"Accept": media_type})
        by_suffix = client.get(f"{path}.{suffix}")
        assert by_accept.status_code == by_suffix.status_code == 200
        assert by_accept.content == by_suffix.content
        assert by_accept.headers["content-type"].split(";")[0] == media_type
        graph = _rdflib_graph(by_accept.content, rdflib_format, ox_format)
        assert isomorphic(graph, reference), (path, media_type)
        assert len(list(parse(by_accept.content, format=ox_format))) == len(reference)


def _rdflib_graph(data: bytes, rdflib_format: str, ox_format: RdfFormat) -> rdflib.Graph:
    """rdflib parses each format itself, except JSON-LD (its parser warns of deprecations):
    that one goes through pyoxigraph's parser."""
    if rdflib_format != "json-ld":
        return rdflib.Graph().parse(data=data, format=rdflib_format)
    lines = "".join(f"{triple} .\n" for triple in parse(data, format=ox_format))
    return rdflib.Graph().parse(data=lines, format="nt")


def test_html_page_links_its_machine_readable_twins(client: httpx.Client) -> None:
    response = client.get(LC_PAGE, headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html")
    links = response.headers["link"]
    for media_type, (suffix, _, _) in FORMATS.items():
        assert f'<{LC_PAGE}.{suffix}>; rel="alternate"; type="{media_type}"' in links
        assert (
            f'<link rel="alternate" type="{media_type}" href="{LC_PAGE}.{suffix}">' in response.text
        )
    assert "Accept" in response.headers["vary"]


def test_page_speaks_the_visitors_language_and_offers_the_other(client: httpx.Client) -> None:
    dutch = client.get(
        "/def/topsector/EN", headers={"Accept": BROWSER, "Accept-Language": "nl-NL,nl;q=0.9"}
    )
    english = client.get("/def/topsector/EN", headers={"Accept": BROWSER, "Accept-Language": "en"})
    assert "<h1>Energie</h1>" in dutch.text and 'lang="nl"' in dutch.text
    assert "<h1>Energy</h1>" in english.text
    assert 'href="/def/topsector/EN.en.html"' in dutch.text
    assert client.get("/def/topsector/EN?lang=nl", headers={"Accept": BROWSER}).text == dutch.text
    assert client.get("/def/topsector/EN.nl.html").text == dutch.text


def test_property_labels_come_from_the_ontology_and_statements_show_their_graph(
    client: httpx.Client,
) -> None:
    page = client.get(LC_PAGE + ".en.html").text
    assert ">has inferred top sector</a>" in page  # rdfs:label of lc:inferredSector
    assert "curated/learning-communities" in page
    assert 'class="badge inferred"' in page  # lc:sector, only in {base}/graph/inferred
    assert "learning_communities.csv</code>, row 2" in page  # prov:wasDerivedFrom …#row=2


def test_sparql_link_opens_the_editor_on_a_query_for_the_same_statements(
    client: httpx.Client, curated_store: EmbeddedStore
) -> None:
    page = client.get(LC_PAGE + ".en.html").text
    href = re.search(r'href="(/sparql#query=[^"]+)"', page)
    assert href is not None
    query = unquote(href.group(1).split("#query=", 1)[1])
    rows = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    bindings = rows.json()["results"]["bindings"]
    iri = IRIS.id_iri("learning-community", "rdm-makerspace")
    quads = list(curated_store.reader().quads_for_pattern(NamedNode(iri), None, None, None))
    assert len(bindings) == len(quads)


def test_class_and_property_pages_show_hierarchy_domain_range_and_instances(
    client: httpx.Client,
) -> None:
    pilot = client.get("/def/lc/Pilot.en.html").text
    assert "Superclasses" in pilot and 'href="/def/lc/LearningCommunity.en.html"' in pilot
    assert "Instances" in pilot and 'href="/doc/learning-community/rdm-makerspace.en.html"' in pilot
    sector = client.get("/def/lc/sector.en.html").text
    assert "<dt>Domain</dt>" in sector and " or " in sector  # owl:unionOf of the domain
    assert 'href="/def/lc/Topsector.en.html"' in sector
    assert "Subproperties" in sector and 'href="/def/lc/statedSector.en.html"' in sector


def test_scheme_page_lists_its_concepts_and_ontology_page_lists_terms(client: httpx.Client) -> None:
    scheme = client.get("/def/topsector.en.html").text
    assert "Concepts" in scheme and 'href="/def/topsector/EN.en.html"' in scheme
    ontology = client.get("/def/lc", headers={"Accept": BROWSER}).text
    assert 'id="Class"' in ontology and 'href="/def/lc/LearningCommunity.en.html"' in ontology
    assert 'id="ObjectProperty"' in ontology


def test_unknown_iri_gets_a_404_page_for_browsers_and_the_json_shape_otherwise(
    client: httpx.Client,
) -> None:
    for path in (
        "/id/organisation/nobody",
        "/doc/organisation/nobody",
        "/def/lc/Nothing",
        "/doc/learning-community/rdm-makerspace.page-9.en.html",
    ):
        page = client.get(path, headers={"Accept": BROWSER})
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "Not found" in page.text
        body = client.get(path, headers={"Accept": "text/turtle"})
        assert body.status_code == 404
        assert body.json() == {
            "ok": False,
            "error": body.json()["error"],
            "errors": [body.json()["error"]],
            "status": 404,
            "type": "NotFound",
        }


def test_incoming_links_are_paginated(client: httpx.Client) -> None:
    first = client.get("/doc/document/hca-onderzoeksagenda-2017.en.html").text
    assert 'href="/doc/document/hca-onderzoeksagenda-2017.page-2.en.html"' in first
    second = client.get("/doc/document/hca-onderzoeksagenda-2017.page-2.en.html")
    assert second.status_code == 200 and "<strong>2</strong>" in second.text


def test_a_hub_page_reads_a_bounded_number_of_incoming_links(
    ld_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lcgraph.pages import describe as describing

    monkeypatch.setattr(describing, "MAX_INCOMING", 3)
    path = "/doc/document/hca-onderzoeksagenda-2017"
    with serve_app(create_app(ld_settings)) as url:  # a fresh page cache
        page = httpx.get(f"{url}{path}.en.html").text
        second = httpx.get(f"{url}{path}.page-2.en.html")
        twin = httpx.get(f"{url}{path}.ttl")
    assert re.search(r"Links to this resource \(\d\+\)", page)
    note = re.search(r'<p class="note incoming-cut">.*?<a href="([^"]+)"', page, re.S)
    assert note is not None and note.group(1).startswith("/sparql#query=")
    assert "?resource ?property <https://w3id.org/lcgraph/id" + path[4:] in unquote(note.group(1))
    assert second.status_code == 404  # one page of links is all that was read
    assert twin.status_code == 200 and "dct:title" in twin.text  # own statements, all of them


def test_unchanged_page_answers_304_to_its_etag(client: httpx.Client) -> None:
    first = client.get(LC_PAGE + ".ttl")
    again = client.get(LC_PAGE + ".ttl", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_landing_page_shows_counts_queries_dumps_licence_and_schema_org(
    client: httpx.Client,
) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    assert 'href="/def/lc/LearningCommunity.en.html"' in page
    assert 'href="/def/topsector/EN.en.html"' in page  # per sector
    assert "/dumps/" in page and "lcgraph.nq.gz" in page
    assert 'rel="license"' in page and "/sparql#query=" in page
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    dataset = json.loads(block.group(1))
    assert dataset["@type"] == "Dataset" and dataset["license"].startswith(
        "https://creativecommons.org"
    )


def test_crawl_from_the_landing_page_finds_no_broken_internal_link(
    client: httpx.Client, ld_settings: Settings
) -> None:
    """Every kind of page of the live service, service-only ones included (editor, query
    pages and runs, dashboard), reached from / by following links: all 200 (an /id/ link
    after its 303). Resources are followed up to PER_KIND per kind (`/doc/organisation/…`):
    the real network has ~12k resources in two languages, which would take many minutes."""
    todo, seen, pages = ["/"], {"/"}, 0
    per_kind: Counter[str] = Counter()
    while todo:
        path = todo.pop()
        response = client.get(path, headers={"Accept": BROWSER}, follow_redirects=True)
        assert response.status_code == 200, path
        if not response.headers["content-type"].startswith("text/html"):
            continue
        pages += 1
        for link in internal_links(response.text, service=True):
            if link in seen:
                continue
            seen.add(link)
            kind = _resource_kind(link)
            if kind is not None:
                per_kind[kind] += 1
                if per_kind[kind] > PER_KIND:
                    continue
            todo.append(link)
    assert pages > 500
    reached = {urlsplit(p).path for p in seen}
    names = load_queries(ld_settings.queries, IRIS)
    assert {f"/doc/query/{name}" for name in names} <= reached
    assert {"/sparql", "/api/queries", "/dashboard", "/def/lc.en.html"} <= reached
    assert any(p.startswith("/def/lc/") for p in reached)


PER_KIND = 25


def _resource_kind(link: str) -> str | None:
    """`/doc/organisation` for `/doc/organisation/x.nl.html`; None for the service's own
    pages and the named queries' (all of which the crawl follows)."""
    parts = urlsplit(link).path.split("/")
    if len(parts) < 4 or parts[1] not in ("doc", "id") or parts[2] == "query":
        return None
    return "/".join(parts[:3])


def test_url_grammar_round_trips() -> None:
    assert parse_variant("t/r.page-2.nl.html") == parse_variant("t/r.page-2.nl.html")
    variant = parse_variant("learning-community/x.page-3.nl.html")
    assert (variant.key, variant.fmt, variant.lang, variant.page) == (
        "learning-community/x",
        "html",
        "nl",
        3,
    )
    assert parse_variant("t/r.nl.ttl").key == "t/r.nl.ttl"
    assert Urls(IRIS).page_path(LC + "Pilot") == "/def/lc/Pilot"
    assert Urls(Iris("http://localhost:8000")).iri_for("def", "lc/Pilot") == LC + "Pilot"
    assert choose_language(None, "de, nl;q=0.5, en;q=0.4") == "nl"
    assert choose_language("en", "nl") == "en"

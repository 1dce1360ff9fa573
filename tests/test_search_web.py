"""Search over HTTP (issue 15): /api/search, /api/suggest, /search (HTML and JSON), OpenAPI.

The real service in uvicorn on 127.0.0.1 over the curated build; httpx as the client. Bad
input is a 400 in the one error shape (never a 500, never a list over the cap). A build
during searching: no failed request, and every answer's hits belong to the revision it
names.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import serve_app

from lcgraph.config import Settings
from lcgraph.search import MAX_LIMIT, index_staging
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

LC = "https://w3id.org/lcgraph/def/lc/"
BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


@pytest.fixture(scope="module")
def url(small_curated_store: EmbeddedStore) -> Iterator[str]:
    settings = Settings(store=small_curated_store.location, reasoner=False, query_workers=1)
    with serve_app(create_app(settings)) as base:
        yield base


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as c:
        yield c


def test_api_search_answers_hits_total_facets_and_revision(
    client: httpx.Client, small_curated_store: EmbeddedStore
) -> None:
    answer = client.get("/api/search", params={"q": "leergemeenschap", "lang": "nl"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["revision"] == small_curated_store.revision()
    assert body["total"] >= len(body["hits"]) > 0
    top = body["hits"][0]
    assert top["iri"] == LC + "LearningCommunity" and top["page"] == "/def/lc/LearningCommunity"
    assert top["snippet"] == "<b>leergemeenschap</b>" and top["lang"] == "nl"
    assert body["facets"] == {}  # counted only when asked (they cost as much as the search)


@pytest.mark.parametrize(
    ("facets", "counted"),
    [
        ("class,topsector,region", {"class", "topsector", "region"}),
        ("class", {"class"}),
        (["region", "class"], {"class", "region"}),
    ],
)
def test_facet_counts_are_those_asked(
    client: httpx.Client, facets: str | list[str], counted: set[str]
) -> None:
    asked = client.get("/api/search", params={"q": "leergemeenschap", "facets": facets}).json()
    assert set(asked["facets"]) == counted
    assert asked["facets"]["class"]["http://www.w3.org/2002/07/owl#Class"] >= 1
    everything = client.get(
        "/api/search", params={"q": "leergemeenschap", "facets": "class,topsector,region"}
    ).json()
    assert all(asked["facets"][name] == everything["facets"][name] for name in counted)


def test_suggest_filters_by_class(client: httpx.Client) -> None:
    every = client.get("/api/suggest", params={"q": "europ", "lang": "nl"}).json()
    organisations = client.get(
        "/api/suggest", params={"q": "europ", "lang": "nl", "class": LC + "Organisation"}
    ).json()
    assert 0 < len(organisations) <= len(every)
    assert "Europese Commissie" in {s["label"] for s in organisations}
    none = client.get(
        "/api/suggest", params={"q": "europ", "class": LC + "LearningFunction"}
    ).json()
    assert none == []


def test_every_hit_links_to_a_page_that_exists(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "leren", "limit": MAX_LIMIT}).json()
    hits = body["hits"]
    assert len(hits) == min(body["total"], MAX_LIMIT) > 20
    pages = {hit["page"] for hit in hits if hit["page"].startswith("/")}
    assert all(p.startswith(("/doc/", "/def/")) for p in pages)
    for page in sorted(pages):
        assert client.get(page, headers={"Accept": BROWSER}).status_code == 200, page


def test_filters_narrow_and_paging_moves(client: httpx.Client) -> None:
    everything = client.get("/api/search", params={"q": "leren", "limit": 10}).json()
    function = LC + "LearningFunction"
    narrowed = client.get("/api/search", params={"q": "leren", "class": function}).json()
    assert 0 < narrowed["total"] < everything["total"]
    assert all(function in hit["classes"] for hit in narrowed["hits"])
    second = client.get("/api/search", params={"q": "leren", "limit": 5, "offset": 5}).json()
    assert [h["iri"] for h in second["hits"]] == [h["iri"] for h in everything["hits"][5:10]]


def test_an_empty_filter_value_filters_nothing(client: httpx.Client) -> None:
    plain = client.get("/api/search", params={"q": "leren"}).json()
    blank = client.get("/api/search", params={"q": "leren", "class": ""}).json()
    assert blank["total"] == plain["total"] > 0


def test_suggest_completes_with_at_most_ten_labels(client: httpx.Client) -> None:
    found = client.get("/api/suggest", params={"q": "leerg", "lang": "nl"}).json()
    assert 0 < len(found) <= 10
    assert found[0] == {
        "iri": LC + "LearningCommunity",
        "label": "leergemeenschap",
        "page": "/def/lc/LearningCommunity",
    }
    assert len(client.get("/api/suggest", params={"q": "a"}).json()) <= 10


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/search", {"q": ""}, "empty"),
        ("/api/search", {}, "empty"),
        ("/api/search", {"q": "de het een"}, "only stop words"),
        ("/api/search", {"q": '"werkplek leren'}, "unbalanced quote"),
        ("/api/search", {"q": "(zorg"}, "unbalanced parenthesis"),
        ("/api/search", {"q": "zorg)"}, "unbalanced parenthesis"),
        ("/api/search", {"q": "zorg", "limit": "101"}, "limit"),
        ("/api/search", {"q": "zorg", "limit": "many"}, "whole number"),
        ("/api/search", {"q": "zorg", "lang": "de"}, "lang"),
        ("/api/search", {"q": "w" * 1001}, "1,001 characters"),
        ("/api/search", {"q": "zorg", "facets": "sector"}, "no facet 'sector'"),
        ("/search.json", {"q": "()"}, "empty parentheses"),
        ("/api/suggest", {"q": ""}, "letters or digits"),
        ("/api/suggest", {"q": "zorg", "limit": "11"}, "limit"),
    ],
)
def test_bad_input_is_a_400_that_says_what_is_wrong(
    client: httpx.Client, path: str, params: dict[str, str], message: str
) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["ok"] is False and body["status"] == 400 and body["type"] == "SearchError"
    assert message in body["error"]


def test_search_page_is_html_for_a_browser_and_json_when_asked(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "leergemeenschap", "lang": "nl"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in page.text and "Resultaten" in page.text
    assert 'href="/def/lc/LearningCommunity.nl.html"' in page.text
    assert "<b>leergemeenschap</b>" in page.text
    english = client.get("/search", params={"q": "leergemeenschap", "lang": "en"})
    assert '<html lang="en">' in english.text and "Results" in english.text
    as_json = client.get("/search", params={"q": "zorg"}, headers={"Accept": "application/json"})
    assert as_json.json()["total"] > 0
    assert client.get("/search.json", params={"q": "zorg"}).json() == as_json.json()


def test_search_page_hit_and_facet_links_work(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "leren", "lang": "en"}).text
    links = set(re.findall(r'href="(/(?:doc|def|search)[^"]*)"', page))
    assert any(link.startswith("/search?") and "class=" in link for link in links)
    for link in sorted(links)[:30]:
        link = link.replace("&amp;", "&")
        assert client.get(link, headers={"Accept": BROWSER}).status_code == 200, link


def test_search_page_shows_bad_input_as_a_400_page(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": '"open'}, headers={"Accept": BROWSER})
    assert page.status_code == 400 and "unbalanced quote" in page.text
    assert client.get("/search", headers={"Accept": BROWSER}).status_code == 200  # the form


def test_every_page_has_the_header_search_box(client: httpx.Client) -> None:
    for path in ("/", "/sparql", "/api/queries", "/def/lc/LearningCommunity", "/search"):
        page = client.get(path, headers={"Accept": BROWSER}).text
        assert 'id="site-search-q"' in page and "/static/search.js" in page, path
    assert client.get("/static/search.js").status_code == 200


def test_openapi_documents_search_and_suggest(client: httpx.Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    search = paths["/api/search"]["get"]
    names = {p["name"] for p in search["parameters"]}
    assert {"q", "lang", "limit", "offset", "class", "topsector", "region"} <= names
    assert "SearchModel" in str(search["responses"]["200"])
    assert "/api/suggest" in paths


# --- atomicity: a build during searching ------------------------------------------------

EX = "http://example.org/atomic/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _generation(store: EmbeddedStore, n: int) -> str:
    """Build generation `n` as `lcgraph build` does (index before the switch)."""
    with store.stage() as staging:
        lines = [f'<{EX}thing> <{LABEL}> "markering versie{n}"@nl <{EX}g> .']
        lines += [f'<{EX}other/{i}> <{LABEL}> "markering {n}-{i}"@nl <{EX}g> .' for i in range(n)]
        staging.load(("\n".join(lines) + "\n").encode())
        index_staging(staging, store)
    revision = store.revision()
    assert revision is not None
    return revision


def test_build_during_searching_no_failed_request_no_mixed_revision(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    generations = {_generation(store, 0): 0}
    answers: list[tuple[int, str, int, int]] = []  # (status, revision, version, total)
    stop = threading.Event()

    def search(base: str) -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            while not stop.is_set():
                r = c.get("/api/search", params={"q": "markering", "limit": MAX_LIMIT})
                body = r.json()
                label = next(h["label"] for h in body["hits"] if h["iri"] == EX + "thing")
                version = int(label.rsplit("versie", 1)[1])
                answers.append((r.status_code, body["revision"], version, body["total"]))

    settings = Settings(store=store.location, reasoner=False, query_workers=1)
    with serve_app(create_app(settings)) as base:
        readers = [threading.Thread(target=search, args=(base,)) for _ in range(2)]
        for reader in readers:
            reader.start()
        try:
            for n in range(1, 7):
                generations[_generation(store, n)] = n
        finally:
            stop.set()
            for reader in readers:
                reader.join(timeout=30)
    assert answers and all(status == 200 for status, *_ in answers)
    for _, revision, version, total in answers:
        assert generations[revision] == version  # the hits are of the revision named
        assert total == version + 1
    assert len({revision for _, revision, *_ in answers}) >= 2  # builds happened meanwhile

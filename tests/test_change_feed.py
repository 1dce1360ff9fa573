"""The change feed (issue 17): /changes (ActivityStreams 2.0), its pages, /changes.atom, and
the dates on resource pages, over two real releases of data/sources kept in one history.

The second release changes one CSV cell, adds a row and removes one (as in
test_release_history), so the newest activities are exactly those three.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import rdflib
from support import serve_app
from test_release_history import CHANGED, CREATED, REMOVED, _edited

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import load_queries
from lcgraph.publish import publish
from lcgraph.releases import changelog, feed
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

AS2 = "https://www.w3.org/ns/activitystreams"
ATOM = "{http://www.w3.org/2005/Atom}"
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PAGE = "/doc/learning-community/rdm-makerspace"
IRIS_BASE = "https://w3id.org/lcgraph"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[str]]:
    """Two releases in one history: the curated data, then the data with three edits."""
    root = tmp_path_factory.mktemp("feed")
    data = root / "data"
    shutil.copytree(REPO / "data" / "sources", data)
    ids = []
    for n in (1, 2):
        if n == 2:
            _edited(data)
        settings = Settings(
            store=str(root / f"store{n}"),
            reasoner=False,
            data=data,
            history=root / "history",
            query_workers=1,
        )
        build(settings)
        ids.append(publish(settings, root / f"out{n}", site=False).release)
    return settings, ids


@pytest.fixture(scope="module")
def service(releases: tuple[Settings, list[str]]) -> Iterator[str]:
    with serve_app(create_app(releases[0])) as url:
        yield url


def _get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=30)


def test_the_collection_counts_every_activity_and_names_its_first_and_last_page(
    service: str, releases: tuple[Settings, list[str]]
) -> None:
    log = changelog.load(releases[0].history)
    answer = _get(f"{service}/changes", accept="application/activity+json")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/activity+json"
    doc = answer.json()
    assert doc["@context"] == AS2 and doc["type"] == "OrderedCollection"
    assert doc["totalItems"] == len(log.events) > 3
    assert doc["first"].endswith("/changes.page-1.jsonld")
    assert doc["last"].endswith(f"/changes.page-{feed.pages(log)}.jsonld")
    ld = _get(f"{service}/changes", accept="application/ld+json")
    assert ld.headers["content-type"] == f'application/ld+json; profile="{AS2}"'
    assert ld.json() == doc == _get(f"{service}/changes.jsonld").json()


def test_page_one_holds_the_newest_release_changes_first(
    service: str, releases: tuple[Settings, list[str]]
) -> None:
    _, (first, second) = releases
    page = _get(f"{service}/changes.page-1.jsonld").json()
    assert page["type"] == "OrderedCollectionPage" and page["startIndex"] == 0
    assert page["partOf"].endswith("/changes") and "prev" not in page
    assert page["next"].endswith("/changes.page-2.jsonld")
    newest = {(a["type"], a["object"]) for a in page["orderedItems"][:3]}
    assert newest == {("Create", CREATED), ("Update", CHANGED), ("Delete", REMOVED)}
    for item in page["orderedItems"][:3]:
        assert item["context"].endswith(f"/dataset/{second}")
        assert item["published"] and item["id"].startswith(item["context"] + "#change-")
    rest = page["orderedItems"][3:]
    assert rest and all(a["type"] == "Create" and a["context"].endswith(first) for a in rest)


def test_the_pages_chain_from_first_to_last_and_hold_every_activity_once(
    service: str,
) -> None:
    doc = _get(f"{service}/changes").json()
    seen, url, previous = [], doc["first"], None
    while url:
        page = _get(service + url.removeprefix("https://w3id.org/lcgraph")).json()
        assert page.get("prev") == previous and len(page["orderedItems"]) <= feed.PAGE_SIZE
        seen += [a["id"] for a in page["orderedItems"]]
        previous, url = page["id"], page.get("next")
    assert previous == doc["last"]
    assert len(seen) == len(set(seen)) == doc["totalItems"]


@pytest.mark.parametrize(
    ("number", "status", "message"),
    [("0", 400, "expected a whole number >= 1"), ("x", 400, "expected a whole number"),
     ("-1", 400, "expected a whole number"), ("999", 404, "page(s), not 999")],
)  # fmt: skip
def test_a_bad_page_number_gets_the_error_shape(
    service: str, number: str, status: int, message: str
) -> None:
    answer = _get(f"{service}/changes.page-{number}.jsonld")
    assert answer.status_code == status
    body = answer.json()
    assert body["ok"] is False and body["status"] == status and message in body["error"]


def test_the_atom_feed_has_one_entry_per_release_with_counts_and_delta_links(
    service: str, releases: tuple[Settings, list[str]]
) -> None:
    _, (first, second) = releases
    answer = _get(f"{service}/changes.atom")
    assert answer.headers["content-type"] == "application/atom+xml"
    root = ET.fromstring(answer.content)
    assert root.tag == f"{ATOM}feed" and root.findtext(f"{ATOM}id")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        f"Release {second}",
        f"Release {first}",
    ]
    summary = entries[0].findtext(f"{ATOM}summary") or ""
    assert "1 resources created, " in summary and "1 removed;" in summary
    links = {link.get("title"): link.get("href") for link in entries[0].findall(f"{ATOM}link")}
    assert links["delta-added.nq.gz"].endswith(f"/dumps/{second}/delta-added.nq.gz")
    assert links["delta-removed.nq.gz"].endswith(f"/dumps/{second}/delta-removed.nq.gz")
    added = _get(service + links["delta-added.nq.gz"].removeprefix("https://w3id.org/lcgraph"))
    assert added.status_code == 200  # served from the history folder


def test_a_page_shows_when_its_resource_appeared_and_last_changed(
    service: str, releases: tuple[Settings, list[str]]
) -> None:
    _, (first, second) = releases
    page = _get(f"{service}{PAGE}.en.html").text
    history = page.split('class="history"', 1)[1].split("</p>", 1)[0]
    assert f'First appeared in release <a href="/dumps/{first}/changes.json"' in history
    assert f'last changed in release <a href="/dumps/{second}/changes.json"' in history
    nl = _get(f"{service}{PAGE}.nl.html").text
    assert "Voor het eerst in versie" in nl


def test_the_rdf_twin_carries_dct_created_and_modified(
    service: str, releases: tuple[Settings, list[str]]
) -> None:
    settings, (first, second) = releases
    log = changelog.load(settings.history)
    dates = {r.release.id: datetime.fromisoformat(r.release.issued or "") for r in log.releases}
    graph = rdflib.Graph().parse(data=_get(f"{service}{PAGE}.ttl").text, format="turtle")
    subject = rdflib.URIRef(CHANGED)
    assert [o.toPython() for o in graph.objects(subject, DCT.created)] == [dates[first]]
    assert [o.toPython() for o in graph.objects(subject, DCT.modified)] == [dates[second]]
    new = rdflib.Graph().parse(
        data=_get(f"{service}/doc/learning-community/new-pilot.ttl").text, format="turtle"
    )
    created = [o.toPython() for o in new.objects(rdflib.URIRef(CREATED), DCT.created)]
    assert created == [dates[second]]


def test_without_a_history_a_page_shows_no_dates_and_the_feed_is_empty(
    releases: tuple[Settings, list[str]], tmp_path: Path
) -> None:
    settings = releases[0].model_copy(update={"history": tmp_path / "none"})
    with serve_app(create_app(settings)) as url:
        page = _get(f"{url}{PAGE}.en.html")
        assert page.status_code == 200 and 'class="history"' not in page.text
        assert "created" not in _get(f"{url}{PAGE}.ttl").text
        doc = _get(f"{url}/changes").json()
        assert doc["totalItems"] == 0 and "first" not in doc
        assert _get(f"{url}/changes.page-1.jsonld").status_code == 404


def test_a_corrupt_changes_file_is_reported_by_the_feed_and_the_page(
    releases: tuple[Settings, list[str]], tmp_path: Path
) -> None:
    settings, (first, _) = releases
    history = tmp_path / "history"
    shutil.copytree(settings.history, history)
    (history / first / "changes.json").write_text('{"graphs": {}, "resources": {}}\n')
    with serve_app(create_app(settings.model_copy(update={"history": history}))) as url:
        for path in ("/changes", "/changes.page-1.jsonld", "/changes.atom"):
            answer = _get(url + path)
            assert answer.status_code == 500, path
            assert (
                f"release {first}: file changes.json: checksum mismatch" in answer.json()["error"]
            )
        page = _get(f"{url}{PAGE}.en.html").text
        assert "The release history cannot be read" in page and "checksum mismatch" in page
        assert _get(f"{url}/health").status_code == 200  # the service serves on


def test_the_landing_page_and_the_api_document_link_the_feeds(service: str) -> None:
    landing = _get(f"{service}/index.en.html").text
    head, body = landing.split("</head>", 1)
    assert 'rel="alternate" type="application/atom+xml" href="/changes.atom"' in head
    assert 'rel="alternate" type="application/activity+json" href="/changes.jsonld"' in head
    assert 'href="/changes.atom"' in body and 'href="/changes.jsonld"' in body
    paths = _get(f"{service}/api/openapi.json").json()["paths"]
    assert {"/changes", "/changes.page-{number}.jsonld", "/changes.atom"} <= set(paths)


def _changed_since(store: str, release: str) -> set[tuple[str, str, str]]:
    query = load_queries(REPO / "queries", Iris(IRIS_BASE))["changed-since"]
    rows = query.run(EmbeddedStore(Path(store)), {"release": release})
    return {(r["resource"].value, r["change"].value, r["context"].value) for r in rows}


def test_the_named_query_answers_what_changed_since_a_release(
    releases: tuple[Settings, list[str]], tmp_path: Path
) -> None:
    """The second build knew release 1 only: its own changes carry the build as context;
    a third build (no edits) knows both releases: the same changes, in release 2."""
    settings, (first, second) = releases
    own = _changed_since(settings.store, first)
    assert {(r, c) for r, c, _ in own} == {
        (CREATED, "Create"),
        (CHANGED, "Update"),
        (REMOVED, "Delete"),
    }
    assert all("/id/build/" in context for _, _, context in own)
    third = settings.model_copy(update={"store": str(tmp_path / "store3")})
    build(third)
    kept = _changed_since(third.store, first)
    assert {(r, c) for r, c, _ in kept} == {(r, c) for r, c, _ in own}
    assert {context for _, _, context in kept} == {f"{IRIS_BASE}/dataset/{second}"}
    assert _changed_since(third.store, second) == set()
    with serve_app(create_app(third)) as url:  # the activities are not links of the page
        assert "#change-" not in _get(f"{url}{PAGE}.en.html").text


def test_the_build_reads_the_history_as_it_is_now_not_as_cached(
    releases: tuple[Settings, list[str]], tmp_path: Path
) -> None:
    """A release whose files are written after the log was cached (a publish under way)
    is in the log that the build reads at once (`fresh`), not a second later."""
    settings, (first, _) = releases
    history = tmp_path / "history"
    shutil.copytree(settings.history, history)
    changes = history / first / "changes.json"
    kept = changes.read_bytes()
    changes.unlink()
    assert changelog.load(history).errors  # cached: the release is incomplete
    changes.write_bytes(kept)  # the folder's own mtime does not change
    assert changelog.load(history, fresh=True).errors == []

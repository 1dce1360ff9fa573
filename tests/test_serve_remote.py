"""`lcgraph serve` over a remote store: the same endpoint, limits and named queries.

The store is a real `oxigraph serve` holding the curated build; the service runs in uvicorn
on a free 127.0.0.1 port and is queried with SPARQLWrapper and httpx.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from support import serve_app

from lcgraph.config import Settings
from lcgraph.web.app import create_app

LC = "https://w3id.org/lcgraph/def/lc/"


@pytest.fixture(scope="module")
def remote_service(remote_curated_store: object, oxigraph_url: str) -> Iterator[str]:
    settings = Settings(
        store=oxigraph_url, query_timeout_s=2, query_workers=1, result_cache_entries=0
    )
    with serve_app(create_app(settings)) as url:
        yield url


def test_sparqlwrapper_reads_the_remote_graph_through_the_service(remote_service: str) -> None:
    client = SPARQLWrapper(remote_service + "/sparql")
    client.setQuery(f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{LC}Pilot> }}")
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert result["results"]["bindings"][0]["n"]["value"] == "7"  # type: ignore[index]


def test_named_queries_run_on_the_remote_store(remote_service: str) -> None:
    response = httpx.get(remote_service + "/api/queries/sectors-without-community.json")
    assert response.status_code == 200
    labels = {b.get("sectorLabel", {}).get("value") for b in response.json()["results"]["bindings"]}
    assert any(label and "Tuinbouw" in label for label in labels)


def test_syntax_errors_from_the_remote_path_keep_their_position(remote_service: str) -> None:
    response = httpx.get(remote_service + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "line 1" in response.json()["error"] or "1:" in response.json()["error"]


def test_linked_data_pages_dereference_on_the_remote_store(remote_service: str) -> None:
    pilot = "/id/learning-community/energy-college"
    response = httpx.get(remote_service + pilot, follow_redirects=False)
    assert response.status_code == 303
    page = httpx.get(
        remote_service + response.headers["location"], headers={"Accept": "text/turtle"}
    )
    assert page.status_code == 200
    assert "Energy College" in page.text


def test_analyses_run_on_a_remote_store_and_a_rerun_replaces_them(tmp_path: Path) -> None:
    from remote_servers import oxigraph_server

    from lcgraph.analysis import analyze
    from lcgraph.build import build
    from lcgraph.store import open_store
    from lcgraph.synth import write_synthetic

    write_synthetic(tmp_path / "data", orgs=200, communities=20, seed=5)
    with oxigraph_server(tmp_path / "server") as url:
        settings = Settings(store=url, data=tmp_path / "data", reasoner=False)
        build(settings)
        store = open_store(url, settings)
        first = analyze(store, settings)
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{first.graph}> {{ ?s ?p ?o }} }}"
        stored = int(next(iter(store.query(count)))["n"].value)  # type: ignore[call-overload]
        assert stored == first.quads > 0
        second = analyze(store, settings)
        assert int(next(iter(store.query(count)))["n"].value) == second.quads  # type: ignore[call-overload]


# after the others: `oxigraph serve` goes on computing a query its client gave up on, so
# queries after this one would share the server with it (a 2 s limit then fails them on a
# loaded machine)
def test_a_runaway_query_on_the_remote_store_is_stopped_at_the_limit(remote_service: str) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    response = httpx.get(
        remote_service + "/sparql",
        params={"query": runaway},
        timeout=30,
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 503
    assert response.json()["ok"] is False
    assert time.monotonic() - started < 6

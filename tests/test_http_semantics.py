"""What every route shares (issue 12): HEAD, conditional requests, metrics from the start."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount
from support import EX, serve_app

from lcgraph.config import Settings
from lcgraph.web.app import create_app
from lcgraph.web.metrics import REJECTION_REASONS, Metrics

COUNT_ITEMS = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?item <{EX}value> ?v }}"


@pytest.fixture(scope="module")
def app(protocol_settings: Settings) -> FastAPI:
    """The protocol data with the project's named queries, so that their routes exist."""
    return create_app(protocol_settings.model_copy(update={"queries": Settings().queries}))


@pytest.fixture(scope="module")
def url(app: FastAPI) -> Iterator[str]:
    with serve_app(app) as base:
        yield base


def get_paths(app: FastAPI) -> list[str]:
    """A concrete path for every GET route of the app, path parameters filled in."""
    paths = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):  # static files: one real file of it
            folder = Path(route.original_route.app.directory)  # type: ignore[attr-defined]
            first = min(p for p in folder.rglob("*") if p.is_file())
            paths.append(f"{route.path}/{first.relative_to(folder).as_posix()}")
        elif "GET" in (route.methods or ()) and route.path:
            paths.append(re.sub(r"\{[^}]*\}", "x", route.path))
    return paths


def test_every_get_route_answers_head_with_the_same_headers_and_no_body(
    app: FastAPI, url: str
) -> None:
    paths = get_paths(app)
    assert {"/", "/sparql", "/health", "/metrics", "/api/queries", "/doc/x"} <= set(paths)
    with httpx.Client(base_url=url, timeout=10) as client:
        for path in paths:
            got = client.get(path)
            head = client.head(path)
            assert head.status_code == got.status_code != 405, path
            assert head.content == b"", path
            same = {"content-type", "content-length", "etag", "vary", "allow"}
            if path == "/metrics":  # counts this very request
                same -= {"content-length"}
            assert {k: v for k, v in head.headers.items() if k in same} == {
                k: v for k, v in got.headers.items() if k in same
            }, path


def test_head_of_a_query_has_the_headers_of_its_answer(url: str) -> None:
    params = {"query": COUNT_ITEMS}
    got = httpx.get(f"{url}/sparql", params=params)
    head = httpx.head(f"{url}/sparql", params=params)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == str(len(got.content))


def test_a_matching_if_none_match_is_304_for_get_and_head_and_412_for_post(url: str) -> None:
    first = httpx.get(f"{url}/sparql", params={"query": COUNT_ITEMS})
    etag = {"If-None-Match": first.headers["etag"]}
    for method in ("GET", "HEAD"):
        again = httpx.request(method, f"{url}/sparql", params={"query": COUNT_ITEMS}, headers=etag)
        assert again.status_code == 304, method
    for condition, status in ((etag["If-None-Match"], 412), ("*", 412), ('"other"', 200)):
        posted = httpx.post(
            f"{url}/sparql", data={"query": COUNT_ITEMS}, headers={"If-None-Match": condition}
        )
        assert posted.status_code == status, condition
        assert status == 200 or posted.json()["status"] == 412


def _samples(text: str, family: str) -> dict[str, str]:
    return {
        line.rpartition(" ")[0]: line.rpartition(" ")[2]
        for line in text.splitlines()
        if line.startswith(family) and not line.startswith("#")
    }


def test_a_fresh_service_exports_every_counter_with_its_known_labels_at_zero(
    server_for, tmp_path: Path
) -> None:
    from support import build_store

    store = build_store(tmp_path / "store", b"")
    with server_for(Settings(store=store.location, queries=tmp_path)) as fresh:
        text = httpx.get(f"{fresh}/metrics").text
    for family in ("lcgraph_requests_total", "lcgraph_request_duration_seconds"):
        assert f"# TYPE {family} " in text
    assert _samples(text, "lcgraph_query_timeouts_total") == {"lcgraph_query_timeouts_total": "0"}
    rejections = _samples(text, "lcgraph_rejections_total")
    assert rejections == {
        f'lcgraph_rejections_total{{reason="{reason}"}}': "0"
        for reason in REJECTION_REASONS.values()
    }


def test_the_multi_process_merge_keeps_the_zeros(tmp_path: Path) -> None:
    mine, other = Metrics(tmp_path), Metrics()
    other.record("POST", "/sparql", 413, 0.01)
    (tmp_path / "1.json").write_text(json.dumps(other.snapshot(timeouts=0)))
    rejections = _samples(mine.render(timeouts=0), "lcgraph_rejections_total")
    assert rejections == {
        f'lcgraph_rejections_total{{reason="{reason}"}}': "1" if reason == "too_large" else "0"
        for reason in REJECTION_REASONS.values()
    }

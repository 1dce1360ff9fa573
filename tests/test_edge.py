"""The one edge ahead of Starlette (issue 14): HEAD, CORS, the error shape, the hot routes."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from starlette.background import BackgroundTask
from support import serve_app

from lcgraph.config import Settings
from lcgraph.web.app import LcgraphApp, create_app
from lcgraph.web.edge import hot, hot_routes

ORIGIN = {"Origin": "https://dashboard.example"}
ASK = {"query": "ASK { ?s ?p ?o }"}


async def boom(request: Request) -> Response:
    raise RuntimeError("a bug in a handler")


async def late_boom(request: Request) -> Response:
    def fail() -> None:
        raise RuntimeError("a bug after the answer")

    return Response("done", background=BackgroundTask(fail))


@hot
async def hot_boom(request: Request) -> Response:
    raise RuntimeError("a bug in a hot handler")


@pytest.fixture(scope="module")
def app(protocol_settings: Settings) -> FastAPI:
    """The protocol service with two handlers that fail: one routed, one hot."""
    app = create_app(protocol_settings)
    app.add_api_route("/boom", boom, methods=["GET"])
    app.add_api_route("/hot-boom", hot_boom, methods=["GET"])
    app.add_api_route("/late-boom", late_boom, methods=["GET"])
    assert isinstance(app, LcgraphApp)
    app.edge.hot = hot_routes(app.routes)  # again: these routes came after create_app
    return app


@pytest.fixture(scope="module")
def url(app: FastAPI) -> Iterator[str]:
    with serve_app(app) as base:
        yield base


@pytest.mark.parametrize("path", ["/boom", "/hot-boom"])
def test_an_exception_in_a_handler_is_a_500_in_the_error_shape_and_no_traceback(
    url: str, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = httpx.get(url + path, headers=ORIGIN)
    assert response.status_code == 500
    assert response.json() == {
        "ok": False,
        "error": "internal error (logged on the server)",
        "errors": ["internal error (logged on the server)"],
        "status": 500,
        "type": "InternalError",
    }
    assert response.headers["access-control-allow-origin"] == "*"
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    # logged once, by lcgraph, and never again by the server as an ASGI failure
    assert [r.name for r in logged] == ["lcgraph.web"]


def test_an_exception_after_a_whole_answer_is_logged_once(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = httpx.get(f"{url}/late-boom")
        deadline = time.monotonic() + 5  # the task runs after the client has its answer
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.01)
    assert response.status_code == 200 and response.text == "done"
    assert [r.name for r in caplog.records if r.levelno >= logging.ERROR] == ["lcgraph.web"]


@pytest.mark.parametrize(
    "asked",
    [
        {"Access-Control-Request-Method": "PUT"},
        {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "X-Secret"},
        {"Access-Control-Request-Method": "GET", "Access-Control-Request-Private-Network": "true"},
    ],
)
def test_a_refused_cors_preflight_is_400_in_the_error_shape(
    url: str, asked: dict[str, str]
) -> None:
    response = httpx.options(f"{url}/sparql", headers={**ORIGIN, **asked})
    assert response.status_code == 400
    assert response.json()["type"] == "BadRequest"
    assert response.json()["error"].startswith("CORS preflight refused")


def test_an_allowed_preflight_names_what_may_be_asked(url: str) -> None:
    asked = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    response = httpx.options(f"{url}/sparql", headers={**ORIGIN, **asked})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "Content-Type" in response.headers["access-control-allow-headers"]
    assert response.headers["access-control-max-age"] == "3600"


@pytest.mark.parametrize(
    ("path", "params"),
    [("/sparql", ASK), ("/sparql", {}), ("/health", {}), ("/nowhere", {}), ("/hot-boom", {})],
)
def test_head_is_get_without_a_body(url: str, path: str, params: dict[str, str]) -> None:
    got = httpx.get(url + path, params=params, headers=ORIGIN)
    head = httpx.head(url + path, params=params, headers=ORIGIN)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert {k: v for k, v in head.headers.items() if k != "date"} == {
        k: v for k, v in got.headers.items() if k != "date"
    }


def test_answers_without_an_origin_vary_by_it_and_allow_none(url: str) -> None:
    response = httpx.get(f"{url}/sparql", params=ASK)
    assert "Origin" in response.headers["vary"]
    assert "access-control-allow-origin" not in response.headers


def test_hot_routes_are_the_hot_functions_the_router_would_pick(app: FastAPI) -> None:
    table = hot_routes(app.routes)
    assert {("GET", "/sparql"), ("POST", "/sparql"), ("GET", "/api/search")} <= set(table)
    assert ("GET", "/api/suggest") in table and ("GET", "/hot-boom") in table
    assert ("GET", "/boom") not in table and ("GET", "/search") not in table
    shadowing = APIRouter()
    shadowing.add_api_route("/hot-boom", boom, methods=["GET"])
    assert ("GET", "/hot-boom") not in hot_routes([*shadowing.routes, *app.routes])


def test_a_hot_route_takes_only_the_request_and_has_no_path_parameters() -> None:
    async def two(request: Request, name: str) -> Response:
        return Response()

    with pytest.raises(TypeError, match="only the request"):
        hot(two)
    router = APIRouter()
    router.add_api_route("/things/{name}", hot_boom, methods=["GET"])
    with pytest.raises(TypeError, match="no path parameters"):
        hot_routes(router.routes)


def test_metrics_count_hot_and_routed_requests_by_route_and_head_as_get(url: str) -> None:
    httpx.get(f"{url}/hot-boom")
    httpx.head(f"{url}/health")
    text = httpx.get(f"{url}/metrics").text
    assert 'lcgraph_requests_total{method="GET",route="/hot-boom",status="500"}' in text
    assert 'lcgraph_requests_total{method="GET",route="/health",status="200"}' in text
    assert 'method="HEAD"' not in text

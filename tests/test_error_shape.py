"""Every error path answers with the one JSON shape, CORS headers, and no stack trace."""

from __future__ import annotations

import httpx
import pytest

ORIGIN = {"Origin": "https://dashboard.example"}
CASES = [
    ("GET", "/sparql", {"query": "SELECT * WHERE {"}, {}, None, 400),
    ("GET", "/sparql", {"query": ["ASK {}", "ASK {}"]}, {}, None, 400),
    ("GET", "/sparql", {"update": "CLEAR ALL"}, {}, None, 405),
    ("PUT", "/sparql", {}, {}, b"", 405),
    ("POST", "/sparql", {}, {"Content-Type": "text/plain"}, b"ASK {}", 415),
    (
        "POST",
        "/sparql",
        {},
        {"Content-Type": "application/sparql-query; charset=latin-1"},
        b"ASK {}",
        415,
    ),
    ("POST", "/sparql", {}, {"Content-Type": "application/sparql-query"}, b"ASK { \xff }", 400),
    ("POST", "/sparql", {}, {"Content-Type": "application/sparql-update"}, b"CLEAR ALL", 403),
    ("GET", "/sparql", {"query": "ASK {}"}, {"Accept": "image/png"}, None, 406),
    ("GET", "/sparql", {}, {"Accept": "image/png"}, None, 406),
    (
        "GET",
        "/sparql",
        {"query": "SELECT * { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }"},
        {},
        None,
        403,
    ),
    ("GET", "/rdf-graph-store", {"graph": "http://example.org/none"}, {}, None, 404),
    ("GET", "/nowhere", {}, {}, None, 404),
]


@pytest.mark.parametrize(("method", "path", "params", "headers", "body", "status"), CASES)
def test_error_has_the_one_shape(
    protocol_server: str,
    method: str,
    path: str,
    params: dict,
    headers: dict,
    body: bytes | None,
    status: int,
) -> None:
    response = httpx.request(
        method, protocol_server + path, params=params, headers={**ORIGIN, **headers}, content=body
    )
    assert response.status_code == status, response.text
    payload = response.json()
    assert set(payload) == {"ok", "error", "errors", "status", "type"}
    assert payload["ok"] is False
    assert payload["status"] == status
    assert payload["errors"][0] == payload["error"]
    assert "Traceback" not in response.text
    assert response.headers["access-control-allow-origin"] == "*"


def test_timeout_has_the_one_shape_with_retry_after(protocol_server: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
    response = httpx.get(
        protocol_server + "/sparql", params={"query": query}, headers=ORIGIN, timeout=30
    )
    assert response.status_code == 503
    assert response.json()["type"] == "QueryTimeout"
    assert response.headers["retry-after"]
    assert response.headers["access-control-allow-origin"] == "*"

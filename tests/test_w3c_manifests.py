"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests, whole (issues 3 and 12).

Both modes of the service: with `update_token` every test passes (a private embedded store,
reset through the update endpoint before each test); read-only, every reading test passes
and every write is refused with 403; with writes on but no token, every write gets 401.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pyoxigraph import RdfFormat, parse
from support import build_store, protocol_nquads, serve_app
from w3c_protocol import GRAPH_STORE, PROTOCOL, ProtocolTest, endpoint_path, load_manifest, run_test

from lcgraph.config import Settings
from lcgraph.web.app import create_app

TESTS = load_manifest(PROTOCOL / "manifest.ttl") + load_manifest(GRAPH_STORE / "manifest.ttl")
READS = [t for t in TESTS if t.first_write is None]
WRITES = [t for t in TESTS if t.first_write is not None]
TOKEN = "w3c-t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _name(test: ProtocolTest) -> str:
    return test.name


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A writable service over the protocol data, on an embedded store of its own."""
    folder = tmp_path_factory.mktemp("w3c-writable")
    store = build_store(folder / "store", protocol_nquads())
    settings = Settings(
        store=store.location,
        update_token=TOKEN,
        query_timeout_s=5.0,
        query_workers=2,
        max_rows=20,
        queries=folder,
    )
    with serve_app(create_app(settings)) as url:
        yield url


def _reset_update() -> str:
    """One update that puts the protocol data back, as the manifests expect to find it."""
    quads = parse(protocol_nquads(), RdfFormat.N_QUADS)
    data = " ".join(f"GRAPH {q.graph_name} {{ {q.triple} }}" for q in quads)
    return f"DROP ALL ; INSERT DATA {{ {data} }}"


RESET = _reset_update()


@pytest.mark.parametrize("test", TESTS, ids=_name)
def test_with_the_token_every_manifest_test_passes(writable: str, test: ProtocolTest) -> None:
    with httpx.Client(timeout=10) as client:
        reset = client.post(f"{writable}/sparql", data={"update": RESET}, headers=AUTH)
        assert reset.status_code == 204, reset.text
        assert run_test(client, writable, test, AUTH) == [], test.title


@pytest.mark.parametrize("test", READS, ids=_name)
def test_the_read_only_endpoint_passes_every_reading_test(
    protocol_server: str, test: ProtocolTest
) -> None:
    with httpx.Client(timeout=10) as client:
        assert run_test(client, protocol_server, test) == [], test.title


def _send_first_write(base: str, test: ProtocolTest, headers: dict[str, str]) -> httpx.Response:
    write = test.first_write
    assert write is not None
    body = None if write.body is None else write.body.encode()
    return httpx.request(
        write.method,
        endpoint_path(base, write.path),
        headers={**write.headers, **headers},
        content=body,
    )


@pytest.mark.parametrize("test", WRITES, ids=_name)
def test_the_read_only_endpoint_refuses_every_write(
    protocol_server: str, test: ProtocolTest
) -> None:
    response = _send_first_write(protocol_server, test, {})
    assert response.status_code == 403
    assert response.json()["ok"] is False


@pytest.mark.parametrize("test", WRITES, ids=_name)
def test_a_write_without_the_token_is_401(writable: str, test: ProtocolTest) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = _send_first_write(writable, test, headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")

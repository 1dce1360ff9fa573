"""The public endpoint is safe by default: time limit, admission cap, no SERVICE/LOAD to
internal hosts, read-only without a token (issue 3)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from support import EX

from lcgraph.config import Settings
from lcgraph.errors import QueryForbidden
from lcgraph.querying import guard

RUNAWAY = (
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } "
    "ORDER BY DESC(?c) ?f ?i ?l ?o"
)
CHEAP = f"SELECT ?v WHERE {{ <{EX}item/7> <{EX}value> ?v }}"  # bounded: runs in the service
CHEAP_JOIN = f"SELECT ?v WHERE {{ <{EX}item/7> <{EX}value> ?v FILTER(BOUND(?v)) }}"  # a worker


class Listener:
    """A TCP socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.contacts = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.contacts += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04X}" for c in text)


def remote_queries(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE # a comment\n <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{_escaped(url)}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <http://127.0.0.1:{port}/> "
        "SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://localhost:{port}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://[::ffff:127.0.0.1]:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { BIND(<x> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        f'SELECT * WHERE {{ BIND("\\u0022" AS ?q) SERVICE <{url}> {{ ?s ?p ?o }} }}',
    ]


@pytest.fixture(scope="module")
def permissive_server(protocol_settings: Settings) -> Iterator[str]:
    """Loopback hosts on the allow-list: they must still be refused."""
    from support import serve_app

    from lcgraph.web.app import create_app

    settings = protocol_settings.replace(
        service={"service_allowlist": ["127.0.0.1", "localhost", "::ffff:127.0.0.1"]}
    )
    with serve_app(create_app(settings)) as url:
        yield url


def test_runaway_query_is_stopped_at_the_limit_while_a_cheap_query_is_answered(
    protocol_server: str,
) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        start = time.monotonic()
        response = httpx.get(f"{protocol_server}/sparql", params={"query": RUNAWAY}, timeout=30)
        outcome.update(response=response, seconds=time.monotonic() - start)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    for query in (CHEAP, CHEAP_JOIN):
        start = time.monotonic()
        cheap = httpx.get(f"{protocol_server}/sparql", params={"query": query}, timeout=10)
        assert cheap.status_code == 200
        assert time.monotonic() - start < 1.0
    thread.join(30)
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert response.json()["type"] == "QueryTimeout"
    assert "time limit" in response.json()["error"]
    assert 1.9 < float(outcome["seconds"]) < 4.0  # type: ignore[arg-type]
    after = httpx.get(f"{protocol_server}/sparql", params={"query": CHEAP}, timeout=10)
    assert after.status_code == 200


@pytest.mark.parametrize("index", range(11))
def test_service_to_loopback_is_refused_and_never_contacted(
    protocol_server: str, permissive_server: str, listener: Listener, index: int
) -> None:
    query = remote_queries(listener.port)[index]
    for server in (protocol_server, permissive_server):
        response = httpx.get(f"{server}/sparql", params={"query": query}, timeout=10)
        assert response.status_code == 403, (query, response.text)
        assert response.json()["type"] == "QueryForbidden"
    time.sleep(0.3)
    assert listener.contacts == 0


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ("SERVICE <http://127.0.0.1:1/>" AS ?x) WHERE {}',
        "SELECT ('''LOAD <http://10.0.0.1/>''' AS ?x) WHERE {}",
        "# SERVICE <http://127.0.0.1:1/> { ?s ?p ?o }\nASK {}",
        "ASK { <http://example.org/SERVICE> ?p ?o }",
    ],
)
def test_service_in_strings_comments_and_iris_is_not_a_service_call(
    protocol_server: str, query: str
) -> None:
    response = httpx.get(f"{protocol_server}/sparql", params={"query": query}, timeout=10)
    assert response.status_code == 200, response.text


def test_load_is_refused_even_with_the_update_token(
    server_for, protocol_store, tmp_path, listener: Listener
) -> None:
    settings = Settings(
        store=protocol_store.location,
        update_token="s3cret",
        service_allowlist=["127.0.0.1"],
        queries=tmp_path,
    )
    update = f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>"
    headers = {"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"}
    with server_for(settings) as url:
        response = httpx.post(f"{url}/sparql", content=update, headers=headers, timeout=10)
    assert response.status_code == 403
    assert listener.contacts == 0


def test_updates_need_the_bearer_token(server_for, protocol_store, tmp_path) -> None:
    settings = Settings(store=protocol_store.location, update_token="s3cret", queries=tmp_path)
    with server_for(settings) as url:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            response = httpx.post(f"{url}/sparql", data={"update": "CLEAR ALL"}, headers=headers)
            assert response.status_code == 401
            assert response.headers["www-authenticate"].startswith("Bearer")


def test_more_queries_than_admitted_get_503_with_retry_after(
    server_for, protocol_store, tmp_path
) -> None:
    settings = Settings(
        store=protocol_store.location,
        query_workers=1,
        max_concurrent_queries=1,
        query_timeout_s=2,
        queries=tmp_path,
    )
    with server_for(settings) as url:
        thread = threading.Thread(
            target=httpx.get,
            args=(f"{url}/sparql",),
            kwargs={"params": {"query": RUNAWAY}, "timeout": 30},
        )
        thread.start()
        time.sleep(0.5)
        response = httpx.get(f"{url}/sparql", params={"query": CHEAP_JOIN}, timeout=10)
        lookup = httpx.get(f"{url}/sparql", params={"query": CHEAP}, timeout=10)
        thread.join(30)
    assert lookup.status_code == 200  # a bounded query needs no worker slot
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["type"] == "ServiceBusy"


def _public(host: str) -> list[str]:
    return {
        "sparql.example.org": ["93.184.216.34"],
        "sneaky.example.org": ["93.184.216.34", "10.1.2.3"],
        "link.example.org": ["169.254.169.254"],
    }[host]


def test_guard_allows_listed_public_hosts_only() -> None:
    query = "SELECT * { SERVICE <https://sparql.example.org/q> { ?s ?p ?o } }"
    guard.check_remote_access(query, ["sparql.example.org"], resolve=_public)
    with pytest.raises(QueryForbidden, match="allow-list"):
        guard.check_remote_access(query, [], resolve=_public)


@pytest.mark.parametrize("host", ["sneaky.example.org", "link.example.org"])
def test_guard_refuses_listed_hosts_that_resolve_to_private_addresses(host: str) -> None:
    query = f"SELECT * {{ SERVICE <http://{host}/sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryForbidden, match="non-public"):
        guard.check_remote_access(query, [host], resolve=_public)

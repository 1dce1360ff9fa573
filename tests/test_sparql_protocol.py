"""/sparql speaks the SPARQL 1.1 Protocol to real clients (issue 3); the W3C manifests run
in test_w3c_manifests.py."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from support import EX, KASEI

COUNT_ITEMS = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?item <{EX}value> ?v }}"


@pytest.fixture
def client(protocol_server: str) -> httpx.Client:
    with httpx.Client(base_url=protocol_server, timeout=10) as client:
        yield client


def test_sparqlwrapper_reads_select_results_in_json_xml_and_csv(protocol_server: str) -> None:
    wrapper = SPARQLWrapper(f"{protocol_server}/sparql")
    wrapper.setQuery(COUNT_ITEMS)
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert()["results"]["bindings"][0]["n"]["value"] == "50"
    wrapper.setReturnFormat(XML)
    assert wrapper.query().convert().getElementsByTagName("literal")[0].firstChild.data == "50"
    wrapper.setReturnFormat(CSV)
    assert wrapper.query().convert().decode().splitlines() == ["n", "50"]


def test_sparqlwrapper_post_and_construct_as_turtle(protocol_server: str) -> None:
    wrapper = SPARQLWrapper(f"{protocol_server}/sparql")
    wrapper.setMethod("POST")
    wrapper.setQuery(f"CONSTRUCT WHERE {{ <{KASEI}data1.rdf> ?p ?o }}")
    wrapper.setReturnFormat(TURTLE)
    graph = Graph().parse(data=wrapper.query().convert(), format="turtle")
    assert len(graph) == 1


def test_rdflib_sparqlstore_queries_the_endpoint(protocol_server: str) -> None:
    store = SPARQLStore(f"{protocol_server}/sparql", returnFormat="xml")
    graph = Graph(store=store)
    rows = list(graph.query("SELECT ?s WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> }"))
    assert {row[0] for row in rows} == {URIRef(f"{KASEI}data{i}.rdf") for i in (1, 2, 3)}
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*;q=0.9, application/sparql-results+json;q=0.1", "text/csv"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_accept_q_values_choose_the_select_format(
    client: httpx.Client, accept: str, media_type: str
) -> None:
    response = client.get("/sparql", params={"query": COUNT_ITEMS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    response = client.get(
        "/sparql",
        params={"query": COUNT_ITEMS, "format": "tsv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.text.splitlines() == ["?n", '"50"^^<http://www.w3.org/2001/XMLSchema#integer>']


def test_nothing_acceptable_is_406_in_the_error_shape(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": COUNT_ITEMS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["status"] == 406


def test_construct_with_only_select_formats_acceptable_is_406(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 406


def test_syntax_error_is_400_with_line_and_column(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Parse error at line 2, column ")


def test_body_over_the_limit_is_413(client: httpx.Client, protocol_settings) -> None:
    body = "ASK {}" + " " * protocol_settings.service.max_body_bytes
    response = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_unknown_media_type_is_415(client: httpx.Client) -> None:
    response = client.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_row_limit_cut_is_announced_in_header_and_body(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": f"SELECT ?v WHERE {{ ?i <{EX}value> ?v }}"})
    body = response.json()
    assert response.headers["x-lcgraph-truncated"] == "true"
    assert response.headers["x-lcgraph-row-limit"] == "20"
    assert len(body["results"]["bindings"]) == 20
    assert body["lcgraph"] == {"truncated": True, "rowLimit": 20}


def test_uncut_result_says_not_truncated(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": COUNT_ITEMS})
    assert response.headers["x-lcgraph-truncated"] == "false"
    assert "lcgraph" not in response.json()


def test_etag_gives_304_to_a_conditional_request(client: httpx.Client) -> None:
    first = client.get("/sparql", params={"query": COUNT_ITEMS})
    again = client.get(
        "/sparql", params={"query": COUNT_ITEMS}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    other = client.get(
        "/sparql",
        params={"query": COUNT_ITEMS, "format": "xml"},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert other.status_code == 200


def test_cors_allows_any_origin_without_credentials_on_results_and_errors(
    client: httpx.Client,
) -> None:
    origin = {"Origin": "https://dashboard.example"}
    ok = client.get("/sparql", params={"query": COUNT_ITEMS}, headers=origin)
    bad = client.get("/sparql", params={"query": "ASK {"}, headers=origin)
    for response in (ok, bad):
        assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in response.headers
    preflight = client.options(
        "/sparql", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200


def test_service_description_is_turtle_by_default(
    client: httpx.Client, protocol_server: str
) -> None:
    response = client.get("/sparql")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(f"{protocol_server}/sparql")
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph


def test_browser_gets_the_query_editor_page(client: httpx.Client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="yasgui"' in response.text


def test_health_and_metrics(client: httpx.Client) -> None:
    client.get("/sparql", params={"query": "ASK {"})
    assert client.get("/health").json()["ok"] is True
    metrics = client.get("/metrics").text
    assert 'lcgraph_requests_total{method="GET",route="/sparql",status="400"}' in metrics
    assert "lcgraph_request_duration_seconds_bucket" in metrics
    assert "lcgraph_query_timeouts_total" in metrics


def test_protocol_dataset_selects_the_default_graph(client: httpx.Client) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    response = client.get(
        "/sparql", params={"query": query, "default-graph-uri": f"{KASEI}data1.rdf"}
    )
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_large_result_streams_in_chunks(server_for, tmp_path) -> None:
    from support import build_store

    from lcgraph.config import Settings

    rows = 60_000
    data = "".join(f'<{EX}r/{i}> <{EX}label> "row number {i}" .\n' for i in range(rows)).encode()
    store = build_store(tmp_path / "store", data)
    settings = Settings(store=store.location, max_rows=rows + 10, queries=tmp_path)
    with (
        server_for(settings) as url,
        httpx.Client(timeout=30) as client,
        client.stream(
            "GET", f"{url}/sparql", params={"query": "SELECT * { ?s ?p ?o }"}
        ) as response,
    ):
        assert "content-length" not in response.headers
        assert response.headers["transfer-encoding"] == "chunked"
        body = b"".join(response.iter_bytes())
    assert len(json.loads(body)["results"]["bindings"]) == rows


def test_query_strings_decode_as_the_standard_library_does() -> None:
    """`parse_params` is `parse_qs(..., keep_blank_values=True)` on bytes, also for malformed
    escapes, backslashes and escapes that are not UTF-8 (seeded random strings)."""
    import random
    from urllib.parse import parse_qs

    from lcgraph.web.protocol import parse_params

    pieces = [b"%", b"%4", b"%41", b"%C3%A9", b"%E2%82", b"\\", b"\\x41", b"\\u0041", b"+"]
    pieces += [b"a", b"%5Cx41", b"\xc3\xa9", b"%FF", b"%g1", b"%%", b"%00", b"=", b"&", b"q"]
    rnd = random.Random(7)
    for _ in range(20000):
        encoded = b"".join(rnd.choice(pieces) for _ in range(rnd.randrange(10)))
        expected = parse_qs(encoded.decode(), keep_blank_values=True)
        assert parse_params(encoded) == expected, encoded


def _http_exchange(url: str, request: bytes, body: bytes = b"") -> tuple[bytes, bytes]:
    """Send `request` on a raw socket; with `body`, only after the server's interim answer.
    Returns (what came before the body was sent, everything after)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        interim = sock.recv(65536) if body else b""
        sock.sendall(body)
        received = b""  # until the server closes: the last request says Connection: close
        while chunk := sock.recv(65536):
            received += chunk
    return interim, received


def test_expect_100_continue_gets_its_interim_answer_before_the_body(protocol_server: str) -> None:
    # an interim `100 Continue` goes out before the body is read: the client waits for it
    # (a server or transport that held heads back, as one did here, must not hold this one)
    body = f"SELECT ?v WHERE {{ <{EX}item/7> <{EX}value> ?v }}".encode()
    head = (
        "POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
        f"Accept: text/csv\r\nExpect: 100-continue\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    interim, answer = _http_exchange(protocol_server, head.encode(), body)
    assert interim.startswith(b"HTTP/1.1 100 Continue")
    assert answer.startswith(b"HTTP/1.1 200 OK") and answer.endswith(b"v\r\n7\r\n")


def test_a_head_answer_and_the_next_answer_on_the_same_connection(protocol_server: str) -> None:
    # HEAD has no body to carry its held head: it must still go out, before the next answer
    query = quote(f"SELECT ?v WHERE {{ <{EX}item/7> <{EX}value> ?v }}")
    requests = (
        f"HEAD /sparql?query={query} HTTP/1.1\r\nHost: test\r\nAccept: text/csv\r\n\r\n"
        f"GET /sparql?query={query} HTTP/1.1\r\nHost: test\r\nAccept: text/csv\r\n"
        "Connection: close\r\n\r\n"
    )
    _, answers = _http_exchange(protocol_server, requests.encode())
    first, _, second = answers.partition(b"\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 200 OK") and b"content-length: 6" in first.lower()
    assert second.startswith(b"HTTP/1.1 200 OK") and second.endswith(b"v\r\n7\r\n")

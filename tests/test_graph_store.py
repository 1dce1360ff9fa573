"""/rdf-graph-store: Graph Store Protocol reads are public, writes need the token (issue 3)."""

from __future__ import annotations

import httpx
from rdflib import Graph
from support import EX, KASEI, build_store, protocol_nquads

from lcgraph.config import Settings

GSP = "/rdf-graph-store"


def test_get_a_named_graph_as_turtle_and_ntriples(protocol_server: str) -> None:
    params = {"graph": f"{KASEI}data2.rdf"}
    turtle = httpx.get(protocol_server + GSP, params=params)
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=turtle.text, format="turtle")) == 1
    nt = httpx.get(
        protocol_server + GSP, params=params, headers={"Accept": "application/n-triples"}
    )
    assert nt.text.count(" .\n") == 1


def test_head_has_headers_and_no_body(protocol_server: str) -> None:
    response = httpx.head(protocol_server + GSP, params={"graph": f"{KASEI}data1.rdf"})
    assert response.status_code == 200
    assert response.headers["etag"]
    assert response.content == b""


def test_missing_graph_is_404_and_bad_parameters_400(protocol_server: str) -> None:
    assert httpx.get(protocol_server + GSP, params={"graph": f"{EX}nothing"}).status_code == 404
    assert httpx.get(protocol_server + GSP).status_code == 400
    assert httpx.get(protocol_server + GSP, params={"graph": "not an iri"}).status_code == 400


def test_default_graph_is_readable(protocol_server: str) -> None:
    response = httpx.get(protocol_server + GSP + "?default")
    assert response.status_code == 200


def test_writes_are_refused_on_the_read_only_endpoint(protocol_server: str) -> None:
    params = {"graph": f"{EX}new"}
    for method in ("PUT", "POST", "DELETE"):
        response = httpx.request(
            method,
            protocol_server + GSP,
            params=params,
            content=b"",
            headers={"Content-Type": "text/turtle"},
        )
        assert response.status_code == 403, method


def test_writes_with_the_token_make_a_new_generation(server_for, tmp_path) -> None:
    store = build_store(tmp_path / "store", protocol_nquads(extra_rows=3))
    settings = Settings(store=store.location, update_token="t0ken", queries=tmp_path)
    auth = {"Authorization": "Bearer t0ken", "Content-Type": "text/turtle"}
    params = {"graph": f"{EX}new"}
    before = store.revision()
    with server_for(settings) as url:
        assert httpx.put(url + GSP, params=params, content=b"<a:x> <a:p> 1 .").status_code == 401
        put = httpx.put(
            url + GSP, params=params, content=f"<{EX}x> <{EX}p> 1 .".encode(), headers=auth
        )
        assert put.status_code == 201  # a new graph (Graph Store Protocol 5.3)
        assert store.revision() != before
        assert "<http://example.org/lcgraph-test/x>" in httpx.get(url + GSP, params=params).text
        update = {"update": f"INSERT DATA {{ GRAPH <{EX}new> {{ <{EX}y> <{EX}p> 2 }} }}"}
        assert (
            httpx.post(
                url + "/sparql", data=update, headers={"Authorization": "Bearer t0ken"}
            ).status_code
            == 204
        )
        assert "lcgraph-test/y" in httpx.get(url + GSP, params=params).text
        assert httpx.delete(url + GSP, params=params, headers=auth).status_code == 204
        assert httpx.get(url + GSP, params=params).status_code == 404

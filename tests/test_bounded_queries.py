"""Bounded queries (one triple pattern) run in the service process: which ones, and that
they answer exactly like a worker would, cut where they must and fall back when long."""

from __future__ import annotations

import httpx
import pytest
from conftest import EX

from lcgraph.config import Settings
from lcgraph.querying import inline
from lcgraph.querying.bounded import is_bounded

ITEM = f"<{EX}item/7>"
VALUE = f"<{EX}value>"

BOUNDED = [
    f"SELECT ?p ?o WHERE {{ {ITEM} ?p ?o }}",
    f"select * {{ {ITEM} ?p ?o . }}",
    f"PREFIX ex: <{EX}> SELECT ?s WHERE {{ ?s ex:value \"7\" }} LIMIT 10",
    f"BASE <{EX}> PREFIX : <{EX}> SELECT $s {{ $s :value ?v }}",
    f'SELECT ?s WHERE {{ ?s {VALUE} "7"^^<http://www.w3.org/2001/XMLSchema#string> }}',
    f'SELECT ?s WHERE {{ ?s {VALUE} "zeven"@nl-NL }}',
    f"SELECT ?s WHERE {{ ?s {VALUE} 7 }}",
    f"SELECT ?s WHERE {{ ?s {VALUE} true }}",
    "SELECT ?s WHERE { ?s a ?type }",
    f"ASK {{ {ITEM} ?p ?o }}",
    f"ASK WHERE {{ ?s {VALUE} ?o }}",
    f"CONSTRUCT WHERE {{ {ITEM} ?p ?o }}",
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }  # a scan is lazy too: rows are pulled one by one",
    f"SELECT ?o WHERE {{ {ITEM} ?p ?o }} # }} OPTIONAL {{ ?x ?y ?z }}",
    f'SELECT ?s WHERE {{ ?s {VALUE} "}} ?a ?b ?c {{" }}',
]

UNBOUNDED = [
    "SELECT ?x WHERE { ?x ?p ?x }",  # a repeated variable scans the store for a match
    "SELECT ?x WHERE { $x ?p ?x }",
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
    "SELECT REDUCED ?p WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o } OFFSET 100000",
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT ?n",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?o = 1) }",
    "SELECT ?s WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT ?s WHERE { ?s ?p ?o . ?o ?q ?r }",
    f"SELECT ?s WHERE {{ ?s {VALUE} ?o ; ?q ?r }}",
    f"SELECT ?s WHERE {{ ?s {VALUE} ?o , ?r }}",
    f"SELECT ?s WHERE {{ ?s {VALUE}/{VALUE} ?o }}",
    f"SELECT ?s WHERE {{ ?s ^{VALUE} ?o }}",
    f"SELECT ?s WHERE {{ ?s {VALUE}* ?o }}",
    f"PREFIX ex: <{EX}> SELECT ?s WHERE {{ ?s ex:value+ ?o }}",
    f"SELECT ?s WHERE {{ ?s {VALUE} [] }}",
    f"SELECT ?s WHERE {{ _:b {VALUE} ?s }}",
    "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"SELECT ?s FROM <{EX}g> WHERE {{ ?s ?p ?o }}",
    "SELECT ?s WHERE { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
    "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <x> }",
    "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s } }",
    "SELECT ?s WHERE { ?s ?p ?o } # } ORDER BY ?s\n ORDER BY ?o",
    "SELECT ?x WHERE { ?x ?p \\u003Fx }",  # an escape decodes to a repeated variable
    "DESCRIBE ?s WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o } LIMIT 1",
    "SELECT ?s WHERE { ?s ?p ?o",
    "SELECT WHERE { ?s ?p ?o }",
    "",
]


@pytest.mark.parametrize("query", BOUNDED)
def test_single_pattern_queries_are_bounded(query: str) -> None:
    assert is_bounded(query)


@pytest.mark.parametrize("query", UNBOUNDED)
def test_anything_else_goes_to_a_worker(query: str) -> None:
    assert not is_bounded(query)


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_an_inline_answer_is_the_answer_a_worker_gives(protocol_server: str, accept: str) -> None:
    inline_query = f"SELECT ?s ?o WHERE {{ ?s {VALUE} ?o }} LIMIT 5"
    worker_query = f"SELECT ?s ?o WHERE {{ ?s {VALUE} ?o FILTER(true) }} LIMIT 5"
    assert is_bounded(inline_query) and not is_bounded(worker_query)
    answers = [
        httpx.get(f"{protocol_server}/sparql", params={"query": q}, headers={"Accept": accept})
        for q in (inline_query, worker_query)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    for name in ("content-type", "x-lcgraph-truncated", "x-lcgraph-row-limit"):
        assert answers[0].headers[name] == answers[1].headers[name]


def test_an_inline_answer_says_when_the_row_limit_cut_it(protocol_server: str) -> None:
    # protocol_settings has max_rows=20; the store has 50 numbered items
    response = httpx.get(
        f"{protocol_server}/sparql",
        params={"query": f"SELECT ?s WHERE {{ ?s {VALUE} ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.headers["x-lcgraph-truncated"] == "true"
    body = response.json()
    assert len(body["results"]["bindings"]) == 20
    assert body["lcgraph"] == {"truncated": True, "rowLimit": 20}


def test_a_long_bounded_result_is_streamed_by_a_worker_in_full(
    server_for, protocol_store, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inline, "INLINE_ROWS", 10)
    settings = Settings(store=protocol_store.location, max_rows=1000, queries=tmp_path)
    with server_for(settings) as url:
        response = httpx.get(
            f"{url}/sparql",
            params={"query": f"SELECT ?s WHERE {{ ?s {VALUE} ?o }}", "format": "json"},
        )
    assert response.status_code == 200
    assert response.headers["x-lcgraph-truncated"] == "false"
    assert len(response.json()["results"]["bindings"]) == 50


def test_inline_syntax_errors_name_their_position(protocol_server: str) -> None:
    query = "SELECT ?s WHERE { ?s undeclared:value ?o }"
    assert is_bounded(query)
    response = httpx.get(f"{protocol_server}/sparql", params={"query": query})
    assert response.status_code == 400
    assert response.json()["type"] == "QuerySyntaxError"
    assert "line 1, column" in response.json()["error"]

"""Full-text search inside SPARQL on every path (issue 15): the real index, the real service.

The curated build (its index built with it) served by uvicorn on a free 127.0.0.1 port and
asked with SPARQLWrapper and httpx; the same on a real `oxigraph serve` holding the same
build (its index built locally on the first search); the CLI (`lcgraph sparql`, `lcgraph
query search`) through typer's CliRunner; the Service Description.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import JSON, SPARQLWrapper
from support import serve_app
from typer.testing import CliRunner

from lcgraph.cli import app as cli
from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

ID = "https://w3id.org/lcgraph/id/learning-community/"
WIND = ID + "career-windenergie-op-zee"
ENERGY_COLLEGE = ID + "energy-college"
SERVICE_QUERY = """PREFIX lc: <https://w3id.org/lcgraph/def/lc/>
PREFIX lcs: <https://w3id.org/lcgraph/def/search#>
SELECT ?lc ?score WHERE {
  SERVICE <https://w3id.org/lcgraph/def/search> {
    ?lc lcs:query "windenergie" ; lcs:score ?score ; lcs:limit 20
  }
  ?lc a lc:LearningCommunity .
} ORDER BY DESC(?score)"""
JENA_QUERY = """PREFIX text: <http://jena.apache.org/text#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?score ?label WHERE {
  (?s ?score) text:query (skos:prefLabel "energy college" 10 "lang:en") .
  ?s skos:prefLabel ?label .
} ORDER BY DESC(?score)"""
SD = "http://www.w3.org/ns/sparql-service-description#"
FEATURE = "https://w3id.org/lcgraph/def/search#FullTextSearch"


def _settings(store: str) -> Settings:
    return Settings(store=store, reasoner=False, query_workers=1, result_cache_entries=0)


@pytest.fixture(scope="module")
def service(curated_store: EmbeddedStore) -> Iterator[str]:
    with serve_app(create_app(_settings(curated_store.location))) as url:
        yield url


@pytest.fixture(scope="module")
def remote_service(remote_curated_store: object, oxigraph_url: str) -> Iterator[str]:
    with serve_app(create_app(_settings(oxigraph_url))) as url:
        yield url


def _select(endpoint: str, query: str) -> list[dict[str, Any]]:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    result: Any = client.queryAndConvert()
    return list(result["results"]["bindings"])


def _post(service: str, query: str) -> httpx.Response:
    return httpx.post(
        service + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )


# --- /sparql on the embedded store -------------------------------------------------------


def test_service_form_finds_the_community_and_joins_with_the_graph(service: str) -> None:
    rows = _select(service + "/sparql", SERVICE_QUERY)
    assert rows and rows[0]["lc"]["value"] == WIND
    assert all(row["lc"]["value"].startswith(ID) for row in rows)  # the join kept communities
    score = rows[0]["score"]
    assert score["datatype"] == "http://www.w3.org/2001/XMLSchema#double"
    assert float(score["value"]) > 0


def test_jena_form_runs_unchanged(service: str) -> None:
    rows = _select(service + "/sparql", JENA_QUERY)
    assert rows[0]["s"]["value"] == ENERGY_COLLEGE
    assert rows[0]["label"]["value"] == "Energy College"
    assert len({row["s"]["value"] for row in rows}) <= 10


def test_dutch_compound_part_and_typo_through_sparql(service: str) -> None:
    """The index's own matching comes through unchanged: a part of a compound, one typo."""
    query = SERVICE_QUERY.replace('"windenergie"', '"windenergi"')
    assert WIND in {row["lc"]["value"] for row in _select(service + "/sparql", query)}


@pytest.mark.parametrize(
    ("replace", "by", "words"),
    [
        ('"windenergie"', '""', "Search error at line 5, column"),
        ('"windenergie"', '"\\"wind"', "Search error at line 5"),
        ('"windenergie"', '"de het een"', "Search error at line 5"),
        ('"windenergie"', "?text", "not the variable ?text"),
        ("lcs:limit 20", "lcs:limit 101", "the limit 101 is above the cap of 100"),
        ('"windenergie"', '"' + "x" * 1001 + '"', "Search error at line 5"),
    ],
)
def test_bad_search_input_is_a_located_400(service: str, replace: str, by: str, words: str) -> None:
    response = _post(service, SERVICE_QUERY.replace(replace, by))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["ok"] is False and words in body["error"], body
    assert body["type"] == "QuerySyntaxError"


def test_every_other_service_is_still_refused(service: str) -> None:
    query = SERVICE_QUERY.replace(
        "?lc a lc:LearningCommunity .", "SERVICE <http://127.0.0.1:9/sparql> { ?lc ?p ?o }"
    )
    response = _post(service, query)
    assert response.status_code == 403
    assert "refused" in response.json()["error"]


def test_the_service_description_lists_the_feature(service: str) -> None:
    response = httpx.get(service + "/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    endpoint = URIRef(service + "/sparql")
    assert (endpoint, URIRef(SD + "feature"), URIRef(FEATURE)) in graph
    assert (URIRef(FEATURE), None, URIRef(SD + "Feature")) in graph


def test_named_query_search_over_rest(service: str) -> None:
    response = httpx.get(service + "/api/queries/search.json", params={"q": "windenergie"})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert WIND in {row["resource"]["value"] for row in rows}
    assert all(row["q"]["value"] == "windenergie" for row in rows)
    scores = [float(row["score"]["value"]) for row in rows]
    assert scores == sorted(scores, reverse=True)
    few = httpx.get(service + "/api/queries/search.json", params={"q": "energie", "limit": "2"})
    assert len(few.json()["results"]["bindings"]) == 2
    over = httpx.get(service + "/api/queries/search.json", params={"q": "energie", "limit": "500"})
    assert over.status_code == 400 and "above the cap" in over.json()["error"]
    missing = httpx.get(service + "/api/queries/search.json")
    assert missing.status_code == 400


# --- the remote store: a real `oxigraph serve` gets plain SPARQL 1.1 ------------------------


def test_service_and_jena_forms_on_the_remote_store(remote_service: str, service: str) -> None:
    remote = _select(remote_service + "/sparql", SERVICE_QUERY)
    assert [row["lc"]["value"] for row in remote] == [
        row["lc"]["value"] for row in _select(service + "/sparql", SERVICE_QUERY)
    ]
    assert _select(remote_service + "/sparql", JENA_QUERY)[0]["s"]["value"] == ENERGY_COLLEGE
    named = httpx.get(remote_service + "/api/queries/search.json", params={"q": "windenergie"})
    assert WIND in {row["resource"]["value"] for row in named.json()["results"]["bindings"]}


# --- the command line ------------------------------------------------------------------------


def test_cli_sparql_and_named_query_search(curated_store: EmbeddedStore) -> None:
    store = curated_store.location
    ran = CliRunner().invoke(cli, ["sparql", SERVICE_QUERY, "--store", store, "-f", "json"])
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.output)["results"]["bindings"][0]["lc"]["value"] == WIND
    named = CliRunner().invoke(
        cli, ["query", "search", "-p", "q=windenergie", "--store", store, "-f", "csv"]
    )
    assert named.exit_code == 0, named.output
    assert WIND in named.output
    bad = CliRunner().invoke(cli, ["sparql", SERVICE_QUERY.replace("20", "500"), "--store", store])
    assert bad.exit_code == 1 and "above the cap" in bad.output


def test_cli_on_the_remote_store(remote_curated_store: object, oxigraph_url: str) -> None:
    ran = CliRunner().invoke(cli, ["sparql", JENA_QUERY, "--store", oxigraph_url, "-f", "csv"])
    assert ran.exit_code == 0, ran.output
    assert ran.output.splitlines()[1].startswith(ENERGY_COLLEGE)

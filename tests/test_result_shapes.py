"""Results keep the shape the query gives them (issue 12): `SELECT *` columns in the order
their variables first appear, Turtle with the query's prefixes and the project's, on every
path: inline (one pattern), a worker, the cache, and a remote store."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from support import serve_app

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.web.app import create_app

SKOS = "http://www.w3.org/2004/02/skos/core#"
STAR_QUERIES = {  # query -> the columns in order of first appearance
    "SELECT * WHERE { ?zed ?b ?a } LIMIT 2": ["zed", "b", "a"],  # one pattern: inline
    "SELECT * WHERE { ?zed a ?type . OPTIONAL { ?zed ?b ?a } } LIMIT 2": ["zed", "type", "b", "a"],
    "SELECT DISTINCT * { { SELECT ?y ?x { ?x ?p ?y } LIMIT 2 } ?x ?q ?y } LIMIT 2": [
        "y",
        "x",
        "q",
    ],
}


@pytest.fixture(scope="module")
def url(any_store, tmp_path_factory) -> Iterator[str]:
    settings = Settings(store=any_store.location, queries=tmp_path_factory.mktemp("no-queries"))
    with serve_app(create_app(settings)) as base:
        yield base


@pytest.mark.parametrize("query", list(STAR_QUERIES))
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_select_star_columns_come_in_the_order_of_the_query(url: str, query: str, fmt: str) -> None:
    for attempt in ("answered", "cached"):
        response = httpx.get(f"{url}/sparql", params={"query": query, "format": fmt})
        assert response.status_code == 200, response.text
        columns = (
            response.json()["head"]["vars"] if fmt == "json" else response.text.split("\r\n")[0]
        )
        expected = STAR_QUERIES[query]
        assert columns == (expected if fmt == "json" else ",".join(expected)), attempt


@pytest.mark.parametrize(
    "query",
    [
        f"PREFIX my: <{SKOS}> CONSTRUCT WHERE {{ ?s my:prefLabel ?label }} LIMIT 3",  # inline
        f"PREFIX my: <{SKOS}> CONSTRUCT {{ ?s my:prefLabel ?l }}"
        " WHERE { ?s a ?t ; my:prefLabel ?l } LIMIT 3",
    ],
)
def test_turtle_uses_the_query_prefixes_and_the_projects(url: str, query: str) -> None:
    response = httpx.get(
        f"{url}/sparql", params={"query": query}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200, response.text
    assert f"@prefix my: <{SKOS}> ." in response.text
    assert " my:prefLabel " in response.text
    for name, namespace in Iris(Settings().base_iri).prefixes.items():
        if name != "skos":  # the query's own name for it wins
            assert f"@prefix {name}: <{namespace}> ." in response.text

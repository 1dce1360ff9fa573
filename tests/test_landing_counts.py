"""The landing page's counts on the curated graph (issue 13): computed from the graph.

The real network (organisations, funded projects, participations) is served from the
curated build; each figure on / must be what SPARQL counts in the same store, in English and
Dutch, and the schema.org description says the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from support import serve_app

from lcgraph.config import Settings
from lcgraph.iris import LC
from lcgraph.pages.dataset import dutch_number
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

CLASSES = ("Organisation", "FundedProject", "LearningCommunity", "Participation")


@pytest.fixture(scope="module")
def client(curated_store: EmbeddedStore) -> Iterator[httpx.Client]:
    settings = Settings(store=curated_store.location, query_workers=1)
    with serve_app(create_app(settings)) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http


def sparql_count(store: EmbeddedStore, pattern: str) -> int:
    ((n,),) = list(store.query(f"SELECT (COUNT(*) AS ?n) {{ {pattern} }}"))
    return int(n.value)


def expected(store: EmbeddedStore) -> dict[str, int]:
    counts = {
        name: sparql_count(store, f"SELECT DISTINCT ?x {{ ?x a <{LC}{name}> }}") for name in CLASSES
    }
    counts["triples"] = sparql_count(store, "SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }")
    return counts


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_landing_figures_are_the_graphs_counts(
    client: httpx.Client, curated_store: EmbeddedStore, lang: str
) -> None:
    page = client.get(f"/index.{lang}.html").text
    figures = re.search(r'<p id="figures">(.*?)</p>', page, re.S)
    assert figures is not None
    shown = {
        cls.removeprefix(LC): int(n)
        for cls, n in re.findall(r'data-class="([^"]+)">(\d+)<', figures.group(1))
    }
    counts = expected(curated_store)
    assert shown == {name: counts[name] for name in CLASSES}
    assert shown["Organisation"] > 2_000 and shown["FundedProject"] > 1_800  # the real network
    assert shown["Participation"] > 1_800
    triples = re.search(r'data-triples="(\d+)">([\d.,]+)<', figures.group(1))
    assert triples is not None and int(triples.group(1)) == counts["triples"]
    written = f"{counts['triples']:,}" if lang == "en" else dutch_number(counts["triples"])
    assert triples.group(2) == written


def test_schema_org_description_carries_the_counts(
    client: httpx.Client, curated_store: EmbeddedStore
) -> None:
    page = client.get("/index.en.html").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    description = json.loads(block.group(1))["description"]
    counts = expected(curated_store)
    assert f"{counts['Organisation']:,} organisations" in description
    assert f"{counts['FundedProject']:,} funded projects" in description
    assert f"{counts['Participation']:,} participations" in description
    assert f"({counts['triples']:,} triples)" in description

"""Ranking on the real (curated) network, with answers checked by hand (docs/search.md).

The resource whose own label is what was typed comes first, then labels with the word or
a word that begins with it (short labels first), and only then compound parts, typos and
descriptions that mention it. Before, BM25 alone put the municipality Rotterdam 25th for
"Rotterdam", and "Hogeschool voor de Kunsten Utrecht" before "Hogeschool Utrecht".
"""

from __future__ import annotations

import pytest

from lcgraph.search import LABEL_PREDICATES, Searcher, searcher_for
from lcgraph.store.embedded import EmbeddedStore

ID = "https://w3id.org/lcgraph/id/"
LC = "https://w3id.org/lcgraph/def/lc/"


@pytest.fixture(scope="module")
def searcher(curated_store: EmbeddedStore) -> Searcher:
    return searcher_for(curated_store, curated_store.revision())


def top(searcher: Searcher, query: str, n: int = 5) -> list[str]:
    return [hit.iri for hit in searcher.search(query, lang="nl", limit=n, facets=False).hits]


def test_the_resource_named_exactly_comes_first(searcher: Searcher) -> None:
    assert top(searcher, "Rotterdam")[0] == ID + "municipality/GM0599"
    assert top(searcher, "hogeschool utrecht")[0] == ID + "organisation/hogeschool-utrecht"
    assert top(searcher, '"Hogeschool Utrecht"')[0] == ID + "organisation/hogeschool-utrecht"


def test_a_prefix_of_a_label_word_finds_the_shortest_label_first(searcher: Searcher) -> None:
    result = searcher.search("leergemeen", lang="nl", limit=10, facets=False)
    assert result.hits[0].iri == LC + "LearningCommunity"
    # the four labels with a word that begins so, before any description that mentions it
    labels = [hit.field in LABEL_PREDICATES for hit in result.hits]
    assert labels[:4] == [True] * 4 and not any(labels[4:])


def test_a_typo_still_finds_the_class(searcher: Searcher) -> None:
    assert top(searcher, "leergemeenscap")[0] == LC + "LearningCommunity"

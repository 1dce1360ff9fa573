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


LEARNING_COMMUNITY_LABELS = [  # labelled "leergemeenschap(pen)", best first (docs/search.md)
    LC + "LearningCommunity",
    LC + "communityCount",  # aantal leergemeenschappen
    "https://w3id.org/lcgraph/def/lc",  # the ontology: Leergemeenschappen in de topsectoren
    LC + "sharedCommunities",  # aantal gedeelde leergemeenschappen
]


def test_a_typo_finds_what_the_word_it_stands_for_finds(searcher: Searcher) -> None:
    # before: only the class (one edit away); the plurals are two edits from the typo
    assert top(searcher, "leergemeenscap", 4) == LEARNING_COMMUNITY_LABELS
    assert top(searcher, "leergemeenscap", 10) == top(searcher, "leergemeenschap", 10)
    hits = searcher.search("leergemeenscap", lang="nl", limit=4, facets=False).hits
    assert all("<b>" in hit.snippet for hit in hits)  # the corrected word highlighted


def test_a_quoted_phrase_finds_and_shows_every_text_that_has_it(searcher: Searcher) -> None:
    result = searcher.search('"hogeschool utrecht"', lang="nl", limit=10, facets=False)
    assert [hit.iri for hit in result.hits] == [
        ID + "organisation/hogeschool-utrecht",
        ID + "funded-project/eusf-2007-255",  # partners: "… de Hogeschool Utrecht."
        ID + "funded-project/eusf-2007-93",
        "https://w3id.org/lcgraph/source/curated/StructuralFundsNL2007NOW.csv#row=93",
    ]
    # each shows the literal with the phrase, not a label with one of its words
    assert all("<b>Hogeschool</b> <b>Utrecht</b>" in hit.snippet for hit in result.hits)


def test_a_word_finds_the_labels_with_it_first_then_every_text_and_compound(
    searcher: Searcher,
) -> None:
    result = searcher.search("werkplek", lang="nl", limit=5, facets=False)
    assert [hit.iri for hit in result.hits[:2]] == [
        ID + "funded-project/eusf-2007-1594",  # Optimaal leren op de werkplek
        "https://w3id.org/lcgraph/def/research-question/workplace-learning-potential",
    ]
    assert all("<b>werkplek" in hit.snippet for hit in result.hits)
    # "Stage- werkplekleren": the compound part, found among the rest
    compound = ID + "funded-project/esf-2014EUSF2011987"
    everything = searcher.search("werkplek", lang="nl", limit=100, offset=100, facets=False)
    first = searcher.search("werkplek", lang="nl", limit=100, facets=False)
    assert compound in {hit.iri for hit in first.hits + everything.hits}

"""The search index API (issue 15) on the curated graph and on small graphs made here.

Known answers: Dutch and English words, stems, compound parts, one typo, phrases, facets
and filters; every kind of bad input is a SearchError; the build writes the index of the
revision it makes live, and a revision without one gets it on the first search.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lcgraph.search import (
    MAX_LIMIT,
    Searcher,
    SearchError,
    clear_cache,
    index_path,
    index_staging,
    searcher_for,
)
from lcgraph.search.indexing import FORMAT
from lcgraph.store.embedded import EmbeddedStore

DEF = "https://w3id.org/lcgraph/def/"
LC = DEF + "lc/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
EX = "http://example.org/search-test/"


@pytest.fixture(scope="module")
def curated(small_curated_store: EmbeddedStore) -> Searcher:
    return searcher_for(small_curated_store, small_curated_store.revision())


def iris(searcher: Searcher, query: str, **options: object) -> list[str]:
    return [hit.iri for hit in searcher.search(query, **options).hits]  # type: ignore[arg-type]


def small_store(root: Path, nquads: str) -> EmbeddedStore:
    """A store of `nquads` with its index, as the build makes them (index before switch)."""
    store = EmbeddedStore(root)
    with store.stage() as staging:
        staging.load(nquads.encode())
        index_staging(staging, store)
    return store


COMPOUNDS = f"""
<{EX}a> <{SKOS}prefLabel> "Werkplekleren in de zorg"@nl <{EX}g> .
<{EX}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{LC}LearningCommunity> <{EX}g> .
<{EX}a> <{LC}statedSector> <{DEF}topsector/LSH> <{EX}g> .
<{EX}b> <{SKOS}prefLabel> "Leergemeenschap techniek"@nl <{EX}g> .
<{EX}b> <{SKOS}definition> "A community that learns on the shop floor."@en <{EX}g> .
<{EX}b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{LC}LearningCommunity> <{EX}g> .
<{EX}b> <{LC}statedSector> <{DEF}topsector/HTSM> <{EX}g> .
<{EX}b> <{LC}region> <{EX}region/utrecht> <{EX}g> .
<{EX}c> <{RDFS}label> "werkgever"@nl <{EX}g> .
<{EX}c> <{RDFS}label> "employer"@en <{EX}g> .
<{EX}c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{LC}Organisation> <{EX}g> .
<{EX}d> <{RDFS}label> "plekken & <leren>"@nl <{EX}g> .
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    store = small_store(tmp_path_factory.mktemp("search") / "store", COMPOUNDS)
    return searcher_for(store)


# --- known answers on the curated graph -------------------------------------------------


def test_dutch_word_finds_the_class_by_its_label_first(curated: Searcher) -> None:
    result = curated.search("leergemeenschap", lang="nl")
    top = result.hits[0]
    assert top.iri == LC + "LearningCommunity"
    assert top.label == "leergemeenschap"
    assert top.field == RDFS + "label" and top.lang == "nl"
    assert top.snippet == "<b>leergemeenschap</b>"
    assert LC + "communityCount" in iris(curated, "leergemeenschap")  # plural, by its stem


def test_english_words_with_english_stems(curated: Searcher) -> None:
    result = curated.search("learning community", lang="en")
    hit = next(h for h in result.hits[:3] if h.iri == LC + "LearningCommunity")
    assert hit.label == "learning community"
    assert hit.lang == "en" and hit.snippet == "<b>learning</b> <b>community</b>"
    assert LC + "communityCount" in iris(curated, "communities", lang="en")  # by the stem


def test_compound_part_finds_leergemeenschap(curated: Searcher) -> None:
    result = curated.search("gemeensch")
    assert result.hits[0].iri == LC + "LearningCommunity"
    assert result.hits[0].snippet == "leer<b>gemeensch</b>ap"


def test_one_typo_is_forgiven(curated: Searcher) -> None:
    assert iris(curated, "leergemenschap")[0] == LC + "LearningCommunity"
    assert iris(curated, "leergemeensvhap")[0] == LC + "LearningCommunity"


def test_phrase_matches_words_in_order(curated: Searcher) -> None:
    result = curated.search('"leven lang leren"')
    assert result.total > 0
    assert all("<b>leven</b> <b>lang</b> <b>leren</b>" in hit.snippet for hit in result.hits)


def test_paging_is_stable_and_total_counts_all(curated: Searcher) -> None:
    everything = iris(curated, "leren", limit=MAX_LIMIT)
    total = curated.search("leren", limit=5).total
    assert total == len(everything) or total > MAX_LIMIT
    assert iris(curated, "leren", limit=5, offset=5) == everything[5:10]


def test_exclusion_and_alternatives(curated: Searcher) -> None:
    with_werkplek = set(iris(curated, "leren", limit=MAX_LIMIT))
    without = set(iris(curated, "leren -werkplek", limit=MAX_LIMIT))
    assert without < with_werkplek
    either = set(iris(curated, "zorginstelling OR onderwijsinstelling"))
    assert {LC + "HealthcareOrganisation", LC + "EducationOrganisation"} <= either


# --- small graphs: compounds, facets, filters, predicates -------------------------------


def test_werkplek_finds_werkplekleren(small: Searcher) -> None:
    result = small.search("werkplek")
    assert [h.iri for h in result.hits] == [EX + "a"]
    assert result.hits[0].snippet == "<b>Werkplek</b>leren in de zorg"


def test_compound_parts_stay_inside_one_word(small: Searcher) -> None:
    assert iris(small, "plekleren") == [EX + "a"]  # not "plekken & leren" of d


DCT = "http://purl.org/dc/terms/"
DESCRIPTIONS = f"""
<{EX}e> <{RDFS}label> "Project E"@nl <{EX}g> .
<{EX}e> <{DCT}description> "Samen in de leefomgeving, met werkplekleren."@nl <{EX}g> .
<{EX}f> <{RDFS}label> "Project F"@nl <{EX}g> .
<{EX}f> <{DCT}description> "De omgeving van de school."@nl <{EX}g> .
<{EX}h> <{RDFS}label> "Project H"@nl <{EX}g> .
<{EX}h> <{DCT}description> "Met Stichting İbrahim."@nl <{EX}g> .
"""


def test_compound_parts_of_other_text(tmp_path: Path) -> None:
    """A description's word that ends with, begins with or holds the query word is found
    (`parts` and `text_words`), after the descriptions that have the word itself."""
    searcher = searcher_for(small_store(tmp_path / "store", DESCRIPTIONS))
    found = searcher.search("omgeving")
    assert [h.iri for h in found.hits] == [EX + "f", EX + "e"]
    assert "leef<b>omgeving</b>" in found.hits[1].snippet
    assert iris(searcher, "werkplek") == [EX + "e"]  # a word that begins with it
    assert iris(searcher, "plekleren") == [EX + "e"]  # inside one word
    assert iris(searcher, "samen omgeving") == [EX + "e"]
    # the words split as tantivy splits them: Python's lower case makes "i" and "brahim"
    # of "İbrahim", whose part "brahim" then began no word of either field
    assert iris(searcher, "brahim") == [EX + "h"]


def test_snippet_escapes_html(small: Searcher) -> None:
    hit = small.search("plekken")
    assert hit.hits[0].snippet == "<b>plekken</b> &amp; &lt;leren&gt;"


def test_facets_count_every_match_and_filters_narrow(small: Searcher) -> None:
    result = small.search("werk")
    assert result.facets["class"] == {LC + "LearningCommunity": 1, LC + "Organisation": 1}
    assert result.facets["topsector"] == {DEF + "topsector/LSH": 1}
    filtered = small.search("werk", filters={"class": [LC + "Organisation"]})
    assert [h.iri for h in filtered.hits] == [EX + "c"]
    assert filtered.facets["class"] == {LC + "Organisation": 1}


def test_label_in_the_requested_language(small: Searcher) -> None:
    assert small.search("werkgever", lang="en").hits[0].label == "employer"
    assert small.search("werkgever", lang="nl").hits[0].label == "werkgever"


def test_predicate_restricts_to_its_text(small: Searcher) -> None:
    assert iris(small, "community") == [EX + "b"]
    assert iris(small, "community", predicate=SKOS + "prefLabel") == []
    hit = small.search("community", predicate=SKOS + "definition").hits[0]
    assert hit.field == SKOS + "definition" and hit.lang == "en"
    with pytest.raises(SearchError, match="not indexed"):
        small.search("werk", predicate=EX + "unknown")


def test_suggest_completes_label_prefixes(small: Searcher) -> None:
    assert small.suggest("werkpl") == [(EX + "a", "Werkplekleren in de zorg")]
    assert small.suggest("leergemeenschap te") == [(EX + "b", "Leergemeenschap techniek")]
    assert small.suggest("werkg", lang="en") == [(EX + "c", "werkgever")]  # what was typed
    assert small.suggest("employ", lang="nl") == [(EX + "c", "employer")]


EUROPEAN = f"""
<{EX}nugo> <{RDFS}label> "Vereniging European Nutrigenomics Organisation" <{EX}g> .
<{EX}ern> <{RDFS}label> "European Reference Network for Rare Diseases of the Heart" <{EX}g> .
<{EX}ec> <{RDFS}label> "Europese Commissie"@nl <{EX}g> .
<{EX}ec> <{RDFS}label> "European Commission"@en <{EX}g> .
"""


def test_suggest_puts_labels_that_begin_with_the_words_first_and_short_ones_before_long(
    tmp_path: Path,
) -> None:
    searcher = searcher_for(small_store(tmp_path / "store", EUROPEAN))
    assert [iri for iri, _ in searcher.suggest("europ")] == [EX + "ec", EX + "ern", EX + "nugo"]
    assert searcher.suggest("europ", lang="en")[0] == (EX + "ec", "European Commission")
    assert searcher.suggest("european nutri") == [
        (EX + "nugo", "Vereniging European Nutrigenomics Organisation")
    ]


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("de het een", "only stop words"),
        ("the of", "only stop words"),
        ('"werkplek leren', "unbalanced quote"),
        ("(zorg OR welzijn", "unbalanced parenthesis"),
        ("zorg)", "unbalanced parenthesis"),
        ("()", "empty parentheses"),
        ("zorg OR", "nothing after"),
        ("-zorg", "only excludes"),
        ("x" * 1001, "1,001 characters"),
    ],
)
def test_bad_queries_say_what_is_wrong(small: Searcher, query: str, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        small.search(query)


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (MAX_LIMIT + 1, 0), (10, -1)])
def test_bad_pages_are_refused(small: Searcher, limit: int, offset: int) -> None:
    with pytest.raises(SearchError, match=r"limit|offset"):
        small.search("werk", limit=limit, offset=offset)


def test_bad_suggest_input(small: Searcher) -> None:
    with pytest.raises(SearchError):
        small.suggest("")
    with pytest.raises(SearchError):
        small.suggest("werk", limit=11)


def test_syntax_characters_are_never_query_text(small: Searcher) -> None:
    for query in ["werk:*", "iri:*", "werk^10", "werk~2", "iri:x OR werk"]:
        small.search(query)  # no error, and no field or operator of tantivy's syntax
    assert iris(small, "iri:werkgever") == []  # the words "iri werkgever" in order, no field
    with pytest.raises(SearchError, match="no letters or digits"):
        small.search("/.*/")


# --- where the index lives ---------------------------------------------------------------


def test_build_writes_the_index_of_its_revision(small_curated_store: EmbeddedStore) -> None:
    revision = small_curated_store.revision()
    assert revision is not None
    assert index_path(small_curated_store, revision).is_dir()
    store_folder = Path(small_curated_store.location)
    expected = store_folder / "search" / f"format-{FORMAT}"
    assert index_path(small_curated_store, revision).parent == expected


def test_revision_without_index_gets_one_on_first_search(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    with store.stage() as staging:  # a write that does not index (as an update does)
        staging.load(COMPOUNDS.encode())
    revision = store.revision()
    assert revision is not None and not index_path(store, revision).exists()
    assert [h.iri for h in searcher_for(store, revision).search("werkplek").hits] == [EX + "a"]
    assert index_path(store, revision).is_dir()


def test_failed_build_leaves_the_old_index(tmp_path: Path) -> None:
    store = small_store(tmp_path / "store", COMPOUNDS)
    before = store.revision()
    with pytest.raises(RuntimeError), store.stage() as staging:
        staging.load(f'<{EX}z> <{RDFS}label> "nieuw"@nl <{EX}g> .\n'.encode())
        index_staging(staging, store)
        raise RuntimeError("validation failed")
    assert store.revision() == before
    assert iris(searcher_for(store), "nieuw") == []
    assert iris(searcher_for(store), "werkplek") == [EX + "a"]


# --- a remote store: the index is built here, by the build that uploads the graph --------


@pytest.mark.remote_store
def test_remote_store_search_uses_the_index_its_build_made(remote_curated_store: object) -> None:
    from lcgraph.store.remote import RemoteStore

    assert isinstance(remote_curated_store, RemoteStore)
    revision = remote_curated_store.revision()
    assert revision is not None
    folder = index_path(remote_curated_store, revision)
    assert folder.is_dir()  # made before the switch, on this machine
    assert folder.parent.name == f"format-{FORMAT}"  # var/search/<digest>/format-F/<revision>
    assert folder.parent.parent.parent.name == "search"
    searcher = searcher_for(remote_curated_store, revision)
    assert searcher.search("leergemeenschap").hits[0].iri == LC + "LearningCommunity"
    # a compound part: with the open data, the Scholengemeenschap labels match as well
    # (shorter ones may come first; ranking: tests/test_search_ranking.py)
    assert LC + "LearningCommunity" in iris(searcher, "gemeensch", limit=5)
    shutil.rmtree(folder)  # as on a machine that did not build it: made from the server
    clear_cache()
    again = searcher_for(remote_curated_store, revision)
    assert folder.is_dir() and again.size == searcher.size


def test_the_build_s_facets_from_its_links_are_those_of_its_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build hands the index its closure's links instead of reading the facets back
    (`reading.Known`): on the whole curated graph, every resource's text and facets are
    what reading its graph alone gives (the 50 topsector rules, typed in the inferred
    graph only, once lost their classes)."""
    from lcgraph import build as pipeline
    from lcgraph.config import Settings
    from lcgraph.search import reading

    seen: dict[str, dict[str, reading.Resource]] = {}
    index = pipeline.search.index_staging

    def spy(staging: object, store: EmbeddedStore, known: reading.Known) -> Path:
        query = staging.query  # type: ignore[attr-defined]
        seen["links"] = reading.collect(query, known)
        seen["graph"] = reading.collect(query)
        return index(staging, store, known)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.search, "index_staging", spy)
    pipeline.build(Settings(store=str(tmp_path / "store"), reasoner=False))
    links, graph = seen["links"], seen["graph"]
    assert links.keys() == graph.keys()
    assert len(graph) > 10_000
    rule = "https://w3id.org/lcgraph/id/rule/topsector-windenergie"
    assert links[rule].facets.get("class")
    for iri, resource in graph.items():
        assert links[iri].facets == resource.facets, iri
        assert set(links[iri].literals) == set(resource.literals), iri

"""The search rewrite (issue 15) as a function: searches read by the lexer become VALUES.

These run the rewrite over a small searcher that records its calls, then the rewritten
text on a real pyoxigraph store; the integration tests over the real index and the real
service are in test_search_sparql.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from lcgraph.errors import QueryForbidden, QuerySyntaxError
from lcgraph.querying import guard
from lcgraph.querying.search_rewrite import NO_INDEX, rewrite

BASE = "https://w3id.org/lcgraph"
ID = BASE + "/id/learning-community/"
LCS = "PREFIX lcs: <https://w3id.org/lcgraph/def/search#>\n"
TEXT = "PREFIX text: <http://jena.apache.org/text#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SEARCH_SERVICE = "SERVICE <https://w3id.org/lcgraph/def/search>"
SELECT_SEARCH = "SELECT * { " + SEARCH_SERVICE + " { "
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    score: float


@dataclass
class Result:
    hits: list[Hit]


class BadInput(ValueError):
    """Stands for lcgraph.search.SearchError."""


@dataclass
class Recorder:
    """A searcher with fixed hits that records what it was asked."""

    hits: list[Hit] = field(
        default_factory=lambda: [
            Hit(ID + "werkplekleren", 'Werkplek "leren"', 3.5),
            Hit(ID + "zorg", "Zorg", 1.25),
        ]
    )
    calls: list[dict[str, object]] = field(default_factory=list)

    def search(
        self,
        text: str,
        *,
        lang: str = "nl",
        limit: int = 20,
        offset: int = 0,
        predicate: str | None = None,
        facets: bool = True,
    ) -> Result:
        assert facets is False, "the rewrite needs no facet counts"
        self.calls.append(
            {"text": text, "lang": lang, "limit": limit, "offset": offset, "predicate": predicate}
        )
        if not text.strip():
            raise BadInput("the search text is empty")
        return Result(self.hits[:limit])

    def __call__(self) -> Recorder:
        return self


def _store() -> Store:
    store = Store()
    kind = NamedNode("https://w3id.org/lcgraph/def/lc/LearningCommunity")
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.add(Quad(NamedNode(ID + "werkplekleren"), rdf_type, kind))
    store.add(Quad(NamedNode(ID + "zorg"), NamedNode(RDFS_LABEL), Literal("Zorg", language="nl")))
    return store


def _rows(text: str) -> list[dict[str, str]]:
    solutions = _store().query(text)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]  # type: ignore[union-attr]


def _rewrite(text: str, searcher: Recorder | None = None, **options: object) -> str:
    return rewrite(text, BASE, searcher or Recorder(), search_errors=(BadInput,), **options)  # type: ignore[arg-type]


SERVICE_QUERY = (
    LCS
    + """SELECT ?lc ?score WHERE {
  SERVICE <https://w3id.org/lcgraph/def/search> {
    ?lc lcs:query "werkplek leren" ; lcs:score ?score ; lcs:limit 20
  }
  ?lc a <https://w3id.org/lcgraph/def/lc/LearningCommunity> .
}"""
)


def test_service_form_becomes_values_of_the_hits_and_joins() -> None:
    searcher = Recorder()
    text = _rewrite(SERVICE_QUERY, searcher)
    assert "SERVICE" not in text and "VALUES (?lc ?score)" in text
    assert searcher.calls == [
        {"text": "werkplek leren", "lang": "nl", "limit": 20, "offset": 0, "predicate": None}
    ]
    assert _rows(text) == [{"lc": ID + "werkplekleren", "score": "3.5"}]
    assert guard.remote_targets(text) == []


def test_service_form_options_label_lang_and_predicate() -> None:
    searcher = Recorder()
    text = _rewrite(
        LCS
        + "SELECT * { SERVICE SILENT <https://w3id.org/lcgraph/def/search> {"
        + ' ?x lcs:query "care"@en ;'
        " lcs:label ?label ; lcs:limit 1 ; lcs:offset 2 ; lcs:predicate <" + RDFS_LABEL + "> . } }",
        searcher,
    )
    assert searcher.calls[0] == {
        "text": "care",
        "lang": "en",
        "limit": 1,
        "offset": 2,
        "predicate": RDFS_LABEL,
    }
    assert _rows(text) == [{"x": ID + "werkplekleren", "label": 'Werkplek "leren"'}]


def test_project_prefixes_and_def_prefix_name_the_service() -> None:
    """lcs: needs no PREFIX line (as lc: does not); the service may be written def:search."""
    text = _rewrite(
        'SELECT ?lc { SERVICE def:search { ?lc lcs:query "zorg" } }',
        prefixes={"def": BASE + "/def/"},
    )
    assert _rows(text) == [{"lc": ID + "werkplekleren"}, {"lc": ID + "zorg"}]


def test_jena_forms() -> None:
    searcher = Recorder()
    full = _rewrite(
        TEXT
        + "SELECT ?s ?score ?l {"
        + ' (?s ?score) text:query (rdfs:label "zorg" 5 "lang:en") . ?s rdfs:label ?l }',
        searcher,
    )
    assert searcher.calls[-1] == {
        "text": "zorg",
        "lang": "en",
        "limit": 5,
        "offset": 0,
        "predicate": RDFS_LABEL,
    }
    assert _rows(full) == [{"s": ID + "zorg", "score": "1.25", "l": "Zorg"}]
    # the short form, going on from the subject with ";"
    short = _rewrite(TEXT + "SELECT ?s ?l { ?s text:query 'zorg' ; rdfs:label ?l }", searcher)
    assert _rows(short) == [{"s": ID + "zorg", "l": "Zorg"}]
    assert searcher.calls[-1]["limit"] == 20
    bare = _rewrite(TEXT + 'SELECT ?s { ?s text:query ("zorg") }', searcher)
    assert len(_rows(bare)) == 2


def test_a_query_without_search_is_returned_as_it_is_and_opens_no_index() -> None:
    def no_index() -> Recorder:
        raise AssertionError("the index was opened")

    query = 'SELECT * { ?s ?p "search" } # jena.apache.org/text#query'
    assert rewrite(query, BASE, no_index) == query  # type: ignore[arg-type]
    assert rewrite("SELECT * { ?s ?p ?o }", BASE, no_index) == "SELECT * { ?s ?p ?o }"  # type: ignore[arg-type]


def test_a_jena_pattern_inside_another_service_is_that_servers_business() -> None:
    query = TEXT + 'SELECT * { SERVICE <https://fuseki.example.org/ds> { ?s text:query "x" } }'
    assert _rewrite(query) == query
    with pytest.raises(QueryForbidden):
        guard.check_remote_access(query, [])


def test_a_jena_triple_in_a_construct_template_is_data() -> None:
    searcher = Recorder()
    query = TEXT + 'CONSTRUCT { ?s text:query "x" } WHERE { ?s text:query "zorg" }'
    text = _rewrite(query, searcher)
    assert text.startswith(TEXT + 'CONSTRUCT { ?s text:query "x" } WHERE { VALUES (?s)')
    assert [call["text"] for call in searcher.calls] == ["zorg"]


def test_search_terms_never_become_query_text() -> None:
    """A search text that tries to close the block is only ever a search text."""
    searcher = Recorder(hits=[])
    sneaky = 'x" } ?s ?p ?o . FILTER("y'
    text = _rewrite(
        LCS
        + "SELECT ?lc { SERVICE <https://w3id.org/lcgraph/def/search> { ?lc lcs:query "
        + '"""'
        + sneaky
        + '""" } }',
        searcher,
    )
    assert searcher.calls[0]["text"] == sneaky
    assert "FILTER" not in text and _rows(text) == []


def test_named_query_parameters_are_read_as_terms() -> None:
    searcher = Recorder()
    text = _rewrite(
        LCS + "SELECT ?q ?lc { SERVICE <https://w3id.org/lcgraph/def/search> "
        "{ ?lc lcs:query ?q ; lcs:lang ?lang ; lcs:limit ?n } }",
        searcher,
        bindings={
            "q": Literal("zorg"),
            "lang": Literal("en"),
            "n": Literal("1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        },
    )
    assert searcher.calls[0] == {
        "text": "zorg",
        "lang": "en",
        "limit": 1,
        "offset": 0,
        "predicate": None,
    }
    assert "zorg" not in text


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        (
            LCS
            + "SELECT * {\n  SERVICE <https://w3id.org/lcgraph/def/search> { ?lc lcs:query ?q } }",
            (3, 65),
            "must be a constant, not the variable ?q",
        ),
        (
            LCS + SELECT_SEARCH + '?lc lcs:query "x" ; lcs:limit 500 } }',
            (2, 90),
            "the limit 500 is above the cap of 100",
        ),
        (
            LCS + SELECT_SEARCH + '?lc lcs:match "x" } }',
            (2, 64),
            "expected one of lcs:query",
        ),
        (
            LCS + SELECT_SEARCH + "?lc lcs:score ?s } }",
            (2, 77),
            "needs lcs:query",
        ),
        (
            LCS + SELECT_SEARCH + '?lc lcs:query "" } }',
            (2, 74),
            "the search text is empty",
        ),
        (
            LCS + SELECT_SEARCH + '?lc lcs:query "x" ; lcs:limit -1 } }',
            (2, 90),
            "a whole number",
        ),
        (
            LCS + SELECT_SEARCH + '?lc lcs:query "x" . ?o lcs:query "y" } }',
            (2, 80),
            "one subject only",
        ),
        (
            LCS + SELECT_SEARCH + '?lc lcs:query "x" ; lcs:lang "de" } }',
            (2, 74),
            "the language 'de' is not one of ('nl', 'en')",
        ),
        (TEXT + 'SELECT * { ?s a ?c ; text:query "x" }', (3, 22), "starts its own triple pattern"),
        (TEXT + 'SELECT * { ?s text:query ("x" "highlight:s:<b>") }', (3, 31), '"lang:xx"'),
        (TEXT + "SELECT * { (?s ?sc ?lit) text:query 'x' }", (3, 26), "?s or (?s ?score)"),
    ],
)
def test_bad_searches_are_located_400s(query: str, position: tuple[int, int], words: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        _rewrite(query)
    assert caught.value.status == 400
    assert (caught.value.line, caught.value.column) == position, str(caught.value)
    assert words in str(caught.value)
    assert str(caught.value).startswith(
        f"Search error at line {position[0]}, column {position[1]}:"
    )


def test_a_search_service_hidden_by_escapes_is_refused_not_sent() -> None:
    query = (
        LCS
        + 'SELECT * { SERVICE <https://w3id.org/lcgraph/def/\\u0073earch> { ?lc lcs:query "x" } }'
    )
    with pytest.raises(QuerySyntaxError, match="without \\\\u escapes"):
        _rewrite(query)


def test_the_hits_never_exceed_the_limit() -> None:
    class Greedy(Recorder):
        def search(self, text: str, **options: object) -> Result:  # type: ignore[override]
            return Result([Hit(f"{ID}{n}", str(n), 1.0) for n in range(50)])

    text = _rewrite(
        LCS + "SELECT ?lc { " + SEARCH_SERVICE + ' { ?lc lcs:query "x" ; lcs:limit 3 } }',
        Greedy(),
    )
    assert len(_rows(text)) == 3


def test_other_services_are_still_refused_after_the_rewrite() -> None:
    query = (
        LCS + SELECT_SEARCH + '?lc lcs:query "x" }'
        " SERVICE <http://127.0.0.1:8080/sparql> { ?lc ?p ?o } }"
    )
    text = _rewrite(query)
    with pytest.raises(QueryForbidden):
        guard.check_remote_access(text, ["127.0.0.1"])


def test_no_index_checks_the_search_and_finds_nothing() -> None:
    text = rewrite(
        LCS + "SELECT ?lc ?s { " + SEARCH_SERVICE + ' { ?lc lcs:query "x" ; lcs:score ?s } }',
        BASE,
        NO_INDEX,
    )
    assert "VALUES (?lc ?s) {  }" in text and _rows(text) == []


def test_the_vocabulary_file_defines_every_term_in_dutch_and_english() -> None:
    from pathlib import Path

    from pyoxigraph import parse

    from lcgraph.querying.search_form import SEARCH_VOCABULARY, SERVICE_TERMS

    path = Path(__file__).resolve().parents[1] / "ontology" / "search.ttl"
    triples = list(parse(path=str(path)))
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    defined = {t.subject.value for t in triples if t.object.value.endswith("#Property")}
    assert defined == {SEARCH_VOCABULARY + name for name in SERVICE_TERMS}
    for name in SERVICE_TERMS:
        languages = {
            t.object.language  # type: ignore[union-attr]
            for t in triples
            if t.subject.value == SEARCH_VOCABULARY + name and t.predicate.value == label
        }
        assert languages == {"nl", "en"}, name


def test_the_search_text_is_the_literal_value_escapes_decoded() -> None:
    searcher = Recorder()
    _rewrite(LCS + SELECT_SEARCH + '?lc lcs:query "zo\\u0072g \\"x\\"" } }', searcher)
    assert searcher.calls[0]["text"] == 'zorg "x"'
    with pytest.raises(QuerySyntaxError, match="the string is not closed"):
        _rewrite(LCS + SELECT_SEARCH + '?lc lcs:query "open } }', searcher)


def test_service_silent_turns_a_failed_search_into_one_empty_solution() -> None:
    query = LCS + "SELECT ?lc ?n { SERVICE SILENT " + SEARCH_SERVICE[len("SERVICE ") :]
    query += ' { ?lc lcs:query "" } BIND(1 AS ?n) }'
    text = _rewrite(query)
    assert "VALUES () { () }" in text
    assert _rows(text) == [{"n": "1"}]
    with pytest.raises(QuerySyntaxError):  # a mistake in the block itself is still one
        _rewrite(query.replace("lcs:query", "lcs:quer"))


def test_several_searches_in_one_query_each_get_their_hits() -> None:
    searcher = Recorder()
    query = (
        LCS
        + "SELECT ?lc WHERE { { "
        + SEARCH_SERVICE
        + ' { ?lc lcs:query "zorg" ; lcs:lang "nl" } } UNION { '
        + SEARCH_SERVICE
        + ' { ?lc lcs:query "care" ; lcs:lang "en" ; lcs:limit 1 } } }'
    )
    text = _rewrite(query, searcher)
    assert [(c["text"], c["lang"], c["limit"]) for c in searcher.calls] == [
        ("zorg", "nl", 20),
        ("care", "en", 1),
    ]
    assert len(_rows(text)) == 3 and "SERVICE" not in text

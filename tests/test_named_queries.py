"""Named queries: the loader refuses bad files with file:line, values bind as typed terms,
and no parameter value can change the query (substitutions and the VALUES path alike)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, QuerySolutions, Store, Variable

from lcgraph.errors import QueryParamError, ValidationFailed
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery, inline_values, load_queries, load_query, values_block
from lcgraph.named_queries.catalogue import catalogue_markdown
from lcgraph.store.embedded import EmbeddedStore

QUERIES = Path(__file__).resolve().parents[1] / "queries"
CATALOGUE = Path(__file__).resolve().parents[1] / "docs" / "queries.md"
EX = "http://example.org/nq/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LC = "https://w3id.org/lcgraph/def/lc/"

HEADER = """\
#+ title: {nl: Namen, en: Names}
#+ description: {nl: Dingen met een naam., en: Things with a name.}
#+ params:
#+   name: {type: literal, datatype: xsd:string, example: "Energy College"}
#+   thing: {type: iri, class: lc:LearningCommunity, example: "http://example.org/nq/a"}
#+ tags: [test]
"""
BODY = """\
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?thing ?name ?label WHERE {
  ?thing skos:prefLabel ?label .
  FILTER(STR(?label) = ?name)
}
"""
DATA = f"""\
<{EX}a> <{SKOS}prefLabel> "Energy College"@nl <{EX}g> .
<{EX}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{LC}LearningCommunity> <{EX}g> .
<{EX}b> <{SKOS}prefLabel> "Transportplanner"@nl <{EX}g> .
<{EX}b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{LC}LearningCommunity> <{EX}g> .
<{EX}c> <{SKOS}prefLabel> "Not a community"@nl <{EX}g> .
"""

INJECTIONS = [
    'x" || true || "',
    "x') } UNION { ?thing ?p ?label } #",
    'x" ) } UNION { ?thing ?p ?label } #',
    'Energy College"@nl } UNION { ?thing ?p ?label } #',
    "x\n} UNION { ?thing ?p ?label }\n#",
    "x\\u0022) || true || (\\u0022",
    "x\u0022) || true || (\u0022",
    "> } { ?thing ?p ?label",
    "\\",
]
BAD_IRIS = [
    "http://example.org/nq/a> } UNION { ?thing ?p ?label } #",
    "http://example.org/nq/a\\u003e",
    "http://example.org/nq/a}",
    "http://example.org/nq/a\n",
    'http://example.org/nq/a"',
    "not an iri",
]


def write_query(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("nq") / "store")
    with store.stage() as staging:
        staging.load(DATA.encode())
    return store


@pytest.fixture(scope="module")
def names_query(tmp_path_factory: pytest.TempPathFactory) -> NamedQuery:
    return load_query(write_query(tmp_path_factory.mktemp("q"), "names", HEADER + BODY))


def rows(result: QuerySolutions) -> list[tuple[str | None, ...]]:
    return sorted(tuple(None if t is None else t.value for t in row) for row in result)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as failed:
        load_query(path)
    return [str(p) for p in failed.value.problems]


# --- loading: every problem stops start-up, located to file and line ----------------------


def test_header_is_read_into_texts_params_and_tags(names_query: NamedQuery) -> None:
    assert names_query.title == {"nl": "Namen", "en": "Names"}
    assert [p.name for p in names_query.params] == ["name", "thing"]
    assert names_query.params[1].class_iri == LC + "LearningCommunity"
    assert names_query.params[0].datatype == "http://www.w3.org/2001/XMLSchema#string"
    assert names_query.tags == ("test",)
    assert names_query.sparql.startswith("PREFIX skos:")


def test_header_that_is_not_yaml_names_file_and_line(tmp_path: Path) -> None:
    text = HEADER.replace("#+ tags: [test]", "#+ tags: [test\n#+ oops: {") + BODY
    problems = problems_of(write_query(tmp_path, "bad-yaml", text))
    assert len(problems) == 1
    assert problems[0].startswith("bad-yaml.rq:") or "bad-yaml.rq:" in problems[0]
    assert "not valid YAML" in problems[0]


def test_missing_english_title_is_located(tmp_path: Path) -> None:
    text = HEADER.replace("en: Names", "de: Namen") + BODY
    [problem] = problems_of(write_query(tmp_path, "no-en", text))
    assert "no-en.rq:1:" in problem and "title" in problem


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("type: literal, datatype: xsd:string", "type: text"), 4, "not a parameter type"),
        (("datatype: xsd:string", "datatype: xsd:duration"), 4, "not supported"),
        (("class: lc:LearningCommunity", "class: nope:Thing"), 5, "not a CURIE"),
        (('example: "http://example.org/nq/a"', 'example: "not an iri"'), 5, "not valid"),
        (('example: "Energy College"', 'example: "x", colour: red'), 4, "unknown parameter keys"),
        (("type: iri, ", "type: iri, values: [a], "), 5, "belongs to type enum"),
        (("#+ tags: [test]", "#+ tags: [test]\n#+ author: me"), 7, "unknown header key"),
    ],
)
def test_bad_parameter_declaration_names_file_line_and_problem(
    tmp_path: Path, change: tuple[str, str], line: int, words: str
) -> None:
    [problem] = problems_of(write_query(tmp_path, "bad-param", HEADER.replace(*change) + BODY))
    assert f"bad-param.rq:{line}:" in problem
    assert words in problem


def test_parameter_the_query_does_not_use_is_refused(tmp_path: Path) -> None:
    body = BODY.replace("FILTER(STR(?label) = ?name)", "").replace("?name", "")
    [problem] = problems_of(write_query(tmp_path, "unused", HEADER + body))
    assert "unused.rq:4:" in problem and "'name' is not used" in problem


def test_parameter_mentioned_only_in_a_comment_counts_as_unused(tmp_path: Path) -> None:
    body = BODY.replace("?thing ?name ?label", "?thing ?label").replace(
        "FILTER(STR(?label) = ?name)", "# FILTER(STR(?label) = ?name)"
    )
    [problem] = problems_of(write_query(tmp_path, "commented", HEADER + body))
    assert "'name' is not used" in problem


def test_parameter_not_in_the_projection_is_refused_at_load(tmp_path: Path) -> None:
    body = BODY.replace("SELECT ?thing ?name ?label", "SELECT ?thing ?label")
    [problem] = problems_of(write_query(tmp_path, "unprojected", HEADER + body))
    assert "unprojected.rq:4:" in problem and "projection" in problem


def test_sparql_syntax_error_names_the_file_line(tmp_path: Path) -> None:
    body = BODY.replace("FILTER(STR(?label) = ?name)", "FILTER(STR(?label) = ?name")
    [problem] = problems_of(write_query(tmp_path, "syntax", HEADER + body))
    assert "syntax.rq:11:" in problem


def test_only_select_queries_are_named_queries(tmp_path: Path) -> None:
    body = "CONSTRUCT { ?thing ?name ?label } WHERE { ?thing ?name ?label }\n"
    [problem] = problems_of(write_query(tmp_path, "construct", HEADER + body))
    assert "SELECT" in problem


def test_load_queries_reports_every_bad_file_at_once(tmp_path: Path) -> None:
    write_query(tmp_path, "good", HEADER + BODY)
    write_query(tmp_path, "bad-one", BODY)
    write_query(tmp_path, "bad-two", HEADER.replace("type: iri", "type: uri") + BODY)
    with pytest.raises(ValidationFailed) as failed:
        load_queries(tmp_path)
    files = sorted(Path(p.file).name for p in failed.value.problems)
    assert files == ["bad-one.rq", "bad-two.rq"]


# --- binding: typed terms, or a QueryParamError naming the parameter and type ---------------


def test_bind_makes_typed_terms_and_expands_curies(names_query: NamedQuery) -> None:
    bound = names_query.bind({"name": "Energy College", "thing": "lc:Pilot"})
    assert bound == {
        Variable("name"): Literal("Energy College"),
        Variable("thing"): NamedNode(LC + "Pilot"),
    }


def test_optional_parameter_left_out_is_not_bound(names_query: NamedQuery) -> None:
    assert names_query.bind({}) == {}


@pytest.mark.parametrize(
    ("decl", "value", "term"),
    [
        (
            "{type: literal, datatype: xsd:integer, example: '2'}",
            "12",
            Literal("12", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        (
            "{type: literal, datatype: xsd:gYear, example: '2017'}",
            "2018",
            Literal("2018", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
        ),
        ("{type: enum, values: [nl, en], example: en}", "nl", Literal("nl")),
        (
            "{type: iri, example: 'def:topsector/EN'}",
            "def:topsector/TU",
            NamedNode("https://w3id.org/lcgraph/def/topsector/TU"),
        ),
        ("{type: iri, example: 'urn:x:1'}", "urn:x:2", NamedNode("urn:x:2")),
    ],
)
def test_each_type_binds_its_term(tmp_path: Path, decl: str, value: str, term: object) -> None:
    query = load_query(write_query(tmp_path, "one", one_param_query(decl)))
    assert query.bind({"p": value}) == {Variable("p"): term}


@pytest.mark.parametrize(
    ("decl", "value", "expected"),
    [
        ("{type: literal, datatype: xsd:integer, example: '2'}", "two", "an integer"),
        ("{type: literal, datatype: xsd:boolean, example: 'true'}", "yes", "true or false"),
        ("{type: enum, values: [nl, en], example: en}", "de", "one of nl, en"),
        (
            "{type: iri, class: lc:Topsector, example: 'def:topsector/EN'}",
            "not an iri",
            "an IRI of a <https://w3id.org/lcgraph/def/lc/Topsector>",
        ),
    ],
)
def test_wrong_type_names_the_parameter_and_expected_type(
    tmp_path: Path, decl: str, value: str, expected: str
) -> None:
    query = load_query(write_query(tmp_path, "one", one_param_query(decl)))
    with pytest.raises(QueryParamError) as err:
        query.bind({"p": value})
    assert err.value.param == "p"
    assert expected in err.value.expected
    assert "'p'" in str(err.value) and expected in str(err.value)


def test_unknown_parameter_is_refused(names_query: NamedQuery) -> None:
    with pytest.raises(QueryParamError) as err:
        names_query.bind({"nmae": "x"})
    assert err.value.param == "nmae" and "name, thing" in err.value.expected


def test_required_parameter_must_be_given_and_default_fills_in(tmp_path: Path) -> None:
    required = load_query(
        write_query(
            tmp_path,
            "req",
            one_param_query("{type: enum, values: [a, b], required: true, example: a}"),
        )
    )
    with pytest.raises(QueryParamError, match="'p'"):
        required.bind({})
    defaulted = load_query(
        write_query(
            tmp_path,
            "dflt",
            one_param_query("{type: enum, values: [a, b], default: b, example: a}"),
        )
    )
    assert defaulted.bind({}) == {Variable("p"): Literal("b")}


def one_param_query(decl: str) -> str:
    return (
        f"#+ title: {{nl: Een, en: One}}\n#+ description: {{nl: Een., en: One.}}\n"
        f"#+ params:\n#+   p: {decl}\n#+ tags: []\nSELECT ?s ?p WHERE {{ ?s ?q ?p }}\n"
    )


# --- running: the class check and the query ---------------------------------------------


def test_run_binds_values_and_answers(names_query: NamedQuery, tiny_store: EmbeddedStore) -> None:
    found = rows(names_query.run(tiny_store, {"name": "Energy College"}))
    assert found == [(EX + "a", "Energy College", "Energy College")]


def test_iri_of_the_wrong_class_is_a_param_error(
    names_query: NamedQuery, tiny_store: EmbeddedStore
) -> None:
    found = rows(names_query.run(tiny_store, {"thing": EX + "b", "name": "Transportplanner"}))
    assert found == [(EX + "b", "Transportplanner", "Transportplanner")]
    with pytest.raises(QueryParamError) as err:
        names_query.run(tiny_store, {"thing": EX + "c", "name": "Not a community"})
    assert err.value.param == "thing" and "LearningCommunity" in err.value.expected


# --- injection: a value cannot change the query -----------------------------------------


@pytest.mark.parametrize("value", INJECTIONS)
def test_literal_injection_cannot_change_the_query(
    names_query: NamedQuery, tiny_store: EmbeddedStore, value: str
) -> None:
    benign = rows(names_query.run(tiny_store, {"name": "no such name"}))
    assert benign == []
    assert rows(names_query.run(tiny_store, {"name": value})) == benign


@pytest.mark.parametrize("value", INJECTIONS)
def test_literal_injection_cannot_change_the_values_block_query(
    names_query: NamedQuery, tiny_store: EmbeddedStore, value: str
) -> None:
    """The remote-store path: values written into a VALUES block keep their meaning."""
    text = inline_values(names_query.text, names_query.bind({"name": value}))
    result = tiny_store.query(text)
    assert isinstance(result, QuerySolutions)
    found = sorted(tuple(t.value for t in row if t is not None) for row in result)
    assert found == [], text


@pytest.mark.parametrize("value", BAD_IRIS)
def test_iri_injection_is_a_param_error(names_query: NamedQuery, value: str) -> None:
    with pytest.raises(QueryParamError) as err:
        names_query.bind({"thing": value})
    assert err.value.param == "thing"


def test_values_block_round_trips_awkward_literals(tiny_store: EmbeddedStore) -> None:
    awkward = [Literal(v) for v in INJECTIONS] + [
        Literal("x", language="nl"),
        Literal("5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ]
    for term in awkward:
        block = values_block({Variable("v"): term, Variable("i"): NamedNode(EX + "a")})
        [row] = list(Store().query(f"SELECT ?v ?i WHERE {{ {block} }}"))
        assert row["v"] == term and row["i"] == NamedNode(EX + "a")


def test_values_block_is_empty_without_bindings() -> None:
    assert values_block({}) == ""
    assert inline_values("SELECT * { ?s ?p ?o }", {}) == "SELECT * { ?s ?p ?o }"


# --- the project's own queries ---------------------------------------------------------


def test_project_queries_load() -> None:
    assert len(load_queries(QUERIES)) >= 20


def test_project_queries_declare_the_iris_prefixes() -> None:
    """Each file declares its prefixes, the same namespaces as lcgraph.iris (runnable anywhere)."""
    prefixes = Iris("https://w3id.org/lcgraph").prefixes
    for query in load_queries(QUERIES).values():
        for line in query.sparql.splitlines():
            if line.startswith("PREFIX "):
                _, name, iri = line.split()
                assert prefixes[name.rstrip(":")] == iri.strip("<>"), (query.name, line)


def test_catalogue_in_docs_is_up_to_date() -> None:
    """docs/queries.md is generated from the headers (see lcgraph.named_queries.catalogue)."""
    assert CATALOGUE.read_text(encoding="utf-8") == catalogue_markdown(load_queries(QUERIES))

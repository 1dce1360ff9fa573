"""The ontology's quality gates, the catalog drift check, normalize and diff."""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from lcgraph.errors import OntologyError, ValidationFailed
from lcgraph.iris import LC, ONTOLOGY
from lcgraph.ontology import diff, normalize, parse_turtle, render
from lcgraph.ontology.load import load_ontology, ontology_quads, read_catalog
from lcgraph.validation.ontology import (
    catalog_problems,
    check_ontology,
    qc_problems,
    run_reasoner,
)

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
EDIT = ONTOLOGY_DIR / "lcgraph-edit.ttl"
QC_CHECKS = sorted((ONTOLOGY_DIR / "qc").glob("*-violation.rq"))
FIXTURES = ROOT / "tests" / "fixtures" / "ontology"

# HermiT runs on Java. Locally a missing Java skips these tests; in CI (CI is set) it fails.
needs_java = pytest.mark.skipif(
    shutil.which("java") is None and not os.environ.get("CI"), reason="HermiT needs Java"
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(EDIT)


@pytest.fixture
def ontology_copy(tmp_path: Path) -> Path:
    """A scratch copy of the ontology folder, for tests that break it on purpose."""
    target = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, target, ignore=shutil.ignore_patterns("shapes"))
    return target


# --- the committed ontology -------------------------------------------------------------


@pytest.mark.parametrize("check", QC_CHECKS, ids=lambda p: p.stem)
def test_committed_ontology_has_no_qc_violations(ontology: Graph, check: Path) -> None:
    assert qc_problems(ontology, [check], EDIT) == []


@needs_java
def test_committed_ontology_is_consistent_and_has_no_unsatisfiable_class(ontology: Graph) -> None:
    report = run_reasoner(ontology)
    assert report.error is None
    assert report.consistent
    assert report.unsatisfiable == []


@needs_java
def test_check_ontology_passes_on_the_committed_ontology() -> None:
    assert check_ontology(ONTOLOGY_DIR, reasoner=True) == []


def test_every_lc_term_named_in_the_model_is_declared(ontology: Graph) -> None:
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\blc:([A-Za-z]+)\b", model))
    declared = {
        str(s)[len(LC) :] for s in ontology.subjects(RDF.type, None) if str(s).startswith(LC)
    }
    assert named - declared == set()


def test_header_carries_title_licence_version_and_namespace(ontology: Graph) -> None:
    header = URIRef(ONTOLOGY)
    dct = "http://purl.org/dc/terms/"
    titles = {t.language for t in ontology.objects(header, URIRef(dct + "title"))}
    assert titles == {"nl", "en"}
    assert (header, OWL.versionIRI, URIRef(LC + "0.1.0")) in ontology
    assert (header, OWL.versionInfo, Literal("0.1.0")) in ontology
    assert (header, URIRef(dct + "license"), None) in ontology
    assert (
        header,
        URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"),
        Literal("lc"),
    ) in ontology


def test_within_region_is_transitive_with_inverse_contains_region(ontology: Graph) -> None:
    within, contains = URIRef(LC + "withinRegion"), URIRef(LC + "containsRegion")
    assert (within, RDF.type, OWL.TransitiveProperty) in ontology
    assert (contains, OWL.inverseOf, within) in ontology


def test_ontology_quads_go_into_the_named_graph(ontology: Graph) -> None:
    store = ox.Store()
    store.bulk_extend(ontology_quads(ontology, "https://w3id.org/lcgraph/graph/ontology"))
    graph = ox.NamedNode("https://w3id.org/lcgraph/graph/ontology")
    assert len(list(store.quads_for_pattern(None, None, None, graph))) == len(ontology)


# --- catalog ------------------------------------------------------------------------------


def test_catalog_maps_every_import_and_nothing_else() -> None:
    assert catalog_problems(ONTOLOGY_DIR) == []
    imports = {str(o) for o in parse_turtle(EDIT).objects(None, OWL.imports)}
    assert set(read_catalog(ONTOLOGY_DIR / "catalog-v001.xml")) == imports


def test_catalog_drift_names_missing_and_stale_entries(ontology_copy: Path) -> None:
    catalog = ontology_copy / "catalog-v001.xml"
    text = catalog.read_text(encoding="utf-8")
    text = re.sub(r'\s*<uri id="foaf"[^>]*/>', "", text)
    text = text.replace(
        "</catalog>", '<uri name="http://example.org/old" uri="imports/old.ttl"/></catalog>'
    )
    catalog.write_text(text, encoding="utf-8")
    problems = catalog_problems(ontology_copy)
    assert {(p.value, p.message) for p in problems} == {
        ("http://xmlns.com/foaf/0.1/", "owl:imports has no catalog entry"),
        ("http://example.org/old", "stale catalog entry: not imported"),
    }


def test_import_without_catalog_entry_fails_loading(ontology_copy: Path) -> None:
    (ontology_copy / "catalog-v001.xml").unlink()
    with pytest.raises(ValidationFailed) as failure:
        load_ontology(ontology_copy / "lcgraph-edit.ttl")
    assert failure.value.stage == "ontology"
    assert len(failure.value.problems) == 7


# --- one-defect fixtures ------------------------------------------------------------------


def test_valid_fixture_passes_qc() -> None:
    path = FIXTURES / "valid.ttl"
    assert qc_problems(load_ontology(path), QC_CHECKS, path) == []


def test_syntax_error_names_file_line_and_column() -> None:
    with pytest.raises(ValidationFailed) as failure:
        load_ontology(FIXTURES / "syntax-error.ttl")
    [problem] = failure.value.problems
    assert problem.file.endswith("syntax-error.ttl")
    assert (problem.row, problem.column) == (11, 54)
    assert problem.value is not None and problem.value.startswith('"mkb-bedrijf"@nl')


def test_check_ontology_returns_the_syntax_error_as_a_problem(ontology_copy: Path) -> None:
    shutil.copy(FIXTURES / "syntax-error.ttl", ontology_copy / "lcgraph-edit.ttl")
    [problem] = check_ontology(ontology_copy, reasoner=False)
    assert (problem.row, problem.column) == (11, 54)


@needs_java
def test_hermit_reports_an_individual_in_two_disjoint_classes() -> None:
    path = FIXTURES / "inconsistent.ttl"
    report = run_reasoner(load_ontology(path))
    assert report.error is None
    assert not report.consistent
    [problem] = report.problems(path)
    assert "inconsistent" in problem.message


@needs_java
def test_hermit_names_an_unsatisfiable_class() -> None:
    graph = load_ontology(FIXTURES / "valid.ttl")
    both = URIRef(LC + "Both")
    graph.add((both, RDF.type, OWL.Class))
    graph.add((both, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), URIRef(LC + "SME")))
    graph.add(
        (
            both,
            URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
            URIRef(LC + "LargeCompany"),
        )
    )
    report = run_reasoner(graph)
    assert report.consistent
    assert report.unsatisfiable == [LC + "Both"]


def test_missing_label_is_caught_by_qc() -> None:
    path = FIXTURES / "missing-label.ttl"
    problems = qc_problems(load_ontology(path), QC_CHECKS, path)
    assert [(p.field, p.value, p.row) for p in problems] == [
        ("missing-label-violation", "lc:LargeCompany", 16)
    ]
    assert "nl" in problems[0].message


# --- every QC check catches its defect ----------------------------------------------------

Edit = Callable[[str], str]


def _add(turtle: str) -> Edit:
    return lambda text: text + "\n" + turtle + "\n"


def _drop(line_pattern: str) -> Edit:
    return lambda text: re.sub(line_pattern, "", text, count=1, flags=re.M)


DEFECTS: dict[str, tuple[Edit, str]] = {
    "missing-label-violation": (_drop(r'^    rdfs:label "region"@en, "regio"@nl ;\n'), "lc:Region"),
    "missing-definition-violation": (
        lambda t: t.replace('"Een regio omvat een andere regio."@nl', '"A region."@en'),
        "lc:containsRegion",
    ),
    "missing-source-violation": (
        _drop(r'^    dct:source "Onderzoeksagenda 2017, bijlage 3" ;\n(?=    rdfs:domain lc:Res)'),
        "lc:researchTheme",
    ),
    "missing-domain-range-violation": (
        lambda t: t.replace(" ;\n    rdfs:range lc:Need .", " ."),
        "lc:need",
    ),
    "undeclared-term-violation": (
        _add("lc:Pilot rdfs:seeAlso lc:LearningComunity ."),
        "lc:LearningComunity",
    ),
    "orphan-class-violation": (
        _add(
            'lc:Lonely a owl:Class ; rdfs:label "lonely"@en, "eenzaam"@nl ;'
            ' skos:definition "x"@en, "x"@nl ; dct:source "test" .'
        ),
        "lc:Lonely",
    ),
    "duplicate-label-violation": (
        lambda t: t.replace('"pilot"@en', '"Learning community"@en'),
        "lc:LearningCommunity",
    ),
    "punning-violation": (_add("lc:Pilot a owl:AnnotationProperty ."), "lc:Pilot"),
}


def test_every_qc_check_has_a_defect_test() -> None:
    assert {c.stem for c in QC_CHECKS} == set(DEFECTS)


@pytest.mark.parametrize("check", sorted(DEFECTS))
def test_qc_check_catches_its_defect(ontology_copy: Path, check: str) -> None:
    edit, term = DEFECTS[check]
    path = ontology_copy / "lcgraph-edit.ttl"
    before = path.read_text(encoding="utf-8")
    path.write_text(edit(before), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != before
    problems = qc_problems(load_ontology(path), QC_CHECKS, path)
    assert {p.field for p in problems} == {check}
    assert term in {p.value for p in problems}


# --- normalize ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [EDIT, *sorted((ONTOLOGY_DIR / "imports").glob("*.ttl"))], ids=lambda p: p.name
)
def test_committed_turtle_is_already_normalized(path: Path) -> None:
    assert render(parse_turtle(path)) == path.read_text(encoding="utf-8")


def test_normalize_restores_a_shuffled_file_and_keeps_the_triples(tmp_path: Path) -> None:
    text = EDIT.read_text(encoding="utf-8")
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix")]
    graph = parse_turtle(EDIT)
    lines = [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph]
    random.Random(7).shuffle(lines)
    shuffled = tmp_path / "shuffled.ttl"
    shuffled.write_text("\n".join([*reversed(prefixes), *lines]) + "\n", encoding="utf-8")
    assert normalize(shuffled) is True
    assert isomorphic(parse_turtle(shuffled), graph)
    assert shuffled.read_text(encoding="utf-8") == text
    assert normalize(shuffled) is False


def test_normalize_refuses_a_shared_blank_node_and_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.ttl"
    original = (
        "@prefix ex: <http://example.org/> .\nex:a ex:p _:b .\nex:c ex:p _:b .\n_:b ex:q 1 .\n"
    )
    path.write_text(original, encoding="utf-8")
    with pytest.raises(OntologyError):
        normalize(path)
    assert path.read_text(encoding="utf-8") == original


# --- diff ---------------------------------------------------------------------------------


def test_diff_lists_added_removed_and_changed_terms(tmp_path: Path) -> None:
    old = tmp_path / "old.ttl"
    text = EDIT.read_text(encoding="utf-8")
    text = text.replace('"pilot"@nl', '"proef"@nl')
    text = re.sub(r"^lc:Helix a owl:Class ;.*?\.\n\n", "", text, count=1, flags=re.M | re.S)
    text = text.replace(
        "rdfs:range lc:Need .", "rdfs:range lc:Need .\n\nlc:gone a owl:ObjectProperty ."
    )
    text += "\nlc:reactive a skos:Concept .\n"
    old.write_text(text, encoding="utf-8")
    result = diff(old, EDIT)
    assert result.of("added", "classes") == ["lc:Helix"]
    assert result.of("removed", "properties") == ["lc:gone"]
    assert result.of("removed", "concepts") == ["lc:reactive"]
    assert [c.predicates for c in result.changes if c.term == "lc:Pilot"] == [("rdfs:label",)]
    rendered = result.render()
    assert "  + lc:Helix" in rendered
    assert "  ~ lc:Pilot (rdfs:label)" in rendered


def test_diff_of_a_file_with_itself_is_empty() -> None:
    result = diff(EDIT, EDIT)
    assert not result
    assert result.render() == "no differences"


def test_diff_compares_restrictions_by_content_not_blank_node_ids(tmp_path: Path) -> None:
    old = tmp_path / "old.ttl"
    old.write_text(
        EDIT.read_text(encoding="utf-8").replace(
            "owl:allValuesFrom lc:ParticipationRole", "owl:allValuesFrom lc:Helix"
        ),
        encoding="utf-8",
    )
    result = diff(old, EDIT)
    assert [(c.term, c.predicates) for c in result.changes] == [
        ("lc:Participation", ("rdfs:subClassOf",))
    ]

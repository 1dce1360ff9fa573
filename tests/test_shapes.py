"""The SHACL shapes, their SPARQL compilation, and its parity with pySHACL.

Each defect fixture (tests/fixtures/shapes/*.ru) is a SPARQL update that breaks exactly one
thing in clean.trig; both engines must find exactly that (focus, path, component).
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from lcgraph.errors import ValidationFailed
from lcgraph.validation.shapes import (
    COMPONENTS,
    SH,
    CompiledCheck,
    PropertyPath,
    Shapes,
    check_store,
    check_with_pyshacl,
    compile_shapes,
    find_violations,
    load_shapes,
    pyshacl_violations,
    shapes_from_graph,
)

ROOT = Path(__file__).resolve().parents[1]
SHAPES_FILE = ROOT / "ontology" / "shapes" / "lcgraph.shacl.ttl"
FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
BASE = "https://w3id.org/lcgraph"
PROVENANCE = f"{BASE}/graph/provenance"
LC = f"{BASE}/def/lc/"
ID = f"{BASE}/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

Key = tuple[str, PropertyPath | None, str]


@pytest.fixture(scope="module")
def shapes() -> Shapes:
    return load_shapes(SHAPES_FILE)


@pytest.fixture(scope="module")
def checks(shapes: Shapes) -> list[CompiledCheck]:
    return compile_shapes(shapes)


def fixture_store(defect: str | None = None) -> ox.Store:
    """clean.trig in a fresh store, with one defect fixture applied."""
    store = ox.Store()
    store.load(path=str(FIXTURES / "clean.trig"), format=ox.RdfFormat.TRIG)
    if defect is not None:
        store.update((FIXTURES / defect).read_text())
    return store


def as_dataset(store: ox.Store) -> rdflib.Dataset:
    """The store's quads in rdflib, for pySHACL."""
    dataset = rdflib.Dataset()
    for name in store.named_graphs():
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).decode()
        dataset.graph(rdflib.URIRef(name.value)).parse(data=data, format="nt")
    return dataset


def compiled_keys(store: ox.Store, checks: list[CompiledCheck]) -> set[Key]:
    return {v.key for v in find_violations(store, checks, PROVENANCE)}


def pyshacl_keys(store: ox.Store, shapes: Shapes) -> set[Key]:
    return {v.key for v in pyshacl_violations(as_dataset(store), shapes)}


def key(focus: str, path: str, component: str, inverse: bool = False) -> Key:
    return (f"<{ID}{focus}>", PropertyPath(path, inverse), SH + component + "ConstraintComponent")


DEFECTS = {
    "missing_label.ru": key("organisation/acme", SKOS + "prefLabel", "MinCount"),
    "wrong_datatype.ru": key("learning-community/lc1", LC + "startYear", "Datatype"),
    "wrong_class.ru": key("organisation/acme", LC + "statedSector", "Class"),
    "too_many_values.ru": key("participation/lc1-acme", ORG + "role", "MaxCount"),
    "pattern_mismatch.ru": key("corop/CR01", SKOS + "notation", "Pattern"),
    "not_in_list.ru": key("organisation/acme", RDF_TYPE, "In"),
}


def test_clean_graph_has_no_violations_in_either_engine(
    shapes: Shapes, checks: list[CompiledCheck]
) -> None:
    store = fixture_store()
    assert compiled_keys(store, checks) == set()
    assert pyshacl_keys(store, shapes) == set()


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_is_found_alone_and_the_same_by_both_engines(
    defect: str, shapes: Shapes, checks: list[CompiledCheck]
) -> None:
    store = fixture_store(defect)
    assert compiled_keys(store, checks) == {DEFECTS[defect]}
    assert pyshacl_keys(store, shapes) == {DEFECTS[defect]}


def test_every_defect_fixture_is_listed() -> None:
    assert {p.name for p in FIXTURES.glob("*.ru")} == set(DEFECTS)


def test_problem_is_located_by_the_focus_nodes_source_row(checks: list[CompiledCheck]) -> None:
    [problem] = check_store(fixture_store("wrong_class.ru"), checks, PROVENANCE)
    assert (problem.file, problem.row, problem.field) == ("organisations.csv", 2, "statedSector")
    assert problem.value == f"{BASE}/def/learning-function/reactive"
    assert problem.expected == "a lc:Topsector"
    assert f"{ID}organisation/acme" in problem.message


def test_pyshacl_reference_gives_the_same_problem(
    shapes: Shapes, checks: list[CompiledCheck]
) -> None:
    store = fixture_store("pattern_mismatch.ru")
    [ours] = check_store(store, checks, PROVENANCE)
    [reference] = check_with_pyshacl(as_dataset(store), shapes)
    assert ours == reference
    assert (ours.file, ours.row, ours.value) == ("regions.csv", 3, "corop-1")


def test_every_component_in_the_shapes_file_is_compiled(
    shapes: Shapes, checks: list[CompiledCheck]
) -> None:
    used = {str(p) for p in shapes.graph.predicates() if str(p) in COMPONENTS}
    compiled = {c.component for c in checks}
    assert {COMPONENTS[p] for p in used} == compiled
    assert len(checks) == sum(len(s.constraints) for s in shapes.shapes)


def test_every_compiled_check_parses_and_runs_on_an_empty_store(
    checks: list[CompiledCheck],
) -> None:
    assert find_violations(ox.Store(), checks, PROVENANCE) == []


def test_a_component_that_is_not_compiled_fails_at_load_naming_shape_and_component() -> None:
    graph = rdflib.Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass <urn:x:C> ;
            sh:property [ sh:path <urn:x:p> ; sh:qualifiedMinCount 1 ] ;
            sh:or ( [ sh:class <urn:x:D> ] ) .""",
        format="turtle",
    )
    with pytest.raises(ValidationFailed) as failed:
        shapes_from_graph(graph, "bad.shacl.ttl")
    fields = {(p.value, p.field) for p in failed.value.problems}
    assert ("urn:x:S", "sh:or") in fields
    assert any(f == "sh:qualifiedMinCount" for _, f in fields)
    assert all(p.file == "bad.shacl.ttl" for p in failed.value.problems)


def test_a_sequence_path_is_refused_at_load() -> None:
    graph = rdflib.Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass <urn:x:C> ;
            sh:property [ sh:path ( <urn:x:p> <urn:x:q> ) ; sh:minCount 1 ] .""",
        format="turtle",
    )
    with pytest.raises(ValidationFailed, match="only IRI or inverse"):
        shapes_from_graph(graph, "bad.shacl.ttl")


def test_inverse_path_max_count_is_checked_by_both_engines(
    shapes: Shapes, checks: list[CompiledCheck]
) -> None:
    store = fixture_store()
    acme, part = f"<{ID}organisation/acme>", f"<{ID}participation/lc1-acme>"
    store.update(
        f"INSERT DATA {{ GRAPH <{BASE}/graph/inferred> {{ {acme} a <{LC}LearningCommunity> ; "
        f"<{LC}hasParticipation> {part} }} }}"
    )
    expected = key("participation/lc1-acme", LC + "hasParticipation", "MaxCount", inverse=True)
    assert expected in compiled_keys(store, checks)
    assert compiled_keys(store, checks) == pyshacl_keys(store, shapes)


def test_duplicate_language_and_wrong_language_are_found_by_both_engines(
    shapes: Shapes, checks: list[CompiledCheck]
) -> None:
    store = fixture_store()
    store.update(
        f"INSERT DATA {{ GRAPH <{BASE}/graph/curated/regions> {{ <{ID}province/PV20> "
        f'<{SKOS}prefLabel> "Groninga"@nl, "Groningue"@fr }} }}'
    )
    found = compiled_keys(store, checks)
    assert found == {
        key("province/PV20", SKOS + "prefLabel", "UniqueLang"),
        key("province/PV20", SKOS + "prefLabel", "LanguageIn"),
    }
    assert found == pyshacl_keys(store, shapes)


def test_ill_formed_year_is_a_datatype_violation(checks: list[CompiledCheck]) -> None:
    store = fixture_store()
    lc1 = f"<{ID}learning-community/lc1>"
    store.update(
        f"DELETE WHERE {{ GRAPH ?g {{ {lc1} <{LC}startYear> ?y }} }} ;"
        f'INSERT DATA {{ GRAPH <{BASE}/graph/x> {{ {lc1} <{LC}startYear> "20x7"^^<{XSD}gYear> }} }}'
    )
    expected = key("learning-community/lc1", LC + "startYear", "Datatype")
    assert compiled_keys(store, checks) == {expected}


def test_negative_participant_count_is_out_of_range(
    shapes: Shapes, checks: list[CompiledCheck]
) -> None:
    store = fixture_store()
    lc1 = f"<{ID}learning-community/lc1>"
    store.update(
        f"DELETE WHERE {{ GRAPH ?g {{ {lc1} <{LC}participantCount> ?n }} }} ;"
        f"INSERT DATA {{ GRAPH <{BASE}/graph/x> {{ {lc1} <{LC}participantCount> -3 }} }}"
    )
    found = compiled_keys(store, checks)
    assert found == {key("learning-community/lc1", LC + "participantCount", "MinInclusive")}
    assert found == pyshacl_keys(store, shapes)


# ---- size: a synthetic store of about a million triples -------------------------------------


def synthetic_store(organisations: int) -> ox.Store:
    """A store shaped like a built one: ~27 triples per organisation; defects every 1000th."""
    store = fixture_store()
    store.bulk_extend(_synthetic_quads(organisations))
    return store


def _synthetic_quads(n: int) -> list[ox.Quad]:
    def iri(text: str) -> ox.NamedNode:
        return ox.NamedNode(text)

    names = ("synthetic/organisations", "synthetic/learning-communities", "inferred", "provenance")
    g_org, g_lc, g_inf, g_prov = (iri(f"{BASE}/graph/{name}") for name in names)
    a, label, sme = iri(RDF_TYPE), iri(SKOS + "prefLabel"), iri(LC + "SME")
    gyear, partner = iri(XSD + "integer"), iri(f"{BASE}/def/participation-role/partner")
    derived = iri("http://www.w3.org/ns/prov#wasDerivedFrom")
    inferred_types = [iri(LC + t) for t in ("BusinessOrganisation", "Organisation", "Stakeholder")]
    inferred_types += [iri(ORG + "Organization"), iri("http://xmlns.com/foaf/0.1/Agent")]
    src = f"{BASE}/source/synthetic/"
    quads: list[ox.Quad] = []
    for i in range(n):
        org, part = iri(f"{ID}organisation/o{i}"), iri(f"{ID}participation/p{i}")
        lc = iri(f"{ID}learning-community/l{i // 4}")
        year = "2015" if i % 1000 else "2015-01"  # one ill-formed year per thousand
        quads += [
            ox.Quad(org, a, sme, g_org),
            ox.Quad(org, label, ox.Literal(f"Organisatie {i}", language="nl"), g_org),
            ox.Quad(org, label, ox.Literal(f"Organisation {i}", language="en"), g_org),
            ox.Quad(org, iri("http://purl.org/dc/terms/identifier"), ox.Literal(f"o{i}"), g_org),
            ox.Quad(org, iri(LC + "statedSector"), iri(f"{BASE}/def/topsector/EN"), g_org),
            ox.Quad(org, iri(LC + "region"), iri(f"{ID}province/PV20"), g_org),
            ox.Quad(org, iri(LC + "startYear"), ox.Literal(year, datatype=gyear), g_org),
            ox.Quad(org, iri(LC + "helix"), iri(f"{BASE}/def/helix/business"), g_inf),
            ox.Quad(org, iri(ORG + "memberOf"), lc, g_inf),
            ox.Quad(org, derived, iri(f"{src}organisations.csv#row={i + 2}"), g_prov),
            *(ox.Quad(org, a, t, g_inf) for t in inferred_types),
            ox.Quad(part, a, iri(LC + "Participation"), g_lc),
            ox.Quad(part, iri(ORG + "member"), org, g_lc),
            ox.Quad(part, iri(ORG + "organization"), lc, g_lc),
            ox.Quad(part, iri(ORG + "role"), partner, g_lc),
            ox.Quad(part, a, iri(ORG + "Membership"), g_inf),
            ox.Quad(lc, iri(LC + "hasParticipation"), part, g_inf),
            ox.Quad(lc, iri(ORG + "hasMember"), org, g_inf),
            ox.Quad(part, derived, iri(f"{src}participations.csv#row={i + 2}"), g_prov),
        ]
        if i % 4 == 0:
            quads += _synthetic_community(lc, i // 4, g_lc, g_inf, g_prov)
    return quads


def _synthetic_community(
    lc: ox.NamedNode, j: int, g_lc: ox.NamedNode, g_inf: ox.NamedNode, g_prov: ox.NamedNode
) -> list[ox.Quad]:
    iri, derived = ox.NamedNode, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    count = ox.Literal(str(j % 50), datatype=iri(XSD + "integer"))
    return [
        ox.Quad(lc, iri(RDF_TYPE), iri(LC + "Pilot"), g_lc),
        ox.Quad(lc, iri(RDF_TYPE), iri(LC + "LearningCommunity"), g_inf),
        ox.Quad(lc, iri(SKOS + "prefLabel"), ox.Literal(f"LG {j}", language="nl"), g_lc),
        ox.Quad(lc, iri(LC + "sector"), iri(f"{BASE}/def/topsector/EN"), g_lc),
        ox.Quad(
            lc, iri(LC + "learningFunction"), iri(f"{BASE}/def/learning-function/reactive"), g_lc
        ),
        ox.Quad(lc, iri(LC + "participantCount"), count, g_lc),
        ox.Quad(lc, derived, iri(f"{BASE}/source/synthetic/lc.csv#row={j + 2}"), g_prov),
    ]


@pytest.mark.slow
def test_a_million_triples_are_checked_in_seconds(checks: list[CompiledCheck]) -> None:
    store = synthetic_store(41_000)
    assert len(store) > 1_000_000
    start = time.perf_counter()
    problems = check_store(store, checks, PROVENANCE)
    elapsed = time.perf_counter() - start
    assert len(problems) == 41  # the ill-formed years, one per thousand organisations
    assert {(p.file, p.field) for p in problems} == {("organisations.csv", "startYear")}
    assert elapsed < 60, f"check_store took {elapsed:.1f} s on {len(store)} quads"

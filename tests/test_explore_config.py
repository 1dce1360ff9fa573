"""The /explore configuration is made from the ontology, and a built query saves as a named query.

Every class and every object or datatype property of the ontology must be in Sparnatural's
configuration, or in `EXCLUDED` with a reason; the widgets follow the ranges. The saved
`.rq` file is loaded with the named-query loader and answers like the built query.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH

from lcgraph.explore.config import (
    CORE,
    DASH,
    DATASOURCES,
    EXCLUDED,
    QUERIES,
    imported_properties,
    own_classes,
    own_properties,
    sparnatural_config,
)
from lcgraph.explore.imported import IMPORTED, IMPORTED_EXCLUDED, ORG
from lcgraph.explore.saved import Chosen, named_query_text, slug
from lcgraph.iris import LC, Iris
from lcgraph.named_queries import load_query
from lcgraph.ontology.load import load_ontology

ONTOLOGY_FILE = Path(__file__).resolve().parents[1] / "ontology" / "lcgraph-edit.ttl"
BASE = "https://w3id.org/lcgraph"
ENERGY = f"{BASE}/def/topsector/EN"
BUILT = f"""PREFIX lc: <{LC}>
SELECT DISTINCT ?LearningCommunity_1 WHERE {{
  ?LearningCommunity_1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> lc:LearningCommunity ;
    lc:sector ?Topsector_2 .
  VALUES ?Topsector_2 {{
    <{ENERGY}>
  }}
}}
LIMIT 1000"""
INLINE = f"""PREFIX lc: <{LC}>
SELECT DISTINCT ?LearningCommunity_1 WHERE {{
  ?LearningCommunity_1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> lc:LearningCommunity;
    lc:sector <{ENERGY}>.
}}
LIMIT 1000"""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def config(ontology: Graph) -> Graph:
    return sparnatural_config(ontology, BASE)


def test_every_class_is_a_node_shape(ontology: Graph, config: Graph) -> None:
    missing = [
        str(c)
        for c in own_classes(ontology)
        if (c, RDF.type, SH.NodeShape) not in config and str(c) not in EXCLUDED
    ]
    assert missing == [], f"classes without an entry and without a reason in EXCLUDED: {missing}"


def test_every_property_is_a_property_shape_on_its_domain(ontology: Graph, config: Graph) -> None:
    missing = [
        str(p)
        for p in own_properties(ontology)
        if str(p) not in EXCLUDED
        and not ((p, SH.path, p) in config and any(config.subjects(SH.property, p)))
    ]
    assert missing == [], f"properties without an entry and without a reason in EXCLUDED: {missing}"


def test_exclusions_name_terms_of_the_ontology_and_say_why(ontology: Graph) -> None:
    terms = {str(t) for t in [*own_classes(ontology), *own_properties(ontology)]}
    assert set(EXCLUDED) <= terms
    assert all(len(reason) > 20 for reason in EXCLUDED.values())


def test_every_imported_property_is_offered_or_excluded_with_a_reason(
    ontology: Graph, config: Graph
) -> None:
    """org:, skos:, prov:, dct:, dcat:, foaf:, vann: as the import modules declare them."""
    imported = imported_properties(ontology)
    assert ORG.member in imported and len(imported) > 40  # the modules were read
    missing = [str(p) for p in imported if p not in IMPORTED and p not in IMPORTED_EXCLUDED]
    assert missing == [], f"imported properties neither offered nor excluded: {missing}"
    assert set(IMPORTED) | set(IMPORTED_EXCLUDED) <= set(imported)  # no stale entry
    assert not set(IMPORTED) & set(IMPORTED_EXCLUDED)
    assert all(len(reason) > 20 for reason in IMPORTED_EXCLUDED.values())
    for prop in IMPORTED:
        carriers = list(config.subjects(SH.property, prop))
        names = {n.language for n in config.objects(prop, SH.name)}  # type: ignore[attr-defined]
        assert carriers and (prop, SH.path, prop) in config and names == {"nl", "en"}, prop


def test_participations_are_asked_with_org_member_organization_and_role(
    ontology: Graph, config: Graph
) -> None:
    """As lc:Participation's restrictions in the ontology say (owl:allValuesFrom)."""
    participation = URIRef(LC + "Participation")
    on_participation = set(config.objects(participation, SH.property))
    assert {ORG.member, ORG.organization, ORG.role} <= on_participation
    assert set(config.objects(ORG.member, SH["class"])) == {URIRef(LC + "Stakeholder")}
    assert set(config.objects(ORG.organization, SH["class"])) == {
        URIRef(LC + "LearningCommunity"),
        URIRef(LC + "FundedProject"),
    }
    assert config.value(ORG.role, DASH.searchWidget) == CORE.ListProperty
    for restriction in ontology.objects(participation, RDFS.subClassOf):
        prop = ontology.value(restriction, OWL.onProperty)
        values = ontology.value(restriction, OWL.allValuesFrom)
        if prop is None or values is None:
            continue
        ranges = set(config.objects(prop, SH["class"]))
        below = set(ontology.transitive_subjects(RDFS.subClassOf, values))
        assert ranges and ranges <= below, (prop, values, ranges)
    assert URIRef(LC + "LearningCommunity") in set(config.subjects(SH.property, ORG.hasMember))


def test_labels_and_tooltips_come_in_dutch_and_english(config: Graph) -> None:
    sector = URIRef(LC + "sector")
    names = {lit.language for lit in config.objects(sector, SH.name) if isinstance(lit, Literal)}
    tips = {lit.language for lit in config.objects(sector, SH.description)}  # type: ignore[union-attr]
    labels = {lit.language for lit in config.objects(URIRef(LC + "Topsector"), RDFS.label)}  # type: ignore[union-attr]
    assert names == tips == labels == {"nl", "en"}


def test_property_domain_union_and_subclasses_get_the_property(config: Graph) -> None:
    sector = URIRef(LC + "sector")
    carriers = set(config.subjects(SH.property, sector))
    assert {URIRef(LC + "LearningCommunity"), URIRef(LC + "Organisation")} <= carriers
    assert URIRef(LC + "University") in carriers  # a subclass of Organisation
    assert (sector, SH["class"], URIRef(LC + "Topsector")) in config


@pytest.mark.parametrize(
    ("prop", "widget"),
    [
        ("sector", CORE.ListProperty),  # a concept scheme
        ("learningFunction", CORE.ListProperty),
        ("region", CORE.TreeProperty),  # regions with their containment
        ("startYear", CORE.NumberProperty),  # a range
        ("participantCount", CORE.NumberProperty),
        ("isCrossSector", CORE.BooleanProperty),
        ("gapKind", CORE.SearchProperty),
    ],
)
def test_widget_follows_the_range(config: Graph, prop: str, widget: URIRef) -> None:
    assert config.value(URIRef(LC + prop), DASH.searchWidget) == widget


def test_every_value_lookup_is_bounded(config: Graph) -> None:
    assert all("LIMIT" in query for query in QUERIES.values())
    # explore.js puts the typed text in place of "$key" as an escaped SPARQL string
    assert QUERIES["search"].count('"$key"') == QUERIES["search"].count("$key") == 1
    for source in config.objects(None, DATASOURCES.datasource):
        assert "LIMIT" in str(config.value(source, DATASOURCES.queryString))


@pytest.mark.parametrize("built", [BUILT, INLINE], ids=["values-block", "inline"])
def test_built_query_saves_as_a_named_query_with_the_chosen_value_as_parameter(
    tmp_path: Path, curated_store: object, built: str
) -> None:
    chosen = [Chosen("Topsector_2", ENERGY, "Energy", LC + "Topsector")]
    text = named_query_text(built, "Learning communities in Energy", chosen)
    path = tmp_path / f"{slug('Learning communities in Energy')}.rq"
    path.write_text(text)
    query = load_query(path, Iris(BASE))
    assert path.name == "learning-communities-in-energy.rq"
    assert set(query.title) == set(query.description) == {"nl", "en"}
    (param,) = query.params
    assert (param.name, param.kind, param.default) == ("Topsector_2", "iri", ENERGY)
    assert "VALUES" not in query.sparql and f"<{ENERGY}>" not in query.sparql
    saved = {str(row["LearningCommunity_1"].value) for row in query.run(curated_store)}  # type: ignore[arg-type]
    built = {str(row["LearningCommunity_1"].value) for row in curated_store.query(BUILT)}  # type: ignore[attr-defined]
    assert saved == built and saved

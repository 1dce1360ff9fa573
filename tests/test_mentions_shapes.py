"""What the named-partner and topsector rules add passes the project's SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from lcgraph.iris import Iris
from lcgraph.stakeholders.mentions import Summary, named_partners
from lcgraph.stakeholders.topsectors import Project, inferred_sectors, read_rules
from lcgraph.validation.shapes import (
    compile_shapes,
    find_violations,
    load_shapes,
    pyshacl_violations,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
IRIS = Iris("https://w3id.org/lcgraph")  # the base of the shapes' clean fixture
COMMUNITY = IRIS.id_iri("learning-community", "lc1")
ROLE = """PREFIX lc: <https://w3id.org/lcgraph/def/lc/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA { GRAPH <https://w3id.org/lcgraph/graph/curated/vocab-participation-role> {
  <https://w3id.org/lcgraph/def/participation-role/named-partner> a lc:ParticipationRole ;
    skos:inScheme <https://w3id.org/lcgraph/def/participation-role> ;
    skos:prefLabel "genoemde partner"@nl, "named partner"@en ;
    skos:definition "Een partij die de samenvatting van een project als partner noemt."@nl } }"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    store = ox.Store()
    store.load(path=str(FIXTURES / "clean.trig"), format=ox.RdfFormat.TRIG)
    store.update(ROLE)
    summary = Summary(COMMUNITY, "Samen met Acme Techniek.", frozenset({"rug"}))
    store.extend(named_partners([summary], {"acme": ["Acme Techniek B.V."]}, IRIS))
    table = tmp_path_factory.mktemp("rules") / "topsectors.csv"
    table.write_text("id,kind,value,topsector,note\nzon,keyword,zonne*,EN,solar\n", "utf-8")
    rules = read_rules(table, ["EN"], IRIS)
    store.extend(inferred_sectors(rules, [Project(COMMUNITY, "Zonne-energie")], IRIS))
    return store


def test_the_inferences_are_in_the_store(store: ox.Store) -> None:
    graph = ox.NamedNode(IRIS.inferred_graph)
    assert len(list(store.quads_for_pattern(None, None, None, graph))) > 10


def test_named_partners_and_inferred_sectors_break_no_shape(store: ox.Store) -> None:
    shapes = load_shapes(ROOT / "ontology" / "shapes" / "lcgraph.shacl.ttl")
    found = find_violations(store, compile_shapes(shapes), IRIS.provenance_graph)
    assert [(v.key, v.message) for v in found] == []
    dataset = _dataset(store)
    assert [v.key for v in pyshacl_violations(dataset, shapes)] == []


def _dataset(store: ox.Store):  # type: ignore[no-untyped-def]
    import rdflib

    dataset = rdflib.Dataset()
    for name in store.named_graphs():
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).decode()
        dataset.graph(rdflib.URIRef(name.value)).parse(data=data, format="nt")
    return dataset

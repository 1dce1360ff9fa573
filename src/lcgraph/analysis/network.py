"""Read the participation network from the store with SPARQL and hold it as a networkx graph.

Everything downstream reads a `Network`: the bipartite stakeholder–community graph (nodes are
IRIs, attribute `bipartite` 0 for stakeholders and 1 for communities), plus each node's
attributes (sectors, helix, type, region). Only SPARQL is used, so any store works and the
analysis sees whatever data stewards loaded, never the CSV files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx
from pyoxigraph import QuerySolutions

from lcgraph.errors import StoreError
from lcgraph.iris import LC, W3C_PREFIXES
from lcgraph.store import GraphStore

HELIX_CLASSES: dict[str, str] = {
    LC + "BusinessOrganisation": "business",
    LC + "EducationOrganisation": "education",
    LC + "ResearchOrganisation": "research",
    LC + "GovernmentOrganisation": "government",
    LC + "SocietalOrganisation": "society",
}

_PROLOGUE = f"""PREFIX lc: <{LC}>
PREFIX org: <{W3C_PREFIXES["org"]}>
PREFIX rdfs: <{W3C_PREFIXES["rdfs"]}>
PREFIX skos: <{W3C_PREFIXES["skos"]}>
"""

# The build materialises `?org org:memberOf ?lc` from every participation (a property chain
# in the ontology): one index scan, five times faster than joining the participations.
MEMBERSHIPS = _PROLOGUE + "SELECT ?org ?lc WHERE { ?org org:memberOf ?lc }"
EDGES = (
    _PROLOGUE
    + """SELECT ?org ?lc WHERE {
  ?p a lc:Participation ; org:member ?org ; org:organization ?lc .
}"""
)
STAKEHOLDER_SECTORS = _PROLOGUE + (
    "SELECT ?s ?sector WHERE { ?s a lc:Stakeholder ; lc:sector ?sector }"
)
COMMUNITY_SECTORS = _PROLOGUE + (
    "SELECT ?s ?sector WHERE { ?s a org:OrganizationalCollaboration ; lc:sector ?sector }"
)
STAKEHOLDER_TYPES = (
    _PROLOGUE
    + """SELECT ?s ?type WHERE {
  ?type rdfs:subClassOf* lc:Organisation . ?s a ?type .
}"""
)
ORGANISATION_CLASSES = (
    _PROLOGUE
    + """SELECT DISTINCT ?sub ?sup WHERE {
  ?sub rdfs:subClassOf* lc:Organisation .
  OPTIONAL { ?sub rdfs:subClassOf ?sup . ?sup rdfs:subClassOf* lc:Organisation }
}"""
)
REGIONS = (
    _PROLOGUE
    + """SELECT ?s ?region ?province WHERE {
  ?s lc:region ?region . BIND(EXISTS { ?region a lc:Province } AS ?province)
}"""
)
COMMUNITY_FACETS = (
    _PROLOGUE
    + """SELECT ?lc ?function ?phase WHERE {
  ?lc a lc:LearningCommunity .
  OPTIONAL { ?lc lc:learningFunction ?function }
  OPTIONAL { ?lc lc:innovationPhase ?phase }
}"""
)
SCHEME_CONCEPTS = _PROLOGUE + "SELECT ?c WHERE { ?c skos:inScheme ?scheme }"
LABELS = (
    _PROLOGUE
    + """SELECT ?s ?label WHERE {
  { ?s skos:prefLabel ?label } UNION { ?s rdfs:label ?label }
  FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}"""
)


@dataclass
class Stakeholder:
    """What the measures need to know about one stakeholder."""

    iri: str
    sectors: tuple[str, ...] = ()
    helix: str | None = None
    type: str | None = None
    region: str | None = None

    @property
    def sector(self) -> str | None:
        """The primary sector: the only one, or the first in IRI order when there are several."""
        return self.sectors[0] if self.sectors else None


@dataclass
class Network:
    """The bipartite participation graph and its node attributes, as read from the store."""

    graph: nx.Graph
    stakeholders: dict[str, Stakeholder]
    community_sectors: dict[str, tuple[str, ...]]
    memberships: dict[str, list[str]]  # stakeholder -> its communities
    members: dict[str, list[str]]  # community -> its stakeholders
    organisation_classes: dict[str, set[str]] = field(default_factory=dict)  # class -> subclasses
    facets: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    concepts: dict[str, set[str]] = field(default_factory=dict)  # scheme-ish concept sets
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def sectors(self) -> list[str]:
        """Every sector seen on a stakeholder or a community, in IRI order."""
        found = {s for st in self.stakeholders.values() for s in st.sectors}
        found.update(s for sectors in self.community_sectors.values() for s in sectors)
        return sorted(found)

    def label(self, iri: str) -> str:
        """A short human label: the stored English/plain label, else the IRI's last segment."""
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]


def _rows(result: object, source: str) -> Iterator[tuple[str | None, ...]]:
    """Rows of a SELECT as tuples of plain strings (IRIs and literal values), None when unbound."""
    if not isinstance(result, QuerySolutions):
        raise StoreError(f"{source}: expected SELECT results")
    for solution in result:
        yield tuple(None if term is None else term.value for term in solution)


def from_edges(
    edges: Iterable[tuple[str, str]],
    stakeholders: dict[str, Stakeholder] | None = None,
    community_sectors: dict[str, tuple[str, ...]] | None = None,
) -> Network:
    """A Network from (stakeholder, community) pairs; the way tests and benchmarks build one."""
    unique = list(dict.fromkeys(edges))  # first occurrence order, duplicates dropped
    graph: nx.Graph = nx.Graph()
    graph.add_edges_from(unique)
    memberships: dict[str, list[str]] = defaultdict(list)
    members: dict[str, list[str]] = defaultdict(list)
    for org, lc in unique:
        memberships[org].append(lc)
        members[lc].append(org)
    people = dict(stakeholders or {})
    for org in memberships:
        people.setdefault(org, Stakeholder(org))
    nx.set_node_attributes(graph, dict.fromkeys(memberships, 0), "bipartite")
    nx.set_node_attributes(graph, dict.fromkeys(members, 1), "bipartite")
    return Network(graph, people, dict(community_sectors or {}), dict(memberships), dict(members))


def read_network(store: GraphStore) -> Network:
    """The whole participation network, read with a handful of SELECT queries."""
    edges = _edges(store)
    sectors = _grouped(store.query(STAKEHOLDER_SECTORS), "stakeholder sectors")
    people = {iri: Stakeholder(iri, tuple(sorted(s))) for iri, s in sectors.items()}
    community_sectors = {
        iri: tuple(sorted(s))
        for iri, s in _grouped(store.query(COMMUNITY_SECTORS), "community sectors").items()
    }
    network = from_edges(edges, people, community_sectors)
    network.organisation_classes = _class_tree(store)
    _add_types(network, _grouped(store.query(STAKEHOLDER_TYPES), "stakeholder types"))
    _add_regions(network, store)
    network.facets, network.concepts = _facets(store)
    network.labels = {s: lab for s, lab in _rows(store.query(LABELS), "labels") if s and lab}
    return network


def _edges(store: GraphStore) -> list[tuple[str, str]]:
    """(stakeholder, community) pairs: the materialised memberships, else the participations.

    A store loaded without lcgraph's inference has no `org:memberOf`; then the
    participations themselves are joined.
    """
    for query in (MEMBERSHIPS, EDGES):
        edges = [(o, c) for o, c in _rows(store.query(query), "participations") if o and c]
        if edges:
            return edges
    return []


def _grouped(result: object, source: str) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for subject, value in _rows(result, source):
        if subject is not None and value is not None:
            grouped[subject].add(value)
    return grouped


def _class_tree(store: GraphStore) -> dict[str, set[str]]:
    """Each organisation class with its direct subclasses (empty set for leaf classes)."""
    tree: dict[str, set[str]] = defaultdict(set)
    for sub, sup in _rows(store.query(ORGANISATION_CLASSES), "organisation classes"):
        if sub is None:
            continue
        tree[sub]
        if sup is not None and sup != sub:
            tree[sup].add(sub)
    return dict(tree)


def _add_types(network: Network, types: dict[str, set[str]]) -> None:
    """Set each stakeholder's helix (joined when several) and its most specific class."""
    for iri, classes in types.items():
        person = network.stakeholders.get(iri)
        if person is None:
            continue
        helices = sorted(HELIX_CLASSES[c] for c in classes if c in HELIX_CLASSES)
        person.helix = "+".join(helices) or None
        specific = sorted(
            c
            for c in classes
            if c != LC + "Stakeholder"
            and not (network.organisation_classes.get(c, set()) & classes)
        )
        person.type = specific[0] if specific else None


def _add_regions(network: Network, store: GraphStore) -> None:
    """Each stakeholder's region: its province when it has one, else its first region."""
    candidates: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for iri, region, province in _rows(store.query(REGIONS), "regions"):
        if iri in network.stakeholders and region is not None:
            candidates[iri].append((province != "true", region))
    for iri, options in candidates.items():
        network.stakeholders[iri].region = min(options)[1]


Facets = dict[str, tuple[set[str], set[str]]]


def _facets(store: GraphStore) -> tuple[Facets, dict[str, set[str]]]:
    """Learning functions and innovation phases per community, and each scheme's concepts."""
    facets: Facets = defaultdict(lambda: (set(), set()))
    for lc, function, phase in _rows(store.query(COMMUNITY_FACETS), "community facets"):
        if lc is None:
            continue
        functions, phases = facets[lc]
        if function:
            functions.add(function)
        if phase:
            phases.add(phase)
    concepts: dict[str, set[str]] = defaultdict(set)
    for (concept,) in _rows(store.query(SCHEME_CONCEPTS), "concepts"):
        if concept is not None and "/def/" in concept:
            scheme = concept.rsplit("/", 1)[0].rsplit("/", 1)[-1]
            concepts[scheme].add(concept)
    return dict(facets), dict(concepts)

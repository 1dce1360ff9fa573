"""Materialise what queries need into the inferred graph.

From the ontology's own axioms: types from the class hierarchy (`?x a lc:Stakeholder` finds
every kind of stakeholder), super-properties, inverses and transitive properties (region
containment). From `ontology/rules/*.rq`: CONSTRUCT rules for what OWL axioms cannot say
simply (membership shortcuts). Axiom closures are computed in Python over the small
ontology; the instance data is read with one SELECT per property and written back with
`bulk_extend`, which is much faster than SPARQL property paths over the union graph.

Order matters and is fixed: rules, sub-properties, transitive closure, inverses, types
(so the inverse of a transitive property is closed too).
One pass suffices for lcgraph's ontology (no axiom feeds an earlier step).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import NamedNode, Quad, QuerySolutions, QueryTriples, Triple

from lcgraph.store import Staging

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_UNION = {"use_default_graph_as_union": True}


def infer(staging: Staging, ontology_graph: str, inferred_graph: str, rules: Path) -> int:
    """Add the inferred triples to `inferred_graph`; returns how many were added."""
    target = NamedNode(inferred_graph)
    axioms = _Axioms(staging, ontology_graph)
    added = 0
    steps = [_new(staging, _rules(staging, rules)),
             _new(staging, _super_properties(staging, axioms)),
             _new(staging, _transitive(staging, axioms)),
             _new(staging, _inverses(staging, axioms)),
             _types(staging, axioms)]  # already leaves out the types the store holds
    for step in steps:
        quads = [Quad(t.subject, t.predicate, t.object, target) for t in step]
        staging.extend(quads)
        added += len(quads)
    return added


def _new(staging: Staging, triples: Iterable[Triple]) -> Iterator[Triple]:
    """The triples not yet in the store: the union default graph would count them twice."""
    by_predicate: dict[NamedNode, set[Triple]] = defaultdict(set)
    for triple in triples:
        by_predicate[triple.predicate].add(triple)
    for predicate, candidates in by_predicate.items():
        existing = {Triple(r["s"], predicate, r["o"]) for r in _edges(staging, predicate)}
        yield from candidates - existing


class _Axioms:
    """The ontology's hierarchy and property characteristics, read once."""

    def __init__(self, staging: Staging, graph: str) -> None:
        self.super_classes = _closure(self._pairs(staging, graph, "rdfs:subClassOf"))
        self.super_properties = _closure(self._pairs(staging, graph, "rdfs:subPropertyOf"))
        inverse = self._pairs(staging, graph, "owl:inverseOf")
        self.inverses = inverse + [(b, a) for a, b in inverse]
        self.transitive = [
            s["p"] for s in _select(staging, f"""
            PREFIX owl: <http://www.w3.org/2002/07/owl#>
            SELECT ?p WHERE {{ GRAPH <{graph}> {{ ?p a owl:TransitiveProperty }} }}""")
        ]

    @staticmethod
    def _pairs(staging: Staging, graph: str, predicate: str) -> list[tuple[NamedNode, NamedNode]]:
        rows = _select(staging, f"""
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX owl: <http://www.w3.org/2002/07/owl#>
            SELECT ?a ?b WHERE {{ GRAPH <{graph}> {{ ?a {predicate} ?b }}
                                 FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b) }}""")
        return [(r["a"], r["b"]) for r in rows]


def _select(staging: Staging, sparql: str) -> QuerySolutions:
    result = staging.query(sparql, **_UNION)
    assert isinstance(result, QuerySolutions)  # noqa: S101 - the query is ours, a SELECT
    return result


def _closure(pairs: Iterable[tuple[NamedNode, NamedNode]]) -> dict[NamedNode, set[NamedNode]]:
    """Each node's ancestors along `pairs` (child, parent), itself excluded."""
    parents: dict[NamedNode, set[NamedNode]] = defaultdict(set)
    for child, parent in pairs:
        parents[child].add(parent)
    closure: dict[NamedNode, set[NamedNode]] = {}

    def ancestors(node: NamedNode, trail: frozenset[NamedNode]) -> set[NamedNode]:
        if node not in closure:
            found: set[NamedNode] = set()
            for parent in parents.get(node, ()):
                if parent not in trail:
                    found |= {parent} | ancestors(parent, trail | {parent})
            closure[node] = found - {node}
        return closure[node]

    for node in list(parents):
        ancestors(node, frozenset({node}))
    return closure


def _edges(staging: Staging, predicate: NamedNode) -> QuerySolutions:
    return _select(staging, f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{predicate.value}> ?o }}")


def _rules(staging: Staging, rules: Path) -> Iterator[Triple]:
    for rule in sorted(rules.glob("*.rq")) if rules.exists() else []:
        result = staging.query(rule.read_text(encoding="utf-8"), **_UNION)
        if not isinstance(result, QueryTriples):
            raise ValueError(f"{rule}: an inference rule must be a CONSTRUCT query")
        yield from result


def _super_properties(staging: Staging, axioms: _Axioms) -> Iterator[Triple]:
    for prop, supers in axioms.super_properties.items():
        for row in _edges(staging, prop):
            for sup in supers:
                yield Triple(row["s"], sup, row["o"])


def _inverses(staging: Staging, axioms: _Axioms) -> Iterator[Triple]:
    for prop, inverse in axioms.inverses:
        for row in _edges(staging, prop):
            if isinstance(row["o"], NamedNode):
                yield Triple(row["o"], inverse, row["s"])


def _transitive(staging: Staging, axioms: _Axioms) -> Iterator[Triple]:
    for prop in axioms.transitive:
        edges = [(row["s"], row["o"]) for row in _edges(staging, prop)]
        stated = set(edges)
        for node, reachable in _closure(edges).items():
            for target in reachable:
                if (node, target) not in stated:
                    yield Triple(node, prop, target)


def _types(staging: Staging, axioms: _Axioms) -> Iterator[Triple]:
    stated: dict[NamedNode, set[NamedNode]] = defaultdict(set)
    for row in _select(staging, "SELECT DISTINCT ?s ?c WHERE { ?s a ?c FILTER(isIRI(?c)) }"):
        stated[row["s"]].add(row["c"])
    for subject, classes in stated.items():
        implied = set().union(*(axioms.super_classes.get(c, set()) for c in classes)) - classes
        for cls in implied:
            yield Triple(subject, RDF_TYPE, cls)

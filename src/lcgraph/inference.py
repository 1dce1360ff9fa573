"""Materialise what queries need into the inferred graph.

From the ontology's own axioms: types from the class hierarchy (`?x a lc:Stakeholder` finds
every kind of stakeholder), super-properties, inverses and transitive properties (region
containment). From `ontology/rules/*.rq`: CONSTRUCT rules, run on the staged store, for what
OWL axioms cannot say simply (membership shortcuts).

The axiom closures run in Python over the IRI-valued triples the mapping produced (plus what
the rules add): set operations on strings are far faster than SPARQL joins over the union
graph (benchmarks/build.py). A triple the data already states is never inferred again, so
the union default graph does not count it twice.

Order is fixed: rules, sub-properties, transitive closure, property chains, inverses, types
(so a chain such as `lc:region ∘ lc:withinRegion ⊑ lc:region` follows the closed
containment to every enclosing region, and the inverse of a transitive property is closed
too). One pass suffices for lcgraph's ontology.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import rdflib
import rdflib.collection
from pyoxigraph import NamedNode, QueryTriples
from rdflib.namespace import OWL, RDF, RDFS

from lcgraph.store import Staging

Link = tuple[str, str, str]
RDF_TYPE = str(RDF.type)
_UNION = {"use_default_graph_as_union": True}


@dataclass(frozen=True)
class Axioms:
    """The ontology's hierarchy and property characteristics, as closures over IRIs."""

    super_classes: dict[str, set[str]]
    super_properties: dict[str, set[str]]
    inverses: dict[str, set[str]]
    transitive: frozenset[str]
    # (property, ((step, inverse?), ...)) for each owl:propertyChainAxiom
    chains: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]

    @classmethod
    def of(cls, ontology: rdflib.Graph) -> Axioms:
        def pairs(predicate: rdflib.URIRef) -> list[tuple[str, str]]:
            return [
                (str(a), str(b))
                for a, b in ontology.subject_objects(predicate)
                if isinstance(a, rdflib.URIRef) and isinstance(b, rdflib.URIRef) and a != b
            ]

        inverse = pairs(OWL.inverseOf)
        inverses: dict[str, set[str]] = defaultdict(set)
        for a, b in inverse:
            inverses[a].add(b)
            inverses[b].add(a)
        return cls(
            super_classes=closure(pairs(RDFS.subClassOf)),
            super_properties=closure(pairs(RDFS.subPropertyOf)),
            inverses=dict(inverses),
            transitive=frozenset(
                str(p) for p in ontology.subjects(RDF.type, OWL.TransitiveProperty)
            ),
            chains=tuple(_chains(ontology)),
        )


def _chains(ontology: rdflib.Graph) -> Iterator[tuple[str, tuple[tuple[str, bool], ...]]]:
    """owl:propertyChainAxiom lists; a step is a property or [ owl:inverseOf property ]."""
    for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
        steps = []
        for item in rdflib.collection.Collection(ontology, head):
            inverse = ontology.value(item, OWL.inverseOf)
            steps.append((str(inverse), True) if inverse is not None else (str(item), False))
        yield str(prop), tuple(steps)


def closure(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Each node's ancestors along `pairs` (child, parent), itself excluded; cycles are safe."""
    parents: dict[str, set[str]] = defaultdict(set)
    for child, parent in pairs:
        parents[child].add(parent)
    result: dict[str, set[str]] = {}
    for start in parents:
        seen: set[str] = set()
        stack = list(parents[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(parents.get(node, ()))
        result[start] = seen - {start}
    return result


def rule_links(staging: Staging, rules: Path) -> list[Link]:
    """What the CONSTRUCT rules in `rules/*.rq` derive from the staged data."""
    links: list[Link] = []
    for rule in sorted(rules.glob("*.rq")) if rules.exists() else []:
        result = staging.query(rule.read_text(encoding="utf-8"), **_UNION)
        if not isinstance(result, QueryTriples):
            raise ValueError(f"{rule}: an inference rule must be a CONSTRUCT query")
        links.extend(
            (t.subject.value, t.predicate.value, t.object.value)
            for t in result
            if isinstance(t.object, NamedNode)
        )
    return links


def infer(stated: Iterable[Link], derived: Iterable[Link], axioms: Axioms) -> set[Link]:
    """The triples `stated` and `derived` imply under `axioms`, less those `stated` holds."""
    known = set(stated)
    new = set(derived) - known
    for step in (_super_properties, _transitive, _chains_of, _inverses, _types):
        new |= set(step(known | new, axioms)) - known
    return new


def nquads(links: Iterable[Link], graph: str) -> bytes:
    """N-Quads text of IRI triples (their IRIs were validated when they were minted)."""
    return "".join(f"<{s}> <{p}> <{o}> <{graph}> .\n" for s, p, o in links).encode("utf-8")


def _chains_of(links: set[Link], axioms: Axioms) -> Iterator[Link]:
    for prop, steps in axioms.chains:
        hops = [_hops(links, step, inverse) for step, inverse in steps]
        paths = {(start, start) for start in hops[0]}
        for following in hops:
            paths = {(start, nxt) for start, end in paths for nxt in following.get(end, ())}
        for start, end in paths:
            yield start, prop, end


def _hops(links: set[Link], prop: str, inverse: bool) -> dict[str, list[str]]:
    """Where one step along `prop` (or against it, if `inverse`) leads from each node."""
    following: dict[str, list[str]] = defaultdict(list)
    for s, p, o in links:
        if p == prop:
            following[o if inverse else s].append(s if inverse else o)
    return following


def _super_properties(links: set[Link], axioms: Axioms) -> Iterator[Link]:
    supers = axioms.super_properties
    for s, p, o in links:
        for sup in supers.get(p, ()):
            yield s, sup, o


def _transitive(links: set[Link], axioms: Axioms) -> Iterator[Link]:
    for prop in axioms.transitive:
        edges = [(s, o) for s, p, o in links if p == prop]
        for node, reachable in closure(edges).items():
            for target in reachable:
                yield node, prop, target


def _inverses(links: set[Link], axioms: Axioms) -> Iterator[Link]:
    inverses = axioms.inverses
    for s, p, o in links:
        for inverse in inverses.get(p, ()):
            yield o, inverse, s


def _types(links: set[Link], axioms: Axioms) -> Iterator[Link]:
    supers = axioms.super_classes
    for s, p, o in links:
        if p == RDF_TYPE:
            for sup in supers.get(o, ()):
                yield s, RDF_TYPE, sup

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

import itertools
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
    # Each step reads only the links of the properties it concerns, from an index by
    # property: scanning every link once per step (8 scans for two chains, plus the
    # `known | new` copies) took 2.8 s of the benchmark's build, and 6.0 s more when the
    # rules' 33k links were closed again against the ~930k known ones (benchmarks/build.py).
    index: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for s, p, o in itertools.chain(known, new):
        index[p].add((s, o))
    for step in (_super_properties, _transitive, _chains_of, _inverses, _types):
        added = set(step(index, axioms)) - known - new
        new |= added
        for s, p, o in added:
            index[p].add((s, o))
    return new


def nquads(links: Iterable[Link], graph: str) -> bytes:
    """N-Quads text of IRI triples (their IRIs were validated when they were minted)."""
    return "".join(f"<{s}> <{p}> <{o}> <{graph}> .\n" for s, p, o in links).encode("utf-8")


Index = dict[str, set[tuple[str, str]]]  # property -> its (subject, object) pairs


def _chains_of(index: Index, axioms: Axioms) -> Iterator[Link]:
    for prop, steps in axioms.chains:
        hops = [_hops(index, step, inverse) for step, inverse in steps]
        paths = {(start, start) for start in hops[0]}
        for following in hops:
            paths = {(start, nxt) for start, end in paths for nxt in following.get(end, ())}
        for start, end in paths:
            yield start, prop, end


def _hops(index: Index, prop: str, inverse: bool) -> dict[str, list[str]]:
    """Where one step along `prop` (or against it, if `inverse`) leads from each node."""
    following: dict[str, list[str]] = defaultdict(list)
    for s, o in index.get(prop, ()):
        following[o if inverse else s].append(s if inverse else o)
    return following


def _super_properties(index: Index, axioms: Axioms) -> Iterator[Link]:
    for p, supers in axioms.super_properties.items():
        for s, o in index.get(p, ()):
            for sup in supers:
                yield s, sup, o


def _transitive(index: Index, axioms: Axioms) -> Iterator[Link]:
    for prop in axioms.transitive:
        for node, reachable in closure(index.get(prop, ())).items():
            for target in reachable:
                yield node, prop, target


def _inverses(index: Index, axioms: Axioms) -> Iterator[Link]:
    for p, inverses in axioms.inverses.items():
        for s, o in index.get(p, ()):
            for inverse in inverses:
                yield o, inverse, s


def _types(index: Index, axioms: Axioms) -> Iterator[Link]:
    supers = axioms.super_classes
    for s, o in index.get(RDF_TYPE, ()):
        for sup in supers.get(o, ()):
            yield s, RDF_TYPE, sup

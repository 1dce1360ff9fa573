"""Materialise what queries need into the inferred graph.

From the ontology's own axioms: types from the class hierarchy (`?x a lc:Stakeholder` finds
every kind of stakeholder), super-properties, inverses and transitive properties (region
containment). From `ontology/rules/*.rq`: CONSTRUCT rules, run on the staged store, for what
OWL axioms cannot say simply (membership shortcuts).

The axiom closures run in Python over the IRI-valued triples the mapping produced (plus what
the rules add): set operations on strings are far faster than SPARQL joins over the union
graph (benchmarks/build.py). A triple the data already states is never inferred again, so
the union default graph does not count it twice.

What is inferred is the fixpoint: every link that the axioms imply from the stated and
derived ones, whatever the order of the axioms (a chain such as `lc:region ∘ lc:withinRegion ⊑
lc:region` follows the closed containment to every enclosing region, and the inverse of a
transitive property is closed too). The rules run once, on the closed graph; what they add is
closed in turn (`Closure.add`).
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

from lcgraph.iris import RDF_TYPE
from lcgraph.store import Staging

Link = tuple[str, str, str]
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


class Closure:
    """Links and all that they imply under `axioms`, kept closed as links are added.

    Semi-naive: each link is followed once, when it first enters, against the links of the
    properties that a two-premise axiom joins (transitive properties and chain steps), which
    alone are indexed. So adding the rules' few links to a closed graph costs what those links
    imply, not a pass over the whole graph: closing the rules' 33k links again against the
    ~930k known ones took 3.5 s of the benchmark's 30 s build as a second whole pass, and
    0.1 s this way (benchmarks/build.py). The result is the fixpoint, whatever the order of
    the axioms.
    """

    def __init__(self, axioms: Axioms) -> None:
        self.axioms = axioms
        self.known: set[Link] = set()
        # The same links by property, those added apart from those they implied (the search
        # index picks its facets from a few, and closes the classes itself: 0.9 s for a pass
        # over all 1.2M known links of benchmarks/build.py, 0.2 s this way)
        self.added: dict[str, list[Link]] = defaultdict(list)
        self.implied: dict[str, list[Link]] = defaultdict(list)
        self._chain_steps: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for c, (_, steps) in enumerate(axioms.chains):
            for i, (prop, _inverse) in enumerate(steps):
                self._chain_steps[prop].append((c, i))
        joined = set(axioms.transitive) | set(self._chain_steps)
        # property -> subject -> objects, and property -> object -> subjects
        self._out: dict[str, dict[str, set[str]]] = {p: defaultdict(set) for p in joined}
        self._in: dict[str, dict[str, set[str]]] = {p: defaultdict(set) for p in joined}

    def add(self, links: Iterable[Link], stated: bool = False) -> set[Link]:
        """Add `links` and close; return what became known and is not stated.

        Stated links are the data's own (never inferred again, so the union default graph
        does not count them twice); links that are not stated (a rule's) count as inferred.
        Add the stated links first.
        """
        delta = set(links) - self.known
        self.known |= delta
        inferred = set() if stated else set(delta)
        kept = self.added
        while delta:
            produced = self._consequences(delta, kept) - self.known
            self.known |= produced
            inferred |= produced
            delta, kept = produced, self.implied
        return inferred

    def _consequences(self, delta: set[Link], kept: dict[str, list[Link]]) -> set[Link]:
        """What `delta` implies in one step, together with the links known so far; `delta`
        is kept by property in `kept` (each link passes here once: when it is new)."""
        by_property: dict[str, list[Link]] = defaultdict(list)
        for link in delta:
            by_property[link[1]].append(link)
        for p, links in by_property.items():
            kept[p].extend(links)
        for p, links in by_property.items():
            if p in self._out:
                out, into = self._out[p], self._in[p]
                for s, _, o in links:
                    out[s].add(o)
                    into[o].add(s)
        # Set comprehensions, not generators: a generator's yield per link cost 0.6 s of the
        # benchmark's first closure (463k stated links).
        produced: set[Link] = set()
        for p, links in by_property.items():
            produced |= self._single(p, links)
            if p in self.axioms.transitive:
                produced |= self._transitive(p, links)
            for chain, position in self._chain_steps.get(p, ()):
                produced |= self._chain(chain, position, links)
        return produced

    def _single(self, p: str, links: list[Link]) -> set[Link]:
        """Super-properties, inverses and super-classes: one link implies them alone."""
        axioms = self.axioms
        found = {(s, sup, o) for sup in axioms.super_properties.get(p, ()) for s, _, o in links}
        found |= {(o, inverse, s) for inverse in axioms.inverses.get(p, ()) for s, _, o in links}
        if p == RDF_TYPE:
            supers = axioms.super_classes
            found |= {(s, RDF_TYPE, sup) for s, _, o in links for sup in supers.get(o, ())}
        return found

    def _transitive(self, p: str, links: list[Link]) -> set[Link]:
        out, into = self._out[p], self._in[p]
        found = {(before, p, o) for s, _, o in links for before in into.get(s, ())}
        return found | {(s, p, after) for s, _, o in links for after in out.get(o, ())}

    def _chain(self, chain: int, position: int, links: list[Link]) -> set[Link]:
        """Chains through a new link at `position`: extended along the steps before and after."""
        prop, steps = self.axioms.chains[chain]
        paths = {(o, s) if steps[position][1] else (s, o) for s, _, o in links}  # (first, last)
        for step, inverse in reversed(steps[:position]):  # where the steps before come from
            index = self._out[step] if inverse else self._in[step]
            paths = {(before, last) for first, last in paths for before in index.get(first, ())}
        for step, inverse in steps[position + 1 :]:  # where the steps after lead
            index = self._in[step] if inverse else self._out[step]
            paths = {(first, after) for first, last in paths for after in index.get(last, ())}
        return {(first, prop, last) for first, last in paths}


def nquads(links: Iterable[Link], graph: str) -> bytes:
    """N-Quads text of IRI triples (their IRIs were validated when they were minted)."""
    return "".join(f"<{s}> <{p}> <{o}> <{graph}> .\n" for s, p, o in links).encode("utf-8")

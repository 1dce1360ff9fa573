"""Read what the index keeps of every resource out of a store: its text and facet values.

The same code reads a staging store during a build and a remote server when an index is
missing: both answer SPARQL with pyoxigraph's result types. One SELECT of two or three
variables per predicate group, no join: measured on the synthetic graph (1.2M triples,
36,558 resources with text, 2026-12-03, in process), what costs is handing rows to Python
(about 3 us a row of two terms) and any join the engine repeats:

- before, each facet predicate was one GROUP_CONCAT joined with the subjects that have
  text, which the engine evaluated again for every predicate: 2.5-2.9 s in all, more than
  half of the index step (4.6 s);
- `quads_for_pattern` per predicate (1.9-2.5 s): a quad is four terms, about 5 us;
- these SELECTs (1.3-1.5 s): the rows of subjects without text (60,000 participations'
  types) cost less than a join to leave them out;
- the build hands over the links it holds already (`Known`: its closure, every IRI link of
  the mapped graphs and the inferred one), so only the other graphs' facets are read (the
  ontology's, the provenance graph's: a few hundred rows): the facets' rows and their
  Python took 2.0 of the index step's 4.2 s, taking them from the closure's links 0.3 s.
  (Before, the build skipped the inferred graph's types and closed the classes instead,
  which lost the classes of what only the inferred graph types: the 50 topsector rules.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lcgraph.iris import RDF_TYPE
from lcgraph.search.indexing import (
    FACET_PREDICATES,
    SUBCLASS_OF,
    TEXT_PREDICATES,
    Resource,
)

Query = Callable[[str], Any]  # runs a SPARQL SELECT, returns pyoxigraph QuerySolutions
Link = tuple[str, str, str]  # subject, predicate, object IRIs


@dataclass(frozen=True)
class Known:
    """Links the caller holds already, and the graphs of which they are every IRI link:
    those graphs' facets come from the links, not the store (the build: its closure).

    By property: the links `added` (stated, or a rule's) apart from those they `implied`,
    whose types `collect` leaves out (it closes the classes itself, for less)."""

    added: Mapping[str, Sequence[Link]]
    implied: Mapping[str, Sequence[Link]]
    graphs: frozenset[str]


def collect(query: Query, known: Known | None = None) -> dict[str, Resource]:
    """Every resource (IRI subject) with text in a named graph, its literals and facets.

    Classes include every super-class (rdfs:subClassOf, closed here), as the build's
    inferred graph does. Given `known`, the facets of its graphs come from its links.
    """
    resources: dict[str, Resource] = {}
    for i, predicate in enumerate(TEXT_PREDICATES):  # one SELECT each: 0.31 s, 0.40 s as one
        rows = _select(
            query,
            f"SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?o }} "
            "FILTER(isIRI(?s) && isLITERAL(?o)) }",
        )
        for s, o in rows:
            resource = resources.get(s.value)
            if resource is None:
                resource = resources[s.value] = Resource()
            resource.literals.append((i, o.language, o.value))
    # the graphs the links do not cover, by name: the engine then reads their few quads
    # alone (8 ms where FILTER(?g NOT IN …) over all 334k types took 0.2 s)
    graphs = "" if known is None else f"VALUES ?g {{ {_others(query, known.graphs)} }} "
    for predicate, facet in FACET_PREDICATES.items():
        rows = _select(
            query,
            f"SELECT ?s ?o WHERE {{ {graphs}GRAPH ?g {{ ?s <{predicate}> ?o }} "
            "FILTER(isIRI(?o)) }",
        )
        for s, o in rows:
            found = resources.get(s.value)
            if found is not None:
                found.facets.setdefault(facet, set()).add(o.value)
    if known:
        _facets_of_links(resources, known.added, FACET_PREDICATES)
        implied = {p: facet for p, facet in FACET_PREDICATES.items() if p != RDF_TYPE}
        _facets_of_links(resources, known.implied, implied)
    _close_classes(resources, query)
    return resources


def _others(query: Query, covered: frozenset[str]) -> str:
    """The named graphs not in `covered`, as IRIs for a VALUES block."""
    rows = _select(query, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    return " ".join(f"<{g.value}>" for (g,) in rows if g.value not in covered)


def _facets_of_links(
    resources: dict[str, Resource], links: Mapping[str, Sequence[Link]], facets: dict[str, str]
) -> None:
    for predicate, facet in facets.items():
        for s, _, o in links.get(predicate, ()):
            found = resources.get(s)
            if found is not None:
                found.facets.setdefault(facet, set()).add(o)


def _close_classes(resources: dict[str, Resource], query: Query) -> None:
    supers: dict[str, set[str]] = {}
    rows = _select(
        query,
        f"SELECT DISTINCT ?a ?b WHERE {{ GRAPH ?g {{ ?a <{SUBCLASS_OF}> ?b }} "
        "FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b) }",
    )
    for a, b in rows:
        supers.setdefault(a.value, set()).add(b.value)
    closed: dict[str, frozenset[str]] = {}

    def closure(cls: str) -> frozenset[str]:
        if cls not in closed:
            closed[cls] = frozenset({cls})  # a cycle ends here
            found = {cls}
            for parent in supers.get(cls, ()):
                found |= closure(parent)
            closed[cls] = frozenset(found)
        return closed[cls]

    for resource in resources.values():
        classes = resource.facets.get("class")
        if classes:
            resource.facets["class"] = set().union(*(closure(c) for c in classes))


def _select(query: Query, sparql: str) -> Iterable[Any]:
    result: Iterable[Any] = query(sparql)  # solutions: rows of terms, by position
    return result

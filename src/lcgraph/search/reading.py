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
  types) cost less than a join to leave them out, and the types of the inferred graph
  (208,000) are not read at all (`inferred_graph`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lcgraph.iris import RDF_TYPE
from lcgraph.search.indexing import (
    FACET_PREDICATES,
    SUBCLASS_OF,
    TEXT_PREDICATES,
    Resource,
)

Query = Callable[[str], Any]  # runs a SPARQL SELECT, returns pyoxigraph QuerySolutions


def collect(query: Query, inferred_graph: str | None = None) -> dict[str, Resource]:
    """Every resource (IRI subject) with text in a named graph, its literals and facets.

    Classes include every super-class (rdfs:subClassOf, closed here), as the build's
    inferred graph does; given that graph's IRI, its types are not read (the closure
    makes them again, for less than reading them costs).
    """
    resources: dict[str, Resource] = {}
    preds = {p: i for i, p in enumerate(TEXT_PREDICATES)}
    values = " ".join(f"<{p}>" for p in TEXT_PREDICATES)
    rows = _select(
        query,
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} "
        "GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && isLITERAL(?o)) }",
    )
    for s, p, o in rows:
        resource = resources.get(s.value)
        if resource is None:
            resource = resources[s.value] = Resource()
        resource.literals.append((preds[p.value], o.language, o.value))
    for predicate, facet in FACET_PREDICATES.items():
        skip = f" && ?g != <{inferred_graph}>" if inferred_graph and predicate == RDF_TYPE else ""
        rows = _select(
            query,
            f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?o }} FILTER(isIRI(?o){skip}) }}",
        )
        for s, o in rows:
            found = resources.get(s.value)
            if found is not None:
                found.facets.setdefault(facet, set()).add(o.value)
    _close_classes(resources, query)
    return resources


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

"""The ontology as the live store holds it: the graph the served revision was built with.

The build writes the ontology with its imports into its own named graph
(`Iris.ontology_graph`); reading it back from the store, not from `ontology/`, keeps the
builder's configuration in step with the data it queries, revision by revision.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from lcgraph.store import Reader


def ontology_graph(reader: Reader, graph_iri: str) -> Graph:
    """The triples of the named graph `graph_iri` as an rdflib Graph (empty when absent)."""
    graph = Graph(bind_namespaces="none")
    for quad in reader.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)):
        graph.add((_node(quad.subject), URIRef(quad.predicate.value), _node(quad.object)))
    return graph


def _node(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term of an ontology: {term!r}")

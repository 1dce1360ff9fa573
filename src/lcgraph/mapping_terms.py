"""Refuse a mapping that names a class or property its vocabulary does not declare (a typo).

Checked are the project's own namespace (`lc:`) and every vocabulary that has an import
module in `ontology/imports/` (its `owl:Ontology` IRI is the namespace): there the module
lists every term lcgraph uses, so a term it lacks is misspelt or must be added to it.
Other namespaces (rdf:, rdfs:, xsd:) are not checked. Suggestions come from difflib.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from lcgraph.errors import Problem
from lcgraph.mapping_lines import Term
from lcgraph.mapping_spec import Mapping

_DECLARATIONS = {
    "class": (OWL.Class, RDFS.Class),
    "property": (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property),
}


class Vocabulary:
    """The classes and properties an ontology (with its imports) declares, by namespace."""

    def __init__(self, ontology: Graph, own_namespace: str) -> None:
        self.declared = {
            kind: {str(s) for t in types for s in ontology.subjects(RDF.type, t)}
            for kind, types in _DECLARATIONS.items()
        }
        modules = {
            str(s)
            for s in ontology.subjects(RDF.type, OWL.Ontology)
            if isinstance(s, URIRef) and str(s).endswith(("/", "#"))
        }
        # Longest first, so a namespace inside another is found first.
        self.namespaces = sorted(modules | {own_namespace}, key=len, reverse=True)

    def namespace(self, iri: str) -> str | None:
        return next((n for n in self.namespaces if iri.startswith(n)), None)

    def suggestions(self, term: Term, namespace: str) -> list[str]:
        """The nearest declared terms of the same kind and namespace, written as in the mapping."""
        prefix = term.written[: len(term.written) - (len(term.iri) - len(namespace))]
        names = [d[len(namespace) :] for d in self.declared[term.kind] if d.startswith(namespace)]
        near = difflib.get_close_matches(term.iri[len(namespace) :], names, n=3, cutoff=0.6)
        return [prefix + name for name in near]


def undeclared_terms(mappings: Iterable[Mapping], vocabulary: Vocabulary) -> list[Problem]:
    """A located problem for every class or property its checked vocabulary does not declare."""
    return [problem for mapping in mappings for problem in _check(mapping, vocabulary)]


def _check(mapping: Mapping, vocabulary: Vocabulary) -> Iterator[Problem]:
    for term in mapping.terms:
        namespace = vocabulary.namespace(term.iri)
        if namespace is None or term.iri in vocabulary.declared[term.kind]:
            continue
        near = vocabulary.suggestions(term, namespace)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        yield Problem(
            mapping.path.name,
            f"names a {term.kind} that the ontology does not declare",
            row=term.line,
            value=term.written,
            expected=f"a {term.kind} declared in the ontology or its import of <{namespace}>{hint}",
        )

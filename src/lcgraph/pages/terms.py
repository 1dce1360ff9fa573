"""What an ontology page adds to a resource page: hierarchy, domain and range, the term list.

Classes get their superclasses (transitively) and subclasses and the properties whose
domain or range they are; properties their domain, range, super- and subproperties. The
ontology page (`/def/lc`) lists every class and property with its definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lcgraph.iris import LC, ONTOLOGY
from lcgraph.pages.describe import (
    DEFINITION_PREDICATES,
    RDF,
    RDFS,
    Description,
    pick,
    select,
    texts,
)
from lcgraph.pages.labeller import OWL, Labeller, Value
from lcgraph.pages.view import value
from lcgraph.store import Reader

_PREFIXES = {"rdf": RDF, "rdfs": RDFS, "owl": OWL}
VANN_NAMESPACE = "http://purl.org/vocab/vann/preferredNamespaceUri"
CLASS_TYPES = {OWL + "Class", RDFS + "Class"}
PROPERTY_TYPES = {
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
    RDF + "Property",
}
_NAMES = {  # key -> (en, nl)
    "class": ("Class", "Klasse"),
    "property": ("Property", "Eigenschap"),
    "super": ("Superclasses", "Superklassen"),
    "sub": ("Subclasses", "Subklassen"),
    "domain_of": ("Domain of", "Domein van"),
    "range_of": ("Range of", "Bereik van"),
    "domain": ("Domain", "Domein"),
    "range": ("Range", "Bereik"),
    "superp": ("Subproperty of", "Subeigenschap van"),
    "subp": ("Subproperties", "Subeigenschappen"),
    "inverse": ("Inverse", "Invers"),
}


@dataclass
class TermFacts:
    kind_label: str
    facts: list[tuple[str, list[Value]]] = field(default_factory=list)


def _name(key: str, lang: str) -> str:
    return _NAMES[key][0 if lang == "en" else 1]


def _iris(store: Reader, query: str, iri: str) -> list[str]:
    text = query.replace("$member", "(owl:unionOf/rdf:rest*/rdf:first)")
    text = text.replace("$term", f"<{iri}>")
    return sorted({row[0] for row in select(store, text, prefixes=_PREFIXES) if "://" in row[0]})


CLASS_QUERIES = {  # fact -> query; $term is the class
    "super": "SELECT ?c { $term rdfs:subClassOf+ ?c }",
    "sub": "SELECT ?c { ?c rdfs:subClassOf $term }",
    "domain_of": "SELECT ?p { ?p rdfs:domain/$member? $term }",
    "range_of": "SELECT ?p { ?p rdfs:range/$member? $term }",
}
PROPERTY_QUERIES = {  # fact -> query; $term is the property
    "superp": "SELECT ?p { $term rdfs:subPropertyOf+ ?p }",
    "subp": "SELECT ?p { ?p rdfs:subPropertyOf $term }",
    "inverse": "SELECT ?p { { $term owl:inverseOf ?p } UNION { ?p owl:inverseOf $term } }",
}


def term_facts(description: Description, store: Reader, labeller: Labeller) -> TermFacts | None:
    """Hierarchy and domain/range of a class or property; None for anything else."""
    types = {t.value for t in description.values(RDF + "type")}
    iri, lang = description.iri, labeller.lang
    if types & CLASS_TYPES:
        facts = [
            (_name(k, lang), _links(_iris(store, q, iri), labeller))
            for k, q in CLASS_QUERIES.items()
        ]
        return TermFacts(_name("class", lang), facts)
    if types & PROPERTY_TYPES:
        facts = [
            (_name(k, lang), [value(o, labeller, description) for o in description.values(p)])
            for k, p in (("domain", RDFS + "domain"), ("range", RDFS + "range"))
        ]
        facts += [
            (_name(k, lang), _links(_iris(store, q, iri), labeller))
            for k, q in PROPERTY_QUERIES.items()
        ]
        return TermFacts(_name("property", lang), facts)
    return None


def _links(found: list[str], labeller: Labeller) -> list[Value]:
    labeller.fetch(found)
    return [labeller.link(i) for i in found]


def ontology_terms(
    store: Reader, labeller: Labeller, namespace: str = LC
) -> dict[str, list[tuple[Value, str | None]]]:
    """Kind → [(term, definition)] for every term of `namespace`, sorted by label."""
    if '"' in namespace or "\\" in namespace:  # an IRI of the store; never pasted unchecked
        return {}
    query = (
        "SELECT DISTINCT ?term ?type "
        f'{{ ?term a ?type FILTER(STRSTARTS(STR(?term), "{namespace}")) }}'
    )
    kinds: dict[str, set[str]] = {}
    for term, kind in select(store, query):
        kinds.setdefault(kind.rsplit("#", 1)[-1], set()).add(term)
    every = [i for found in kinds.values() for i in found]
    labeller.fetch(every)
    definitions = texts(store, every, DEFINITION_PREDICATES)
    return {
        kind: sorted(
            ((labeller.link(i), pick(definitions.get(i), labeller.lang)) for i in found),
            key=lambda pair: pair[0].text.lower(),
        )
        for kind, found in sorted(kinds.items())
        if kind in {"Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "Property"}
    }


def is_ontology(iri: str) -> bool:
    return iri == ONTOLOGY


def vocabulary_namespace(description: Description) -> str | None:
    """The namespace whose terms the page of `description` lists: `lc:` for the ontology,
    `<iri>#` for a hash vocabulary of ours (an owl:Ontology whose vann:preferredNamespaceUri
    is `<iri>#`, as ontology/search.ttl is); None for any other resource."""
    if is_ontology(description.iri):
        return LC
    if OWL + "Ontology" not in {v.value for v in description.values(RDF + "type")}:
        return None
    own = description.iri + "#"
    found = {v.value for v in description.values(VANN_NAMESPACE)}
    return own if own in found else None

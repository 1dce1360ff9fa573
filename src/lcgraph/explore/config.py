"""The Sparnatural configuration of /explore, generated from the ontology (issue 16).

Sparnatural (sparnatural.eu) reads a SHACL "configuration": one `sh:NodeShape` per class a
user can start from or arrive at, with `sh:property` shapes for what can be asked of it.
Everything here is derived from the ontology graph, term by term, so that a class or a
property added to `ontology/lcgraph-edit.ttl` appears in the builder on the next build:

- every `owl:Class` of the ontology gets a node shape whose IRI is the class itself (typed
  `rdfs:Class` as well, so Sparnatural needs no `sh:targetClass` expansion), with its nl
  and en `rdfs:label` and its `skos:definition` as the tooltip (`sh:description`);
- every object and datatype property gets one property shape (IRI: the property, path: the
  property) attached to each class of its domain (a union is unfolded) and their
  subclasses, with `sh:class` for its range or `sh:datatype` for its datatype;
- the widget follows the range: a list of the concepts of a concept scheme (a subclass of
  `skos:Concept`), a tree of regions along `lc:withinRegion` (their containment), an
  autocomplete for other things, a range ("between") for numbers and dates, yes/no for
  booleans, a text search for strings.

The value lists are SPARQL lookups on this service's own endpoint, each with a LIMIT; the
endpoint's time limit bounds them as it bounds every query. Terms that the builder cannot
offer are listed in `EXCLUDED` with the reason; a test holds the two lists together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH

from lcgraph.explore.imported import IMPORTED, Use
from lcgraph.iris import LC

CORE = Namespace("http://data.sparna.fr/ontologies/sparnatural-config-core#")
DATASOURCES = Namespace("http://data.sparna.fr/ontologies/sparnatural-config-datasources#")
DASH = Namespace("http://datashapes.org/dash#")
LANGUAGES = ("en", "nl")
CONTAINMENT = URIRef(LC + "withinRegion")
REGION = URIRef(LC + "Region")

EXCLUDED: dict[str, str] = {
    LC + "organisationType": "its values are classes (organisation types), which the "
    "builder cannot list as values; ask for the class itself instead",
    LC + "sectionRef": "a citation of the research agenda's section on any resource "
    "(domain owl:Thing), not a property to ask questions with",
}

NUMBERS = {
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.int,
    XSD.long,
    XSD.decimal,
    XSD.double,
    XSD.float,
}
_WIDGET_BY_DATATYPE = {
    XSD.boolean: CORE.BooleanProperty,
    XSD.date: CORE["TimeProperty-Date"],
    XSD.dateTime: CORE["TimeProperty-Date"],
    XSD.gYear: CORE["TimeProperty-Year"],
    **dict.fromkeys(NUMBERS, CORE.NumberProperty),
}

_LABEL = (
    "<http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2000/01/rdf-schema#label>"
)
# The label in the page language, else one without a language, else any, else the IRI.
_LABEL_OF_URI = f"""
  OPTIONAL {{ ?uri {_LABEL} ?inLang FILTER(LANG(?inLang) = $lang) }}
  OPTIONAL {{ ?uri {_LABEL} ?plain FILTER(LANG(?plain) = "") }}
  OPTIONAL {{ ?uri {_LABEL} ?other }}
  BIND(STR(COALESCE(?inLang, ?plain, ?other, STR(?uri))) AS ?name)"""
# Sparnatural fills in $domain, $property, $range, $lang, $key and $type (rdf:type).
QUERIES = {
    "list": f"""SELECT ?uri (SAMPLE(?name) AS ?label) WHERE {{
  {{ SELECT DISTINCT ?uri WHERE {{ ?domain $type $domain . ?domain $property ?uri . }} LIMIT 500 }}
  {_LABEL_OF_URI}
}} GROUP BY ?uri LIMIT 500""",
    "search": f"""SELECT ?uri (SAMPLE(STR(?found)) AS ?label) WHERE {{
  ?uri $type $range ; {_LABEL} ?found .
  FILTER(CONTAINS(LCASE(STR(?found)), LCASE("$key")))
}} GROUP BY ?uri LIMIT 20""",
    "tree-roots": f"""SELECT ?uri (SAMPLE(?name) AS ?label) (SAMPLE(?more) AS ?hasChildren) WHERE {{
  {{ SELECT DISTINCT ?uri WHERE {{
    ?uri $type $range . FILTER NOT EXISTS {{ ?uri <{CONTAINMENT}> ?outer }}
  }} LIMIT 500 }}
  {_LABEL_OF_URI}
  BIND(EXISTS {{ ?inner <{CONTAINMENT}> ?uri }} AS ?more)
}} GROUP BY ?uri LIMIT 500""",
    "tree-children": f"""SELECT ?uri (SAMPLE(?name) AS ?label) (SAMPLE(?more) AS ?hasChildren)
WHERE {{
  {{ SELECT DISTINCT ?uri WHERE {{
    ?uri <{CONTAINMENT}> $node .
    FILTER NOT EXISTS {{ ?uri <{CONTAINMENT}> ?between . ?between <{CONTAINMENT}> $node
                         FILTER(?between != ?uri && ?between != $node) }}
  }} LIMIT 500 }}
  {_LABEL_OF_URI}
  BIND(EXISTS {{ ?inner <{CONTAINMENT}> ?uri }} AS ?more)
}} GROUP BY ?uri LIMIT 500""",
}


def own_terms(ontology: Graph, kinds: Iterable[URIRef]) -> list[URIRef]:
    """The named terms of `kinds` that the lcgraph ontology defines, sorted."""
    found = {
        term
        for kind in kinds
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and str(term).startswith(LC)
    }
    return sorted(found)


def own_classes(ontology: Graph) -> list[URIRef]:
    return own_terms(ontology, [OWL.Class])


def own_properties(ontology: Graph) -> list[URIRef]:
    return own_terms(ontology, [OWL.ObjectProperty, OWL.DatatypeProperty])


def imported_properties(ontology: Graph) -> list[URIRef]:
    """The properties the import modules declare (object, datatype, annotation), sorted."""
    kinds = [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]
    found = {
        term
        for kind in kinds
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and not str(term).startswith(LC)
    }
    return sorted(found)


def sparnatural_config(ontology: Graph, endpoint_base: str) -> Graph:
    """The SHACL configuration for Sparnatural over `ontology` (the edit file + imports).

    `endpoint_base` names the datasources (`{endpoint_base}/explore/config#list` ...).
    """
    config = Graph(bind_namespaces="none")
    for prefix, namespace in (
        ("sh", SH),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("dash", DASH),
        ("core", CORE),
        ("datasources", DATASOURCES),
        ("lc", Namespace(LC)),
    ):
        config.bind(prefix, namespace)
    sources = {name: URIRef(f"{endpoint_base}/explore/config#{name}") for name in QUERIES}
    for name, node in sources.items():
        config.add((node, DATASOURCES.queryString, Literal(QUERIES[name])))
    classes = own_classes(ontology)
    for cls in classes:
        _node_shape(config, ontology, cls)
    for prop in own_properties(ontology):
        if str(prop) not in EXCLUDED:
            _property_shape(config, ontology, prop, set(classes), sources)
    for prop in imported_properties(ontology):
        if prop in IMPORTED:
            _imported_shape(config, ontology, prop, IMPORTED[prop], set(classes), sources)
    return config


def _node_shape(config: Graph, ontology: Graph, cls: URIRef) -> None:
    config.add((cls, RDF.type, SH.NodeShape))
    config.add((cls, RDF.type, RDFS.Class))
    _texts(config, ontology, cls, RDFS.label, RDFS.label)
    _texts(config, ontology, cls, SKOS.definition, SH.description)


def _property_shape(
    config: Graph, ontology: Graph, prop: URIRef, classes: set[URIRef], sources: dict[str, URIRef]
) -> None:
    config.add((prop, SH.path, prop))
    _texts(config, ontology, prop, RDFS.label, SH.name)
    _texts(config, ontology, prop, SKOS.definition, SH.description)
    for cls in sorted(_with_subclasses(ontology, _domain(ontology, prop)) & classes):
        config.add((cls, SH.property, prop))
    for range_ in _members(ontology, ontology.value(prop, RDFS.range)):
        if range_ in classes:
            config.add((prop, SH["class"], range_))
            _object_widget(config, ontology, prop, range_, sources)
        else:
            config.add((prop, SH.datatype, range_))
            widget = _WIDGET_BY_DATATYPE.get(range_, CORE.SearchProperty)
            config.add((prop, DASH.searchWidget, widget))


def _imported_shape(
    config: Graph,
    ontology: Graph,
    prop: URIRef,
    use: Use,
    classes: set[URIRef],
    sources: dict[str, URIRef],
) -> None:
    """A property of an import, on the lcgraph classes at or below `use.domains`."""
    config.add((prop, SH.path, prop))
    for lang in LANGUAGES:
        config.add((prop, SH.name, Literal(use.name[lang], lang=lang)))
        config.add((prop, SH.description, Literal(use.tip[lang], lang=lang)))
    for cls in sorted(_with_subclasses(ontology, set(use.domains)) & classes):
        config.add((cls, SH.property, prop))
    if str(use.range).startswith(str(XSD)):
        config.add((prop, SH.datatype, use.range))
        widget = _WIDGET_BY_DATATYPE.get(use.range, CORE.SearchProperty)
        config.add((prop, DASH.searchWidget, widget))
        return
    ranges = sorted(_with_subclasses(ontology, {use.range}) & classes)
    # The most general lcgraph classes only: a range's subclasses are reached through it.
    tops = [r for r in ranges if not (_superclasses(ontology, r) - {r}) & set(ranges)]
    for range_ in tops:
        config.add((prop, SH["class"], range_))
    if len(tops) == 1:
        _object_widget(config, ontology, prop, tops[0], sources)
    else:
        config.add((prop, DASH.searchWidget, CORE.AutocompleteProperty))
        config.add((prop, DATASOURCES.datasource, sources["search"]))


def _object_widget(
    config: Graph, ontology: Graph, prop: URIRef, range_: URIRef, sources: dict[str, URIRef]
) -> None:
    """A tree for regions, a list for concept schemes, an autocomplete for anything else."""
    if REGION in _superclasses(ontology, range_):
        config.add((prop, DASH.searchWidget, CORE.TreeProperty))
        config.add((prop, DATASOURCES.treeRootsDatasource, sources["tree-roots"]))
        config.add((prop, DATASOURCES.treeChildrenDatasource, sources["tree-children"]))
    elif SKOS.Concept in _superclasses(ontology, range_):
        config.add((prop, DASH.searchWidget, CORE.ListProperty))
        config.add((prop, DATASOURCES.datasource, sources["list"]))
    else:
        config.add((prop, DASH.searchWidget, CORE.AutocompleteProperty))
        config.add((prop, DATASOURCES.datasource, sources["search"]))


def _texts(config: Graph, ontology: Graph, term: URIRef, source: URIRef, target: URIRef) -> None:
    for text in ontology.objects(term, source):
        if isinstance(text, Literal) and text.language in LANGUAGES:
            config.add((term, target, text))


def _domain(ontology: Graph, prop: URIRef) -> set[URIRef]:
    """The classes of `prop`'s domain (a union unfolded); owl:Thing or none: every class."""
    members = set(_members(ontology, ontology.value(prop, RDFS.domain)))
    return members if members and OWL.Thing not in members else set(own_classes(ontology))


def _members(ontology: Graph, node: object) -> Iterator[URIRef]:
    if isinstance(node, URIRef):
        yield node
    elif isinstance(node, BNode):
        union = ontology.value(node, OWL.unionOf)
        if union is not None:
            yield from (m for m in Collection(ontology, union) if isinstance(m, URIRef))


def _with_subclasses(ontology: Graph, classes: set[URIRef]) -> set[URIRef]:
    found = set(classes)
    for cls in classes:
        found.update(
            c for c in ontology.transitive_subjects(RDFS.subClassOf, cls) if isinstance(c, URIRef)
        )
    return found


def _superclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in ontology.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}


__all__ = [
    "EXCLUDED",
    "QUERIES",
    "imported_properties",
    "own_classes",
    "own_properties",
    "sparnatural_config",
]

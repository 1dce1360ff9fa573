"""Read the ontology: the edit file with the modules it imports, through the Protégé catalog.

The ontology is one edit file (`lcgraph-edit.ttl`) plus trimmed import modules found
through the catalog (`catalog-v001.xml`), as in the OBO Ontology Development Kit. Beside it
the service's own vocabularies (`SERVICE_VOCABULARIES`). The quality gates that read it are
in `lcgraph.validation.ontology`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from lcgraph.errors import Problem, ValidationFailed, relative
from lcgraph.ontology.parse import STAGE, parse_turtle

EDIT_FILE = "lcgraph-edit.ttl"
# Vocabularies the service defines beside the ontology, loaded into the ontology graph so
# that their IRIs dereference under /def/ like lc: terms; never merged into the ontology
# the mappings, inference and HermiT see (nothing in the data is described with them).
SERVICE_VOCABULARIES = ("search.ttl",)  # lcs:, the SPARQL search block (docs/search-sparql.md)
CATALOG_FILE = "catalog-v001.xml"
_CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


def load_ontology(path: Path) -> Graph:
    """The edit file at `path` merged with every module it imports, found via the catalog.

    The catalog is `catalog-v001.xml` next to the edit file; imports are followed
    transitively. Raises ValidationFailed(stage="ontology") with a located Problem when a
    file does not parse, and with one Problem per import the catalog cannot resolve.
    """
    graph = parse_turtle(path)
    catalog = read_catalog(path.parent / CATALOG_FILE)
    problems: list[Problem] = []
    seen: set[str] = set()
    pending = imports(graph)
    while pending:
        iri = pending.pop()
        if iri in seen:
            continue
        seen.add(iri)
        module = catalog.get(iri)
        if module is None or not module.is_file():
            problems.append(unresolved_import(path, iri, module))
            continue
        imported = parse_turtle(module)
        pending.extend(imports(imported))
        graph += imported
    if problems:
        raise ValidationFailed(problems, stage=STAGE)
    return graph


def load_service_vocabularies(ontology_dir: Path) -> Graph:
    """The SERVICE_VOCABULARIES found in `ontology_dir`, merged (a located error when one
    does not parse); an empty graph when there are none."""
    graph = Graph()
    for name in SERVICE_VOCABULARIES:
        path = ontology_dir / name
        if path.is_file():
            graph += parse_turtle(path)
    return graph


def read_catalog(path: Path) -> dict[str, Path]:
    """Import IRI → local file, from the `<uri name=... uri=...>` entries of an OASIS catalog.

    Returns an empty mapping when the catalog does not exist; raises ValidationFailed when
    it is not well-formed XML.
    """
    if not path.is_file():
        return {}
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - a file of this repository
    except ET.ParseError as error:
        line, column = error.position
        problem = Problem(
            file=relative(path), row=line, column=column + 1, message=f"bad XML: {error}"
        )
        raise ValidationFailed([problem], stage=STAGE) from error
    entries = root.iter(f"{_CATALOG_NS}uri")
    return {e.attrib["name"]: path.parent / e.attrib["uri"] for e in entries if "name" in e.attrib}


def ontology_quads(graph: Graph, graph_iri: str | None) -> Iterator[ox.Quad]:
    """The triples of `graph` as pyoxigraph Quads in the named graph `graph_iri`.

    `None` puts them in the default graph. Blank nodes keep their rdflib ids, so loading
    the same Graph twice into one store gives the same nodes.
    """
    target: ox.NamedNode | ox.DefaultGraph = (
        ox.DefaultGraph() if graph_iri is None else ox.NamedNode(graph_iri)
    )
    for s, p, o in graph:
        yield ox.Quad(_subject(s), ox.NamedNode(str(p)), _object(o), target)


def _subject(node: Node) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(str(node)) if isinstance(node, BNode) else ox.NamedNode(str(node))


def _object(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = None if node.datatype is None else ox.NamedNode(str(node.datatype))
        return ox.Literal(str(node), datatype=datatype)
    return _subject(node)


def imports(graph: Graph) -> list[str]:
    return sorted(str(o) for o in graph.objects(None, OWL.imports) if isinstance(o, URIRef))


def unresolved_import(edit: Path, iri: str, module: Path | None) -> Problem:
    if module is None:
        return Problem(
            file=relative(edit),
            value=iri,
            expected=f"an entry in {CATALOG_FILE}",
            message="owl:imports has no catalog entry",
        )
    return Problem(
        file=relative(edit),
        value=iri,
        expected=f"the file {relative(module)}",
        message="the catalog maps this import to a file that does not exist",
    )

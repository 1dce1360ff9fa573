"""Read a SHACL shapes file into `Shapes`, refusing every feature lcgraph cannot compile."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.collection import Collection as RdfList
from rdflib.term import Literal, Node, URIRef

from lcgraph.errors import Problem, ValidationFailed, relative
from lcgraph.validation.shapes.model import (
    COMPONENTS,
    DEFAULT_PREFIXES,
    FOCUS_COMPONENTS,
    NON_VALIDATING,
    SH,
    TARGETS,
    VIOLATION,
    Constraint,
    PropertyPath,
    Shape,
    Shapes,
    Target,
    compact,
)

# ---- loading -------------------------------------------------------------------------------


def load_shapes(path: Path) -> Shapes:
    """Parse a SHACL Turtle file into the shapes lcgraph compiles.

    Raises ValidationFailed (stage "shapes") naming every shape that uses a SHACL feature
    `compile_shapes` cannot translate, or the parse error.
    """
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        problem = Problem(file=relative(path), message=f"does not parse: {exc}")
        raise ValidationFailed([problem], stage="shapes") from exc
    return shapes_from_graph(graph, relative(path))


def shapes_from_graph(graph: rdflib.Graph, source: str) -> Shapes:
    """The shapes in `graph`; `source` names the file in problems. Raises ValidationFailed."""
    problems: list[Problem] = []
    shapes: list[Shape] = []
    for node in sorted(_shape_nodes(graph), key=str):
        problems.extend(_unsupported(graph, node, source))
        if not problems and not _deactivated(graph, node):
            shapes.append(_shape(graph, node))
    if problems:
        raise ValidationFailed(problems, stage="shapes")
    return Shapes(source=source, graph=graph, shapes=tuple(s for s in shapes if s.targets))


def _shape_nodes(graph: rdflib.Graph) -> set[Node]:
    """Node shapes, property shapes, and anything with a target."""
    sh = rdflib.Namespace(SH)
    nodes: set[Node] = set(graph.subjects(rdflib.RDF.type, sh.NodeShape))
    nodes |= set(graph.subjects(rdflib.RDF.type, sh.PropertyShape))
    nodes |= set(graph.objects(None, sh.property)) | set(graph.subjects(sh.property, None))
    for target in TARGETS:
        nodes |= set(graph.subjects(URIRef(target), None))
    return nodes


def _unsupported(graph: rdflib.Graph, node: Node, source: str) -> list[Problem]:
    """One problem per SHACL predicate on `node` that lcgraph does not compile."""
    is_property = (node, URIRef(SH + "path"), None) in graph
    allowed = set(COMPONENTS) | NON_VALIDATING
    allowed |= {SH + "path"} if is_property else TARGETS | {SH + "property"}
    if not is_property:
        allowed -= FOCUS_COMPONENTS - {SH + "hasValue"}
    found = {str(p) for p in graph.predicates(node, None) if str(p).startswith(SH)}
    problems = [_unsupported_problem(source, node, p) for p in sorted(found - allowed)]
    path = graph.value(node, URIRef(SH + "path"))
    if is_property and read_path(graph, path) is None:
        problems.append(_unsupported_problem(source, node, SH + "path (only IRI or inverse)"))
    if (node, rdflib.RDF.type, rdflib.RDFS.Class) in graph:
        problems.append(_unsupported_problem(source, node, "implicit class target"))
    return problems


def _unsupported_problem(source: str, node: Node, feature: str) -> Problem:
    return Problem(
        file=source,
        field=compact(feature, DEFAULT_PREFIXES),
        value=str(node),
        message="this SHACL feature is not compiled to SPARQL",
        expected="one of " + ", ".join(compact(p, DEFAULT_PREFIXES) for p in COMPONENTS),
    )


def _deactivated(graph: rdflib.Graph, node: Node) -> bool:
    return graph.value(node, URIRef(SH + "deactivated")) == Literal(True)


def read_path(graph: rdflib.Graph, path: Node | None) -> PropertyPath | None:
    """An IRI path or `[sh:inversePath IRI]`; None for anything else."""
    if isinstance(path, URIRef):
        return PropertyPath(str(path))
    inverse = graph.value(path, URIRef(SH + "inversePath")) if path is not None else None
    if isinstance(inverse, URIRef) and len(set(graph.predicate_objects(path))) == 1:
        return PropertyPath(str(inverse), inverse=True)
    return None


def _shape(graph: rdflib.Graph, node: Node) -> Shape:
    path = graph.value(node, URIRef(SH + "path"))
    parents = set(graph.subjects(URIRef(SH + "property"), node))
    targets = {t for n in {node, *parents} for t in _targets(graph, n)}
    message = graph.value(node, URIRef(SH + "message"))
    severity = graph.value(node, URIRef(SH + "severity"))
    named = node if isinstance(node, URIRef) else next(iter(sorted(parents, key=str)), node)
    return Shape(
        iri=str(named),
        targets=tuple(sorted(targets, key=lambda t: (t.kind, t.iri))),
        path=read_path(graph, path) if path is not None else None,
        constraints=_constraints(graph, node),
        message=None if message is None else str(message),
        severity=VIOLATION if severity is None else str(severity),
    )


def _targets(graph: rdflib.Graph, node: Node) -> list[Target]:
    return [Target(kind, str(o)) for kind in TARGETS for o in graph.objects(node, URIRef(kind))]


def _constraints(graph: rdflib.Graph, node: Node) -> tuple[Constraint, ...]:
    found: list[Constraint] = []
    flags = str(graph.value(node, URIRef(SH + "flags")) or "")
    for parameter in COMPONENTS:
        for arg in sorted(graph.objects(node, URIRef(parameter)), key=str):
            if parameter in {SH + "in", SH + "languageIn"}:
                found.append(Constraint(parameter, tuple(RdfList(graph, arg))))
            else:
                own_flags = flags if parameter == SH + "pattern" else ""
                found.append(Constraint(parameter, arg, own_flags))
    return tuple(found)

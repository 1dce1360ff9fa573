"""The reference: pySHACL, which the parity tests hold the compiled checks against."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.term import Literal, Node, URIRef

from lcgraph.errors import Problem
from lcgraph.validation.shapes.checking import to_problem
from lcgraph.validation.shapes.compiling import compile_shapes, sparql_term
from lcgraph.validation.shapes.loading import read_path
from lcgraph.validation.shapes.model import DERIVED_FROM, SH, CompiledCheck, Shapes, Violation

# ---- the reference: pySHACL ----------------------------------------------------------------


def check_with_pyshacl(
    data: rdflib.Dataset | rdflib.Graph, shapes: Shapes, inference: str = "none"
) -> list[Problem]:
    """The same check with pySHACL, slow but the reference; problems as `check_store` gives.

    A Dataset is validated as the union of its graphs (as the store's queries see it), since
    pySHACL would otherwise validate each named graph on its own.
    """
    return [to_problem(v) for v in pyshacl_violations(data, shapes, inference)]


def pyshacl_violations(
    data: rdflib.Dataset | rdflib.Graph, shapes: Shapes, inference: str = "none"
) -> list[Violation]:
    """pySHACL's validation results as Violations; the check is matched by path and component."""
    from pyshacl import validate  # slow to import; only the reference and tests need it

    union = _union(data)
    _, results, _ = validate(union, shacl_graph=shapes.graph, inference=inference)
    assert isinstance(results, rdflib.Graph)
    checks = compile_shapes(shapes)
    return [_pyshacl_violation(results, r, union, checks) for r in _results(results)]


def _union(data: rdflib.Dataset | rdflib.Graph) -> rdflib.Graph:
    if not isinstance(data, rdflib.Dataset):
        return data
    union = rdflib.Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _results(results: rdflib.Graph) -> list[Node]:
    return list(results.subjects(rdflib.RDF.type, URIRef(SH + "ValidationResult")))


def _pyshacl_violation(
    results: rdflib.Graph, result: Node, data: rdflib.Graph, checks: list[CompiledCheck]
) -> Violation:
    def get(name: str) -> Node | None:
        return results.value(result, URIRef(SH + name))

    focus, value = get("focusNode"), get("value")
    path_node = get("resultPath")
    path = None if path_node is None else read_path(results, path_node)
    component = str(get("sourceConstraintComponent"))
    if component in {SH + "MinCountConstraintComponent", SH + "MaxCountConstraintComponent"}:
        value = None  # pySHACL names no value here; the compiled checks list the values found
    check = next((c for c in checks if (c.path, c.component) == (path, component)), None)
    source = data.value(focus, URIRef(DERIVED_FROM)) if focus is not None else None
    return Violation(
        focus=_nt(focus),
        path=path,
        component=component,
        value=None if value is None else _nt(value),
        source=None if source is None else str(source),
        check=check,
    )


def _nt(term: Node | None) -> str:
    """N-Triples text of an rdflib term, written as pyoxigraph writes it."""
    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, Literal):
        return sparql_term(term)
    return f"_:{term}"

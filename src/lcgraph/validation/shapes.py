"""SHACL shapes for the instance data, checked fast by compiling them to SPARQL.

`ontology/shapes/lcgraph.shacl.ttl` is the declared source of truth. pySHACL needs about a
minute and 1.7 GB for a million triples, so the build compiles every (shape, constraint)
pair to one SPARQL SELECT that returns the violations, and runs those on the staged
pyoxigraph store (a few seconds). `check_with_pyshacl` is the reference implementation that
the parity tests hold the compiled checks against.

Contract:
* `load_shapes` refuses, with every offending shape named, any SHACL feature that
  `compile_shapes` cannot translate: nothing in the shapes file is ever silently skipped.
* The compiled checks follow SHACL semantics: `sh:targetClass` and `sh:class` follow
  `rdfs:subClassOf*` in the data, `sh:in` compares RDF terms exactly. One deliberate
  difference: `sh:datatype` also checks the lexical form of xsd:gYear/xsd:date/xsd:integer/
  xsd:nonNegativeInteger/xsd:boolean/xsd:decimal, where rdflib (and so pySHACL) does not
  flag every ill-formed literal (e.g. "20x7"^^xsd:gYear).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection as RdfList
from rdflib.term import Literal, Node, URIRef

from lcgraph.errors import Problem, ValidationFailed, relative
from lcgraph.iris import LC, W3C_PREFIXES

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
XSD = W3C_PREFIXES["xsd"]
VIOLATION = SH + "Violation"
ALL_SEVERITIES = frozenset({VIOLATION, SH + "Warning", SH + "Info"})

# Parameter → constraint component, for every component lcgraph compiles.
COMPONENTS: dict[str, str] = {
    SH + p: SH + c + "ConstraintComponent"
    for p, c in [
        ("minCount", "MinCount"),
        ("maxCount", "MaxCount"),
        ("datatype", "Datatype"),
        ("class", "Class"),
        ("nodeKind", "NodeKind"),
        ("pattern", "Pattern"),
        ("in", "In"),
        ("languageIn", "LanguageIn"),
        ("uniqueLang", "UniqueLang"),
        ("hasValue", "HasValue"),
        ("minInclusive", "MinInclusive"),
        ("maxInclusive", "MaxInclusive"),
    ]
}
_TARGETS = {SH + t for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")}
# sh: predicates that describe a shape without constraining data.
_NON_VALIDATING = {
    SH + p for p in ("name", "description", "message", "severity", "order", "group", "deactivated")
} | {SH + "flags", SH + "defaultValue"}
_FOCUS_COMPONENTS = {SH + p for p in ("minCount", "maxCount", "uniqueLang", "hasValue")}
_NODE_KINDS = {
    SH + "IRI": ("isIRI", "an IRI"),
    SH + "Literal": ("isLiteral", "a literal"),
    SH + "BlankNode": ("isBlank", "a blank node"),
    SH + "BlankNodeOrIRI": ("isBlank|isIRI", "a blank node or IRI"),
    SH + "IRIOrLiteral": ("isIRI|isLiteral", "an IRI or literal"),
    SH + "BlankNodeOrLiteral": ("isBlank|isLiteral", "a blank node or literal"),
}
# Lexical forms checked beyond the datatype IRI (SHACL: ill-formed literals violate sh:datatype).
_LEXICAL: dict[str, str] = {
    XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "date": (
        r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$"
    ),
    XSD + "integer": r"^[+-]?[0-9]+$",
    XSD + "nonNegativeInteger": r"^(\+?[0-9]+|-0+)$",
    XSD + "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD + "boolean": r"^(true|false|1|0)$",
}
_SOURCE_ROW = re.compile(r"/source/[^/]+/(?P<file>[^#]+)(#row=(?P<row>[0-9]+))?$")
DEFAULT_PREFIXES: dict[str, str] = {"lc": LC, **W3C_PREFIXES}


class Queryable(Protocol):
    """A pyoxigraph Store, or the build's Staging, which passes the options on to one."""

    def query(self, sparql: str, **options: Any) -> Any: ...


@dataclass(frozen=True, order=True)
class PropertyPath:
    """The path of a property shape: one IRI, or the inverse of one (`sh:inversePath`)."""

    iri: str
    inverse: bool = False

    @property
    def sparql(self) -> str:
        return ("^" if self.inverse else "") + f"<{self.iri}>"

    @property
    def local_name(self) -> str:
        return ("^" if self.inverse else "") + re.split(r"[/#]", self.iri)[-1]


@dataclass(frozen=True)
class Target:
    """One target declaration: `kind` is the sh:target* predicate's IRI."""

    kind: str
    iri: str


@dataclass(frozen=True)
class Constraint:
    """One constraint parameter and its argument (lists for sh:in and sh:languageIn)."""

    parameter: str
    argument: Node | tuple[Node, ...]
    flags: str = ""

    @property
    def component(self) -> str:
        return COMPONENTS[self.parameter]


@dataclass(frozen=True)
class Shape:
    """A shape with its focus nodes' targets: node-level when `path` is None."""

    iri: str
    targets: tuple[Target, ...]
    path: PropertyPath | None
    constraints: tuple[Constraint, ...]
    message: str | None
    severity: str


@dataclass(frozen=True)
class Shapes:
    """The parsed shapes file: the rdflib graph (for pySHACL) and the shapes lcgraph compiles."""

    source: str
    graph: rdflib.Graph
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class CompiledCheck:
    """One (shape, constraint) as a SPARQL SELECT of ?focus ?value, one row per violation."""

    shape: str
    path: PropertyPath | None
    component: str
    expected: str
    message: str | None
    severity: str
    query: str


@dataclass(frozen=True)
class Violation:
    """One violation found: terms as N-Triples text, so both engines' results compare."""

    focus: str
    path: PropertyPath | None
    component: str
    value: str | None
    source: str | None
    check: CompiledCheck | None

    @property
    def key(self) -> tuple[str, PropertyPath | None, str]:
        return (self.focus, self.path, self.component)


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
    for target in _TARGETS:
        nodes |= set(graph.subjects(URIRef(target), None))
    return nodes


def _unsupported(graph: rdflib.Graph, node: Node, source: str) -> list[Problem]:
    """One problem per SHACL predicate on `node` that lcgraph does not compile."""
    is_property = (node, URIRef(SH + "path"), None) in graph
    allowed = set(COMPONENTS) | _NON_VALIDATING
    allowed |= {SH + "path"} if is_property else _TARGETS | {SH + "property"}
    if not is_property:
        allowed -= _FOCUS_COMPONENTS - {SH + "hasValue"}
    found = {str(p) for p in graph.predicates(node, None) if str(p).startswith(SH)}
    problems = [_unsupported_problem(source, node, p) for p in sorted(found - allowed)]
    path = graph.value(node, URIRef(SH + "path"))
    if is_property and _path(graph, path) is None:
        problems.append(_unsupported_problem(source, node, SH + "path (only IRI or inverse)"))
    if (node, rdflib.RDF.type, rdflib.RDFS.Class) in graph:
        problems.append(_unsupported_problem(source, node, "implicit class target"))
    return problems


def _unsupported_problem(source: str, node: Node, feature: str) -> Problem:
    return Problem(
        file=source,
        field=_compact(feature, DEFAULT_PREFIXES),
        value=str(node),
        message="this SHACL feature is not compiled to SPARQL",
        expected="one of " + ", ".join(_compact(p, DEFAULT_PREFIXES) for p in COMPONENTS),
    )


def _deactivated(graph: rdflib.Graph, node: Node) -> bool:
    return graph.value(node, URIRef(SH + "deactivated")) == Literal(True)


def _path(graph: rdflib.Graph, path: Node | None) -> PropertyPath | None:
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
        path=_path(graph, path) if path is not None else None,
        constraints=_constraints(graph, node),
        message=None if message is None else str(message),
        severity=VIOLATION if severity is None else str(severity),
    )


def _targets(graph: rdflib.Graph, node: Node) -> list[Target]:
    return [Target(kind, str(o)) for kind in _TARGETS for o in graph.objects(node, URIRef(kind))]


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


# ---- compiling -----------------------------------------------------------------------------


def compile_shapes(shapes: Shapes) -> list[CompiledCheck]:
    """One SPARQL check per (shape, constraint), in a stable order."""
    return [_compile(shape, c) for shape in shapes.shapes for c in shape.constraints]


def _compile(shape: Shape, constraint: Constraint) -> CompiledCheck:
    body = _violation_pattern(_target_pattern(shape.targets), shape.path, constraint)
    inner = f"SELECT DISTINCT ?focus ?value WHERE {{\n  {body}\n}}"
    query = (
        "SELECT ?focus ?value ?source ?provenance WHERE {\n"
        f"{{ {inner} }}\n"
        f"OPTIONAL {{ GRAPH ?provenance {{ ?focus <{DERIVED_FROM}> ?source }} }}\n}}"
    )
    return CompiledCheck(
        shape=shape.iri,
        path=shape.path,
        component=constraint.component,
        expected=_expected(constraint),
        message=shape.message,
        severity=shape.severity,
        query=query,
    )


def _target_pattern(targets: Iterable[Target]) -> str:
    """A subquery binding ?focus once to each focus node of the targets.

    DISTINCT matters: `rdf:type/rdfs:subClassOf*` reaches a class once per materialised type.
    """
    parts = [_one_target(t) for t in targets]
    union = " UNION ".join(f"{{ {p} }}" for p in parts)
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {union} }} }}"


def _one_target(target: Target) -> str:
    iri = f"<{target.iri}>"
    return {
        SH + "targetClass": f"?focus <{RDF_TYPE}>/<{SUBCLASS}>* {iri} .",
        SH + "targetNode": f"VALUES ?focus {{ {iri} }}",
        SH + "targetSubjectsOf": f"?focus {iri} ?_t .",
        SH + "targetObjectsOf": f"?_t {iri} ?focus .",
    }[target.kind]


def _violation_pattern(target: str, path: PropertyPath | None, c: Constraint) -> str:
    """The graph pattern binding ?focus (from `target`) and ?value once per violation."""
    values = "BIND(?focus AS ?value)" if path is None else f"?focus {path.sparql} ?value ."
    step = "?focus" if path is None else f"?focus {path.sparql}"
    p, arg = c.parameter, c.argument
    if p in {SH + "minCount", SH + "maxCount"}:
        return _count_pattern(target, step, p == SH + "minCount", int(str(_literal(arg))))
    return f"{target}\n  {_focus_or_value_pattern(values, step, path, c)}"


def _focus_or_value_pattern(
    values: str, step: str, path: PropertyPath | None, c: Constraint
) -> str:
    p, arg = c.parameter, c.argument
    if p == SH + "uniqueLang":
        if not _literal(arg):
            return "FILTER(false)"
        return (
            f'{values} {step} ?_other . FILTER(isLiteral(?value) && lang(?value) != "" && '
            "LCASE(lang(?value)) = LCASE(lang(?_other)) && !sameTerm(?value, ?_other))"
        )
    if p == SH + "hasValue":
        return f"FILTER NOT EXISTS {{ {_hasvalue(path, arg)} }}"
    return f"{values} {_value_filter(c)}"


def _count_pattern(target: str, step: str, is_min: bool, bound: int) -> str:
    """Focus nodes with fewer (min) or more (max) distinct values than `bound`.

    ?value lists the values found, as one string, for the problem report.
    """
    if is_min and bound == 1:
        return f"{target}\n  MINUS {{ {step} ?_v }}"
    values = f"OPTIONAL {{ {step} ?_v }}" if is_min else f"{step} ?_v ."
    op = "<" if is_min else ">"
    return (
        "{ SELECT ?focus "
        '(GROUP_CONCAT(DISTINCT STR(?_v); separator=" | ") AS ?value) '
        f"WHERE {{ {target} {values} }} GROUP BY ?focus "
        f"HAVING (COUNT(DISTINCT ?_v) {op} {bound}) }}"
    )


def _hasvalue(path: PropertyPath | None, arg: Node | tuple[Node, ...]) -> str:
    term = _term(arg)
    return f"FILTER(sameTerm(?focus, {term}))" if path is None else f"?focus {path.sparql} {term}"


def _value_filter(c: Constraint) -> str:
    """A FILTER that keeps only the value nodes that violate a value-level constraint."""
    p, arg = c.parameter, c.argument
    if p == SH + "class":
        # MINUS, not FILTER NOT EXISTS: Oxigraph evaluates it once, as a hash anti-join.
        return f"MINUS {{ ?value <{RDF_TYPE}>/<{SUBCLASS}>* {_term(arg)} }}"
    if p == SH + "datatype":
        test = f"!isLiteral(?value) || datatype(?value) != {_term(arg)}"
        if str(arg) in _LEXICAL:
            test += f" || !REGEX(STR(?value), {_string(_LEXICAL[str(arg)])})"
        return f"FILTER({test})"
    if p == SH + "nodeKind":
        tests = " || ".join(f"{f}(?value)" for f in _NODE_KINDS[str(arg)][0].split("|"))
        return f"FILTER(!({tests}))"
    if p == SH + "pattern":
        flags = f", {_string(c.flags)}" if c.flags else ""
        return f"FILTER(isBlank(?value) || !REGEX(STR(?value), {_string(str(arg))}{flags}))"
    if p in {SH + "minInclusive", SH + "maxInclusive"}:
        op = ">=" if p == SH + "minInclusive" else "<="
        return f"FILTER(!COALESCE(?value {op} {_term(arg)}, false))"
    if p == SH + "in":
        return f"MINUS {{ VALUES ?value {{ {' '.join(_term(a) for a in _items(arg))} }} }}"
    # sh:languageIn
    tests = " || ".join(f"langMatches(lang(?value), {_string(str(t))})" for t in _items(arg))
    return f"FILTER(!isLiteral(?value) || !({tests or 'false'}))"


def _items(arg: Node | tuple[Node, ...]) -> tuple[Node, ...]:
    return arg if isinstance(arg, tuple) else (arg,)


def _literal(arg: Node | tuple[Node, ...]) -> object:
    if not isinstance(arg, Literal):
        raise ValidationFailed([_bad_argument(arg, "expected a literal")], stage="shapes")
    return arg.toPython()


def _term(arg: Node | tuple[Node, ...]) -> str:
    """SPARQL text of one RDF term from the shapes graph (an IRI or a literal)."""
    if isinstance(arg, URIRef):
        return str(ox.NamedNode(str(arg)))
    if isinstance(arg, Literal):
        if arg.language:
            return str(ox.Literal(str(arg), language=arg.language))
        datatype = ox.NamedNode(str(arg.datatype or XSD + "string"))
        return str(ox.Literal(str(arg), datatype=datatype))
    raise ValidationFailed([_bad_argument(arg, "expected an IRI or literal")], stage="shapes")


def _bad_argument(arg: Node | tuple[Node, ...], message: str) -> Problem:
    return Problem(file="shapes", value=str(arg), message=f"constraint argument: {message}")


def _string(text: str) -> str:
    """A SPARQL string literal with `text`, escaped."""
    return str(ox.Literal(text))


def _expected(c: Constraint) -> str:
    """The constraint in words, for Problem.expected."""
    p, arg, short = c.parameter, c.argument, DEFAULT_PREFIXES
    items = ", ".join(_compact(str(a), short) for a in _items(arg))
    words: dict[str, Callable[[], str]] = {
        SH + "minCount": lambda: f"at least {arg} value(s)",
        SH + "maxCount": lambda: f"at most {arg} value(s)",
        SH + "datatype": lambda: _compact(str(arg), short),
        SH + "class": lambda: f"a {_compact(str(arg), short)}",
        SH + "nodeKind": lambda: _NODE_KINDS[str(arg)][1],
        SH + "pattern": lambda: f"a match of /{arg}/{c.flags}",
        SH + "in": lambda: f"one of {items}",
        SH + "languageIn": lambda: f"a language tag in {items}",
        SH + "uniqueLang": lambda: "at most one value per language",
        SH + "hasValue": lambda: f"the value {items}",
        SH + "minInclusive": lambda: f"at least {arg}",
        SH + "maxInclusive": lambda: f"at most {arg}",
    }
    return words[p]()


def _compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """`lc:Topsector` for an IRI under a known namespace; the IRI itself otherwise."""
    best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


# ---- running on the store ------------------------------------------------------------------


def check_store(
    store: Queryable,
    checks: Iterable[CompiledCheck],
    provenance_graph: str,
    prefixes: Mapping[str, str] = DEFAULT_PREFIXES,
    severities: Collection[str] = frozenset({VIOLATION}),
) -> list[Problem]:
    """The violations of the compiled checks in `store`, located by the focus node's source row.

    Queries see the union of all graphs (so the materialised types of `{base}/graph/inferred`
    count); file and row come from `prov:wasDerivedFrom` in `provenance_graph`. The store is
    only read. Only checks whose sh:severity is in `severities` run: by default sh:Violation,
    what fails a build; pass ALL_SEVERITIES for warnings too (their message says "warning:").
    """
    chosen = [c for c in checks if c.severity in severities]
    violations = find_violations(store, chosen, provenance_graph)
    return [to_problem(v, prefixes) for v in violations]


def find_violations(
    store: Queryable, checks: Iterable[CompiledCheck], provenance_graph: str
) -> list[Violation]:
    """The violations of each check, one per (check, focus, value), in check order."""
    substitutions = {ox.Variable("provenance"): ox.NamedNode(provenance_graph)}

    def run(check: CompiledCheck) -> list[Violation]:
        rows = store.query(
            check.query, use_default_graph_as_union=True, substitutions=substitutions
        )
        assert isinstance(rows, ox.QuerySolutions)
        return _first_source_per_violation(check, rows)

    # The engine releases the GIL while it evaluates, so checks run on every core at once.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return [v for found in pool.map(run, checks) for v in found]


def _first_source_per_violation(check: CompiledCheck, rows: ox.QuerySolutions) -> list[Violation]:
    """One violation per (focus, value), with its lowest source IRI (several rows may share one)."""
    sources: dict[tuple[str, str | None], str | None] = {}
    for row in rows:
        key = (str(row["focus"]), None if row["value"] is None else str(row["value"]))
        source = None if row["source"] is None else str(row["source"].value)
        old = sources.get(key)
        sources[key] = source if old is None or (source is not None and source < old) else old
    return [
        Violation(focus, check.path, check.component, value, source, check)
        for (focus, value), source in sources.items()
    ]


def to_problem(v: Violation, prefixes: Mapping[str, str] = DEFAULT_PREFIXES) -> Problem:
    """A violation as a located Problem: source file and row when the focus has provenance."""
    focus = _show(v.focus, prefixes)
    file, row = _source_location(v.source)
    check = v.check
    severity = VIOLATION if check is None else check.severity
    text = "violates " + _compact(v.component, prefixes)
    if check is not None and check.message:
        text = check.message
    if severity != VIOLATION:
        text = f"{_compact(severity, prefixes).removeprefix('sh:').lower()}: {text}"
    return Problem(
        file=file or focus,
        row=row,
        field=None if v.path is None else v.path.local_name,
        value=None if v.value is None else _show(v.value, prefixes),
        expected=None if check is None else check.expected,
        message=f"{focus}: {text}",
    )


def _source_location(source: str | None) -> tuple[str | None, int | None]:
    """`…/source/curated/organisations.csv#row=5` → ("organisations.csv", 5)."""
    match = _SOURCE_ROW.search(source or "")
    if match is None:
        return (source, None)
    row = match.group("row")
    return (unquote(match.group("file")), None if row is None else int(row))


def _show(term: str, prefixes: Mapping[str, str]) -> str:
    """N-Triples text made readable: IRIs compacted, plain strings bare."""
    if term.startswith("<") and term.endswith(">"):
        return _compact(term[1:-1], prefixes)
    match = re.fullmatch(r'"(.*)"(\^\^<(.*)>)?', term, flags=re.S)
    if match is not None:
        datatype = match.group(3)
        if datatype is None:
            return match.group(1)
        return f"{match.group(1)}^^{_compact(datatype, prefixes)}"
    return term


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
    path = None if path_node is None else _path(results, path_node)
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
        return _term(term)
    return f"_:{term}"

"""Compile each (shape, constraint) to one SPARQL SELECT of ?focus ?value per violation."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib.term import Literal, Node, URIRef

from lcgraph.errors import Problem, ValidationFailed
from lcgraph.iris import RDF_TYPE, XSD
from lcgraph.validation.shapes.model import (
    DEFAULT_PREFIXES,
    DERIVED_FROM,
    LEXICAL,
    NODE_KINDS,
    SH,
    SUBCLASS,
    CompiledCheck,
    Constraint,
    PropertyPath,
    Shape,
    Shapes,
    Target,
    compact,
)

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
    # Count first, list the values of the violators only: GROUP_CONCAT over every focus
    # node made the 21 count checks 3.6 s of the benchmark's 10 s validation (a
    # participation's org:member: 0.68 s with the list for all 60k, 0.22 s counting only).
    return (
        "{ SELECT ?focus "
        '(GROUP_CONCAT(DISTINCT STR(?_v); separator=" | ") AS ?value) WHERE { '
        f"{{ SELECT ?focus WHERE {{ {target} {values} }} GROUP BY ?focus "
        f"HAVING (COUNT(DISTINCT ?_v) {op} {bound}) }} "
        f"{values} }} GROUP BY ?focus }}"
    )


def _hasvalue(path: PropertyPath | None, arg: Node | tuple[Node, ...]) -> str:
    term = sparql_term(arg)
    return f"FILTER(sameTerm(?focus, {term}))" if path is None else f"?focus {path.sparql} {term}"


def _value_filter(c: Constraint) -> str:
    """A FILTER that keeps only the value nodes that violate a value-level constraint."""
    p, arg = c.parameter, c.argument
    if p == SH + "class":
        # MINUS, not FILTER NOT EXISTS: Oxigraph evaluates it once, as a hash anti-join.
        return f"MINUS {{ ?value <{RDF_TYPE}>/<{SUBCLASS}>* {sparql_term(arg)} }}"
    if p == SH + "datatype":
        test = f"!isLiteral(?value) || datatype(?value) != {sparql_term(arg)}"
        if str(arg) in LEXICAL:
            test += f" || !REGEX(STR(?value), {_string(LEXICAL[str(arg)])})"
        return f"FILTER({test})"
    if p == SH + "nodeKind":
        tests = " || ".join(f"{f}(?value)" for f in NODE_KINDS[str(arg)][0].split("|"))
        return f"FILTER(!({tests}))"
    if p == SH + "pattern":
        flags = f", {_string(c.flags)}" if c.flags else ""
        return f"FILTER(isBlank(?value) || !REGEX(STR(?value), {_string(str(arg))}{flags}))"
    if p in {SH + "minInclusive", SH + "maxInclusive"}:
        op = ">=" if p == SH + "minInclusive" else "<="
        return f"FILTER(!COALESCE(?value {op} {sparql_term(arg)}, false))"
    if p == SH + "in":
        return f"MINUS {{ VALUES ?value {{ {' '.join(sparql_term(a) for a in _items(arg))} }} }}"
    # sh:languageIn
    tests = " || ".join(f"langMatches(lang(?value), {_string(str(t))})" for t in _items(arg))
    return f"FILTER(!isLiteral(?value) || !({tests or 'false'}))"


def _items(arg: Node | tuple[Node, ...]) -> tuple[Node, ...]:
    return arg if isinstance(arg, tuple) else (arg,)


def _literal(arg: Node | tuple[Node, ...]) -> object:
    if not isinstance(arg, Literal):
        raise ValidationFailed([_bad_argument(arg, "expected a literal")], stage="shapes")
    return arg.toPython()


def sparql_term(arg: Node | tuple[Node, ...]) -> str:
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
    items = ", ".join(compact(str(a), short) for a in _items(arg))
    words: dict[str, Callable[[], str]] = {
        SH + "minCount": lambda: f"at least {arg} value(s)",
        SH + "maxCount": lambda: f"at most {arg} value(s)",
        SH + "datatype": lambda: compact(str(arg), short),
        SH + "class": lambda: f"a {compact(str(arg), short)}",
        SH + "nodeKind": lambda: NODE_KINDS[str(arg)][1],
        SH + "pattern": lambda: f"a match of /{arg}/{c.flags}",
        SH + "in": lambda: f"one of {items}",
        SH + "languageIn": lambda: f"a language tag in {items}",
        SH + "uniqueLang": lambda: "at most one value per language",
        SH + "hasValue": lambda: f"the value {items}",
        SH + "minInclusive": lambda: f"at least {arg}",
        SH + "maxInclusive": lambda: f"at most {arg}",
    }
    return words[p]()

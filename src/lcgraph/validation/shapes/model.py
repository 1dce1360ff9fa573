"""The parsed shapes, the compiled checks and their violations; constants they share."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import rdflib
from rdflib.term import Node

from lcgraph.iris import LC, W3C_PREFIXES, XSD

SH = "http://www.w3.org/ns/shacl#"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
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
TARGETS = {SH + t for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")}
# sh: predicates that describe a shape without constraining data.
NON_VALIDATING = {
    SH + p for p in ("name", "description", "message", "severity", "order", "group", "deactivated")
} | {SH + "flags", SH + "defaultValue"}
FOCUS_COMPONENTS = {SH + p for p in ("minCount", "maxCount", "uniqueLang", "hasValue")}
NODE_KINDS = {
    SH + "IRI": ("isIRI", "an IRI"),
    SH + "Literal": ("isLiteral", "a literal"),
    SH + "BlankNode": ("isBlank", "a blank node"),
    SH + "BlankNodeOrIRI": ("isBlank|isIRI", "a blank node or IRI"),
    SH + "IRIOrLiteral": ("isIRI|isLiteral", "an IRI or literal"),
    SH + "BlankNodeOrLiteral": ("isBlank|isLiteral", "a blank node or literal"),
}
# Lexical forms checked beyond the datatype IRI (SHACL: ill-formed literals violate sh:datatype).
LEXICAL: dict[str, str] = {
    XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "date": (
        r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$"
    ),
    XSD + "integer": r"^[+-]?[0-9]+$",
    XSD + "nonNegativeInteger": r"^(\+?[0-9]+|-0+)$",
    XSD + "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD + "boolean": r"^(true|false|1|0)$",
}
SOURCE_ROW = re.compile(r"/source/[^/]+/(?P<file>[^#]+)(#row=(?P<row>[0-9]+))?$")
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


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """`lc:Topsector` for an IRI under a known namespace; the IRI itself otherwise."""
    best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"

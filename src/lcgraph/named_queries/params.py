"""Typed named-query parameters: declared in a header, turned into RDF terms, never into text.

Three kinds, as declared in a header:

    sector: {type: iri, class: lc:Topsector, example: "def:topsector/EN"}
    year:   {type: literal, datatype: xsd:gYear, default: "2017"}
    lang:   {type: enum, values: [nl, en], default: en}

An `iri` value may be a full IRI or a CURIE with a known prefix (`def:topsector/EN`); it
must parse as an IRI, and, when `class` is given, name an instance of that class (checked
against the store when the query runs). A `literal` value must be a valid lexical form of
its datatype. An `enum` value must be one of `values` and is bound as an xsd:string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode, Variable

from lcgraph.errors import QueryParamError
from lcgraph.iris import XSD
from lcgraph.values import check_value, supported_datatypes

PARAM_KEYS = frozenset(
    {"type", "class", "datatype", "values", "default", "example", "required", "description"}
)
KINDS = ("iri", "literal", "enum")
Expand = Callable[[str], str]
Term = NamedNode | Literal


class ParamSpecError(Exception):
    """A parameter declaration that cannot be used; the header checker locates it."""

    def __init__(self, message: str, expected: str | None = None) -> None:
        super().__init__(message)
        self.expected = expected


@dataclass(frozen=True)
class Param:
    """One declared parameter; `variable` is the SPARQL variable it binds (same name)."""

    name: str
    kind: str
    example: str
    required: bool = False
    default: str | None = None
    class_iri: str | None = None
    datatype: str | None = None
    values: tuple[str, ...] = ()
    description: str | None = None

    @property
    def variable(self) -> Variable:
        return Variable(self.name)

    @property
    def expected(self) -> str:
        """What a value must be, in words, for error messages and docs."""
        if self.kind == "iri":
            return "an IRI" + (f" of a <{self.class_iri}>" if self.class_iri else "")
        if self.kind == "enum":
            return "one of " + ", ".join(self.values)
        assert self.datatype is not None
        words = check_value(self.datatype, "\u0000") or "text"
        return f"{words} (a literal of type {self.datatype.replace(XSD, 'xsd:')})"

    def json_schema(self) -> dict[str, Any]:
        """A JSON Schema for the raw (string) value, for OpenAPI and the catalogue."""
        schema: dict[str, Any] = {"type": "string", "examples": [self.example]}
        if self.kind == "iri":
            schema["format"] = "iri"
        elif self.kind == "enum":
            schema["enum"] = list(self.values)
        if self.default is not None:
            schema["default"] = self.default
        return schema


def make_param(name: str, decl: dict[str, Any], expand: Expand) -> Param:
    """A Param from its header declaration; raises ParamSpecError saying what is wrong."""
    kind = decl.get("type")
    if kind not in KINDS:
        raise ParamSpecError(f"type {kind!r} is not a parameter type", "iri, literal or enum")
    if "example" not in decl:
        raise ParamSpecError("needs an `example` (docs, tests and the API form use it)")
    param = Param(
        name=name,
        kind=kind,
        example=str(decl["example"]),
        required=_flag(decl.get("required", False)),
        default=None if decl.get("default") is None else str(decl["default"]),
        class_iri=_curie(decl, "class", expand) if kind == "iri" else None,
        datatype=_datatype(decl, expand) if kind == "literal" else None,
        values=_values(decl) if kind == "enum" else (),
        description=decl.get("description"),
    )
    _check_kind_keys(kind, decl)
    for key in ("example", "default"):
        value = getattr(param, key)
        if value is not None:
            _check_declared_value(param, key, value, expand)
    return param


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParamSpecError(f"`required` is {value!r}", "true or false")
    return value


def _curie(decl: dict[str, Any], key: str, expand: Expand) -> str | None:
    value = decl.get(key)
    if value is None:
        return None
    try:
        return str(NamedNode(expand(str(value))))[1:-1]
    except (KeyError, ValueError) as err:
        raise ParamSpecError(
            f"`{key}` {value!r} is not a CURIE or IRI", "e.g. lc:Topsector"
        ) from err


def _datatype(decl: dict[str, Any], expand: Expand) -> str:
    datatype = _curie(decl, "datatype", expand)
    if datatype is None or datatype not in supported_datatypes():
        short = ", ".join(d.replace(XSD, "xsd:") for d in supported_datatypes())
        raise ParamSpecError(f"`datatype` {decl.get('datatype')!r} is not supported", short)
    return datatype


def _values(decl: dict[str, Any]) -> tuple[str, ...]:
    values = decl.get("values")
    if not isinstance(values, list) or not values:
        raise ParamSpecError("an enum needs `values`", "a non-empty list")
    return tuple(str(v) for v in values)


def _check_kind_keys(kind: str, decl: dict[str, Any]) -> None:
    own = {"iri": "class", "literal": "datatype", "enum": "values"}
    for other_kind, key in own.items():
        if other_kind != kind and key in decl:
            raise ParamSpecError(f"`{key}` belongs to type {other_kind}, not {kind}")


def _check_declared_value(param: Param, key: str, value: str, expand: Expand) -> None:
    try:
        to_term(param, value, expand)
    except QueryParamError as err:
        raise ParamSpecError(f"`{key}` {value!r} is not valid", param.expected) from err


def to_term(param: Param, raw: str, expand: Expand) -> Term:
    """The RDF term for a raw string value; raises QueryParamError naming param and type.

    The class of an IRI is not checked here (that needs the store; see NamedQuery.run).
    """
    if param.kind == "iri":
        return _iri(param, raw, expand)
    if param.kind == "enum":
        if raw not in param.values:
            raise QueryParamError(param.name, param.expected, raw)
        return Literal(raw)
    assert param.datatype is not None
    if check_value(param.datatype, raw) is not None:
        raise QueryParamError(param.name, param.expected, raw)
    return Literal(raw, datatype=NamedNode(param.datatype))


def _iri(param: Param, raw: str, expand: Expand) -> NamedNode:
    try:
        return NamedNode(expand(raw))
    except KeyError:
        pass  # not a known prefix: maybe an absolute IRI such as urn:x
    except ValueError as err:
        raise QueryParamError(param.name, param.expected, raw) from err
    try:
        return NamedNode(raw)
    except ValueError as err:
        raise QueryParamError(param.name, param.expected, raw) from err

"""RDF terms on the wire to a query worker, for `substitutions` (named-query parameters).

A term travels as its SPARQL-results-JSON object (`{"type": "uri", "value": ...}` or
`{"type": "literal", "value": ..., "datatype": ...}`) and is rebuilt with pyoxigraph's own
constructors in the worker, so a parameter value stays a term and is never query text.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import Literal, NamedNode, Variable

Term = NamedNode | Literal
Wire = dict[str, dict[str, str]]


def encode_substitutions(bindings: Mapping[Variable, Term]) -> Wire:
    """Variable name -> JSON term, for `Job.substitutions`."""
    return {variable.value: _encode(term) for variable, term in bindings.items()}


def decode_substitutions(wire: Wire) -> dict[Variable, Term]:
    """The inverse of `encode_substitutions`; raises ValueError for a malformed term."""
    return {Variable(name): _decode(term) for name, term in wire.items()}


def _encode(term: Term) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    encoded = {"type": "literal", "value": term.value}
    if term.language:
        encoded["xml:lang"] = term.language
    else:
        encoded["datatype"] = term.datatype.value
    return encoded


def _decode(term: dict[str, str]) -> Term:
    if term.get("type") == "uri":
        return NamedNode(term["value"])
    if term.get("type") != "literal":
        raise ValueError(f"not a substitutable term: {term!r}")
    if "xml:lang" in term:
        return Literal(term["value"], language=term["xml:lang"])
    return Literal(term["value"], datatype=NamedNode(term["datatype"]))

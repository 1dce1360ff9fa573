"""Bind parameters for a store that cannot take `substitutions`: a typed VALUES block.

A remote SPARQL 1.1 server gets the query text, so the values must travel in it. They are
written only as pyoxigraph terms' N-Triples form (IRIs checked by `NamedNode`, literals
escaped by `Literal`), inside a VALUES block at the start of the outermost group, where
they bind the variables before anything else is evaluated, as a substitution does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyoxigraph import Variable

from lcgraph.named_queries.params import Term

# What can hide a `{` before the WHERE clause: IRIs, strings and comments.
_SKIP_OR_BRACE = re.compile(
    r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|\{"""
)


def values_block(bindings: Mapping[Variable, Term]) -> str:
    """`VALUES (?a ?b) { (<iri> "text"^^<type>) }` for the bindings; "" when there are none."""
    if not bindings:
        return ""
    names = " ".join(str(variable) for variable in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({values}) }}"


def inline_values(sparql: str, bindings: Mapping[Variable, Term]) -> str:
    """`sparql` with `values_block(bindings)` at the start of its outermost group.

    Raises ValueError when the query has no group (`{`), which a SELECT always has.
    """
    block = values_block(bindings)
    if not block:
        return sparql
    for match in _SKIP_OR_BRACE.finditer(sparql):
        if match.group(0) == "{":
            at = match.end()
            return f"{sparql[:at]}\n  {block}\n{sparql[at:]}"
    raise ValueError("the query has no group pattern to put a VALUES block in")

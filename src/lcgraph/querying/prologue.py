"""What a query's text says about how to write its results: its prefixes, its column order.

A CONSTRUCT written as Turtle (or RDF/XML) uses the prefixes the query declares, over the
project's own (`lcgraph.iris`); the columns of `SELECT *` come in the order their variables
first appear in the query, where the engine sorts them by name. Both read the query's
tokens (`lcgraph.sparql.lexer`), not a full parse.
"""

from __future__ import annotations

import re

from lcgraph.sparql.lexer import keyword, tokenize
from lcgraph.sparql.reading import read_prologue

_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def graph_prefixes(query: str, project: dict[str, str] | None = None) -> dict[str, str]:
    """The prefixes to write a graph with: `project`'s, then the query's own over them."""
    prefixes = dict(project or {})
    if "PREFIX" in query.upper():
        for name, iri in read_prologue(tokenize(query)).prefixes.items():
            if _ABSOLUTE.match(iri):  # a relative one needs the base: skipped
                prefixes[name[:-1]] = iri
    return prefixes


def select_columns(query: str, names: list[str]) -> list[str]:
    """`names` (the engine's columns) in the order the SPARQL spec gives `SELECT *`: that of
    the variables' first appearance in the query; other queries keep theirs as projected."""
    if "*" not in query:
        return names
    tokens = tokenize(query)
    select = next((i for i, t in enumerate(tokens) if keyword(t) == "SELECT"), None)
    if select is None:
        return names
    after = tokens[select + 1 : select + 3]
    skip = 1 if after and keyword(after[0]) in ("DISTINCT", "REDUCED") else 0
    if len(after) <= skip or after[skip].text != "*":
        return names
    first: dict[str, int] = {}
    for token in tokens:
        if token.kind == "var":
            first.setdefault(token.text[1:], len(first))
    return sorted(names, key=lambda name: first.get(name, len(first)))

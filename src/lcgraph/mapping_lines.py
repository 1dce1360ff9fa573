"""The classes and properties a mapping names, each with the line of its file it stands on.

A mapping's terms are checked against the ontology (`lcgraph.mapping_terms`); a term it
does not declare is reported at its line, which PyYAML's parsed values do not carry, so
the file is composed once more into nodes, whose marks do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lcgraph.iris import Iris


@dataclass(frozen=True)
class Term:
    """A class or property as a mapping writes it, with the line it is on (for messages)."""

    written: str
    iri: str
    kind: str  # "class" or "property"
    line: int


def terms_of(path: Path, spec: dict[str, Any], iris: Iris) -> tuple[Term, ...]:
    """The classes and properties the mapping names, each with its line in the file."""
    lines = _scalar_lines(path)
    written = [(t, "class") for t in spec.get("types", [])]
    written += [(p, "property") for p in (spec.get("static") or {})]
    written += [
        (r["predicate"], "property")
        for r in spec["columns"].values()
        if isinstance(r, dict) and "predicate" in r
    ]
    return tuple(
        Term(str(text), iris.expand(str(text)), kind, lines.get(str(text), 1))
        for text, kind in written
    )


def _scalar_lines(path: Path) -> dict[str, int]:
    """The first line (1-based) of every scalar in a YAML file, from PyYAML's node marks."""
    lines: dict[str, int] = {}
    pending = [yaml.compose(path.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.ScalarNode):
            line = node.start_mark.line + 1
            lines[node.value] = min(line, lines.get(node.value, line))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            pending.extend(n for pair in node.value for n in pair)
    return lines

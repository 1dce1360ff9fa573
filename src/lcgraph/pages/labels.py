"""Labels in every page language for the other vocabularies' terms (`labels.ttl`).

Read once; a page prefers the store's own label in its language, then these, then the
store's label in another language (`view.Labeller`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from lcgraph.pages.describe import RDFS

LABELS_FILE = Path(__file__).with_name("labels.ttl")
_LABEL = NamedNode(RDFS + "label")


@cache
def term_labels() -> dict[str, dict[str, str]]:
    """IRI → language → label, for the terms `labels.ttl` names."""
    found: dict[str, dict[str, str]] = {}
    for triple in parse(path=LABELS_FILE, format=RdfFormat.TURTLE):
        if triple.predicate == _LABEL and isinstance(triple.object, Literal):
            found.setdefault(triple.subject.value, {})[triple.object.language or ""] = (
                triple.object.value
            )
    return found

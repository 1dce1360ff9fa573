"""The classes and properties of our ontology, for the query editor's autocompletion.

YASGUI's own class and property completers ask lov.linkeddata.es, which is off (the page
talks to its own origin only); sparql-editor.js completes from these lists instead. They
come from the ontology files the build loads (`lcgraph-edit.ttl` and its `imports/`) and
the lcs: search vocabulary (`search.ttl`), read once when the app starts: they change
with the ontology, not with the data.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

from lcgraph.pages.terms import CLASS_TYPES, PROPERTY_TYPES

log = logging.getLogger("lcgraph.web")

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def ontology_files(folder: Path) -> list[Path]:
    """The ontology, its imports and the search vocabulary, those that exist."""
    files = [folder / "lcgraph-edit.ttl", *sorted(folder.glob("imports/*.ttl"))]
    return [*files, folder / "search.ttl"]


def ontology_terms(folder: Path) -> dict[str, list[str]]:
    """{"classes": [IRI, ...], "properties": [IRI, ...]}, sorted; empty lists without files."""
    classes: set[str] = set()
    properties: set[str] = set()
    for path in ontology_files(folder):
        if not path.is_file():
            continue
        try:
            triples = list(parse(path=str(path), format=RdfFormat.TURTLE))
        except SyntaxError as err:  # the build reports a broken ontology; the editor goes on
            log.warning("editor completion skips %s: %s", path, err)
            continue
        for triple in triples:
            if triple.predicate.value != _TYPE or not isinstance(triple.subject, NamedNode):
                continue
            if triple.object.value in CLASS_TYPES:
                classes.add(triple.subject.value)
            elif triple.object.value in PROPERTY_TYPES:
                properties.add(triple.subject.value)
    return {"classes": sorted(classes), "properties": sorted(properties)}

"""Build the full-text index of a graph: one tantivy document per resource with text.

The text comes out of the store by SPARQL (two SELECTs over all named graphs), so the same
code indexes a staging store during a build and a remote server when an index is missing.
A document holds every label, definition, description and note of one resource:

- `label_nl`, `label_en`, `text_nl`, `text_en`: stemmed per language (`analysis.stemmed`);
  a literal without a language (a name) goes into both languages;
- `words`: every literal, words as written (fuzzy matching); `label_words`: labels only
  (prefix completion); `p<i>`: the text of TEXT_PREDICATES[i] alone (the Jena form's
  `(rdfs:label "…")`);
- `parts`: the suffixes of every word (compound parts, `analysis.parts`); `label_parts`
  those of labels (ranked higher);
- `class`, `topsector`, `region`: IRIs, as facets and filters (fast fields);
- `iri` and `data` (JSON: literals and classes), stored, to make a hit without the store.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy
from pyoxigraph import QuerySolutions

from lcgraph.iris import LC, W3C_PREFIXES
from lcgraph.search import analysis

_SKOS, _RDFS, _DCT = W3C_PREFIXES["skos"], W3C_PREFIXES["rdfs"], W3C_PREFIXES["dct"]
LABEL_PREDICATES = (
    _SKOS + "prefLabel",
    _RDFS + "label",
    W3C_PREFIXES["foaf"] + "name",
    _DCT + "title",
    W3C_PREFIXES["schema"] + "name",
    _SKOS + "altLabel",
    _SKOS + "hiddenLabel",
)  # in the order a hit's label is chosen from
TEXT_PREDICATES = (
    *LABEL_PREDICATES,
    _SKOS + "definition",
    _DCT + "description",
    _DCT + "abstract",
    _RDFS + "comment",
    _SKOS + "scopeNote",
    _SKOS + "note",
    _SKOS + "editorialNote",
    _SKOS + "example",
)
RDF_TYPE = W3C_PREFIXES["rdf"] + "type"
FACET_PREDICATES = {
    RDF_TYPE: "class",
    LC + "statedSector": "topsector",
    LC + "sector": "topsector",
    LC + "inferredSector": "topsector",
    LC + "region": "region",  # with lc:withinRegion's chain: the areas that contain it too
}
FACETS = ("class", "topsector", "region")
LANG_FIELDS = tuple(analysis.LANGUAGES)
WRITER_HEAP = 200_000_000

Query = Callable[[str], Any]  # runs a SPARQL SELECT, returns pyoxigraph QuerySolutions


@dataclass
class Resource:
    """What the index keeps of one resource: its text and its facet values."""

    literals: list[tuple[int, str | None, str]] = field(default_factory=list)  # (pred, lang, text)
    facets: dict[str, set[str]] = field(default_factory=dict)


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("iri", stored=True, tokenizer_name="raw")
    builder.add_bytes_field("data", stored=True)
    for name in FACETS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for lang in LANG_FIELDS:
        builder.add_text_field(f"label_{lang}", tokenizer_name=f"{lang}_stemmed")
        builder.add_text_field(f"text_{lang}", tokenizer_name=f"{lang}_stemmed")
    builder.add_text_field("words", tokenizer_name="words")
    builder.add_text_field("label_words", tokenizer_name="words")
    builder.add_text_field("parts", tokenizer_name="words", index_option="basic")
    builder.add_text_field("label_parts", tokenizer_name="words", index_option="basic")
    for i in range(len(TEXT_PREDICATES)):
        builder.add_text_field(f"p{i}", tokenizer_name="words")
    return builder.build()


def collect(query: Query) -> dict[str, Resource]:
    """Every resource (IRI subject) with text, its literals and facet values, from `query`."""
    resources: dict[str, Resource] = {}
    preds = {p: i for i, p in enumerate(TEXT_PREDICATES)}
    for s, p, o in _rows(query, TEXT_PREDICATES, literals=True):
        resource = resources.get(s.value)
        if resource is None:
            resource = resources[s.value] = Resource()
        resource.literals.append((preds[p.value], o.language, o.value))
    for s, p, o in _rows(query, tuple(FACET_PREDICATES), literals=False):
        found = resources.get(s.value)
        if found is not None:
            found.facets.setdefault(FACET_PREDICATES[p.value], set()).add(o.value)
    return resources


def _rows(query: Query, predicates: Iterable[str], literals: bool) -> Iterable[Any]:
    values = " ".join(f"<{p}>" for p in predicates)
    kind = "isLITERAL" if literals else "isIRI"
    result = query(
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} "
        f"GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s) && {kind}(?o)) }}"
    )
    if not isinstance(result, QuerySolutions):
        raise TypeError("the index needs a store that answers SELECT with QuerySolutions")
    for row in result:
        yield row[0], row[1], row[2]


def write(resources: dict[str, Resource], folder: Path) -> Path:
    """Write the index of `resources` to `folder`, atomically: complete or absent.

    It is written beside `folder` under a temporary name and renamed into place, so a
    failed or killed build never leaves a half index where a reader looks.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(f".{folder.name}.{secrets.token_hex(4)}.partial")
    partial.mkdir()
    try:
        index = tantivy.Index(schema(), path=str(partial))
        analysis.register(index)
        writer = index.writer(WRITER_HEAP, 1)
        for iri, resource in resources.items():
            writer.add_document(_document(iri, resource))
        writer.commit()
        writer.wait_merging_threads()
        del writer, index
        if folder.exists():  # an index of this revision already: the same data
            shutil.rmtree(partial)
        else:
            os.replace(partial, folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def _document(iri: str, resource: Resource) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("iri", iri)
    data = {"l": resource.literals, "c": sorted(resource.facets.get("class", ()))}
    doc.add_bytes("data", json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    for name, values in resource.facets.items():
        for value in values:
            doc.add_text(name, value)
    labels = len(LABEL_PREDICATES)
    for pred, lang, text in resource.literals:
        kind = "label" if pred < labels else "text"
        for field_lang in _langs(lang):
            doc.add_text(f"{kind}_{field_lang}", text)
        doc.add_text("words", text)
        doc.add_text(f"p{pred}", text)
        parts = analysis.parts(text)
        doc.add_text("parts", parts)
        if pred < labels:
            doc.add_text("label_words", text)
            doc.add_text("label_parts", parts)
    return doc


def _langs(lang: str | None) -> tuple[str, ...]:
    """The language fields a literal goes into: its own, or all when it has none we stem."""
    if lang:
        primary = lang.split("-")[0].lower()
        if primary in LANG_FIELDS:
            return (primary,)
    return LANG_FIELDS

"""Build the full-text index of a graph: one tantivy document per resource with text.

What goes in is read from the store by `reading.collect`. A document holds every label,
definition, description and note of one resource:

- `label_nl`, `label_en`, `text_nl`, `text_en`: stemmed per language (`analysis.stemmed`);
  a literal without a language (a name) goes into both languages;
- `label_words` and `text_words`: the words as written of the labels (prefix completion)
  and of the other text; between them, the words that one typo is measured against (a
  `words` field of every literal held them once more before);
  `label_start`: each label whole, its words joined by one space, one
  term (completion ranks labels that begin with the typed words first); `p<i>`: the text
  of TEXT_PREDICATES[i] alone (the Jena form's `(rdfs:label "…")`; without positions, so
  a phrase there matches its words in any order);
- `label_parts`: the suffixes of every word of the labels (compound parts,
  `analysis.parts`), `parts` those of the other text that begin inside a word, and
  `text_words` the other text's words themselves: apart, not one inside the other, since
  a label's parts in both fields made a search walk them twice (the parts prefix queries
  were two thirds of tantivy's time for two words, benchmarks/search.py), and a word's
  own postings in `parts` were walked a second time beside its stems (`compiling._parts`);
- `class`, `topsector`, `region`: IRIs, as facets and filters (fast fields);
- `iri` and `data` (JSON: literals and classes), stored, to make a hit without the store.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import orjson
import tantivy

from lcgraph.iris import LC, RDF_TYPE, W3C_PREFIXES
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

SUBCLASS_OF = _RDFS + "subClassOf"
FACET_PREDICATES = {
    RDF_TYPE: "class",  # inferred types too: a filter by lc:Organisation finds universities
    LC + "statedSector": "topsector",  # the two sub-properties of lc:sector, which the
    LC + "inferredSector": "topsector",  # build only infers from them
    LC + "region": "region",  # with lc:withinRegion's chain: the areas that contain it too
}
FACETS = ("class", "topsector", "region")
LANG_FIELDS = tuple(analysis.LANGUAGES)
WRITER_HEAP = 200_000_000
# Raise when schema() or an analyser changes: indexes live under a folder of their format
# (`location.index_root`), so an index written by another version is never opened.
FORMAT = 5


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
    # the predicate fields and the other text's words need no positions: cheaper to build
    builder.add_text_field("label_words", tokenizer_name="words")
    builder.add_text_field("label_start", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("parts", tokenizer_name="words", index_option="basic")
    builder.add_text_field("text_words", tokenizer_name="words", index_option="basic")
    builder.add_text_field("label_parts", tokenizer_name="words", index_option="basic")
    for i in range(len(TEXT_PREDICATES)):
        builder.add_text_field(f"p{i}", tokenizer_name="words", index_option="basic")
    return builder.build()


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
    doc.add_bytes("data", orjson.dumps(data))  # the stdlib encoder: 0.18 of 0.69 s here
    for name, values in resource.facets.items():
        for value in values:
            doc.add_text(name, value)
    labels = len(LABEL_PREDICATES)
    for pred, lang, text in resource.literals:
        for name in _lang_fields("label" if pred < labels else "text", lang):
            doc.add_text(name, text)
        doc.add_text(_PREDICATE_FIELDS[pred], text)
        if pred < labels:
            doc.add_text("label_words", text)
            doc.add_text("label_start", label_start(text))
            doc.add_text("label_parts", analysis.parts(text))
        else:
            doc.add_text("text_words", text)
            doc.add_text("parts", analysis.parts(text, first=1))
    return doc


def label_start(text: str) -> str:
    """The words of `text` as `label_words` holds them, joined by one space: one term, so
    a prefix query on it finds the labels that begin with what was typed."""
    return " ".join(analysis.words().analyze(text))


_PREDICATE_FIELDS = tuple(f"p{i}" for i in range(len(TEXT_PREDICATES)))


@cache  # asked for every literal, of a handful of distinct tags
def _lang_fields(kind: str, lang: str | None) -> tuple[str, ...]:
    """`label_nl`, `text_en`, …: the fields of `kind` a literal in `lang` goes into."""
    return tuple(f"{kind}_{field_lang}" for field_lang in _langs(lang))


def _langs(lang: str | None) -> tuple[str, ...]:
    """The language fields a literal goes into: its own, or all when it has none we stem."""
    if lang:
        primary = lang.split("-")[0].lower()
        if primary in LANG_FIELDS:
            return (primary,)
    return LANG_FIELDS

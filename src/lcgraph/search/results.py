"""What a search answers: hits and their counts (the types of the `lcgraph.search` API)."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LIMIT = 100  # hits per page at most
MAX_OFFSET = 10_000  # deeper pages are refused: narrow the query or filter instead
MAX_SUGGESTIONS = 10


@dataclass  # not frozen: a frozen dataclass took 1.0 us to make, a plain one 0.4 (20 a page)
class Hit:
    """One resource that matched."""

    iri: str
    label: str  # in the requested language, falling back to any
    classes: tuple[str, ...]  # rdf:type IRIs
    field: str  # the predicate IRI whose text matched (skos:prefLabel, ...)
    lang: str | None  # language of the matched text
    snippet: str  # HTML-escaped text with <b>…</b> around matches
    score: float


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, how many matched in all, and facet counts over all that matched."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]  # "class" | "topsector" | "region" -> IRI -> count

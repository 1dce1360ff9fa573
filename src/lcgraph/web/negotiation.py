"""Choose response formats from `Accept` (with q-values) and the format parameters.

The media types come from the one table of formats (`lcgraph.formats`); formats are named
by its short names, which the query workers understand (`json`, `turtle`, ...). This module
ranks the names a client accepts, best first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lcgraph import formats

RESULT_TYPES = formats.offers(formats.results_formats())  # SELECT and ASK: media type -> name
GRAPH_TYPES = formats.offers(formats.graph_formats())  # CONSTRUCT and DESCRIBE
MEDIA_TYPES: dict[str, str] = {f.name: f.content_type for f in formats.FORMATS}  # sent back
# Values of the `format`, `output` and `results` parameters, by result kind (see
# `formats.parameter_values`: `xml` is RDF/XML for a graph, SPARQL XML for a table).
RESULT_ALIASES = formats.parameter_values(formats.results_formats())
GRAPH_ALIASES = formats.parameter_values(formats.graph_formats())
_TURTLE, *_OTHER_RDF = (f.media_type for f in formats.graph_formats())
SERVICE_DESCRIPTION_TYPES = [_TURTLE, "text/html", *_OTHER_RDF]


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything."""
    ranges = []
    for part in (header or "*/*").split(","):
        fields = [f.strip() for f in part.split(";")]
        main, _, sub = fields[0].lower().partition("/")
        if not main:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                q = _quality(value)
        ranges.append(MediaRange(main, sub or "*", q))
    return ranges or [MediaRange("*", "*", 1.0)]


def _quality(value: str) -> float:
    try:
        return min(max(float(value), 0.0), 1.0)
    except ValueError:
        return 0.0


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """q of `media_type` under the most specific range that matches it (0 if none does)."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def rank(accept: str | None, offers: list[str]) -> list[str]:
    """The offered media types the client accepts, best first (ties: server order)."""
    ranges = parse_accept(accept)
    scored = [(quality(ranges, m), -i, m) for i, m in enumerate(offers)]
    return [m for q, _, m in sorted(scored, reverse=True) if q > 0]


@lru_cache(maxsize=256)
def ranked_formats(
    accept: str | None, fmt: str | tuple[str, ...] | None = None
) -> dict[str, list[str]]:
    """For each result kind, the format names to try in order.

    `fmt`: the values of the format parameters, in order (or one value); any value given
    overrides Accept, and a kind none of them names gets no format (406). Blank values are
    ignored: SPARQLWrapper sends one where it has no media type to offer.

    Memoized: clients send few distinct Accept headers, and parsing one costs ~5% of a
    cached answer. The dict returned is shared: callers must not change it.
    """
    values = [v.strip().lower() for v in ((fmt,) if isinstance(fmt, str) else fmt or ())]
    if values := [v for v in values if v]:
        results = _names([RESULT_ALIASES[v] for v in values if v in RESULT_ALIASES])
        graph = _names([GRAPH_ALIASES[v] for v in values if v in GRAPH_ALIASES])
        return {"solutions": results, "boolean": results, "graph": graph}
    results = _names([RESULT_TYPES[m] for m in rank(accept, list(RESULT_TYPES))])
    graph = _names([GRAPH_TYPES[m] for m in rank(accept, list(GRAPH_TYPES))])
    return {"solutions": results, "boolean": results, "graph": graph}


def _names(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def media_type(fmt: str) -> str:
    return MEDIA_TYPES[fmt]


def wants_html(accept: str | None) -> bool:
    """True when a browser asks: text/html ranks above Turtle in its Accept header."""
    ranked = rank(accept, SERVICE_DESCRIPTION_TYPES)
    return bool(ranked) and ranked[0] == "text/html"

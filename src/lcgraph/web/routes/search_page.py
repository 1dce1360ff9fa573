"""The /search page's context: hits with their links, facet values with labels and
filter links, paging links (templates/search.html; the routes are in `search`)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import QueryParams

from lcgraph.pages.urls import Urls
from lcgraph.search import Searcher
from lcgraph.web.routes.search_params import Asked


def results(searcher: Searcher, ask: Asked, query: QueryParams, urls: Urls) -> dict[str, Any]:
    result = ask.search(searcher)  # every facet counted: the page shows them all
    lang, offset, limit = ask.lang, ask.offset, ask.limit
    shown = {iri for counts in result.facets.values() for iri in counts}
    shown |= {c for hit in result.hits for c in hit.classes}
    labels = searcher.labels(sorted(shown | {v for vs in ask.filters.values() for v in vs}), lang)
    hits = [
        {"hit": hit, "href": urls.html(hit.iri, lang) or hit.iri, "classes": hit.classes}
        for hit in result.hits
    ]
    facets = {
        name: [
            {
                "iri": iri,
                "label": labels.get(iri) or short(iri),
                "count": count,
                "active": iri in ask.filters.get(name, []),
                "href": toggle(query, name, iri),
            }
            for iri, count in counts.items()
        ]
        for name, counts in result.facets.items()
        if counts
    }
    return {
        "result": result,
        "hits": hits,
        "facets": facets,
        "labels": labels,
        "short": short,
        "first": offset + 1,
        "last": offset + len(result.hits),
        "previous": with_params(query, offset=max(0, offset - limit)) if offset else None,
        "next": with_params(query, offset=offset + limit)
        if offset + limit < result.total
        else None,
    }


def with_params(query: QueryParams, **changes: Any) -> str:
    """/search with `query`'s parameters, some of them changed."""
    items = [(k, v) for k, v in query.multi_items() if k not in changes]
    items += [(k, str(v)) for k, v in changes.items() if v not in (None, 0)]
    return "/search?" + str(QueryParams(items)) if items else "/search"


def toggle(query: QueryParams, name: str, value: str) -> str:
    """/search with filter `name=value` added, or removed if it is there; back to page 1."""
    items = [(k, v) for k, v in query.multi_items() if k != "offset"]
    if (name, value) in items:
        items.remove((name, value))
    else:
        items.append((name, value))
    return "/search?" + str(QueryParams(items))


def short(iri: str) -> str:
    """The end of an IRI, after its last # or /: a label for a term the graph does not name."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri

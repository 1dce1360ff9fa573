"""What a search request asks, read from its query string (`lcgraph.web.routes.search`).

A value the routes cannot use (`lang=fr`, `limit=ten`) raises SearchError, which the routes
answer with a 400 in the one error shape, as they answer a query the index refuses.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from starlette.datastructures import QueryParams

from lcgraph.pages.urls import LANGUAGES, choose_language
from lcgraph.search import FACETS, Searcher, SearchError, SearchResult
from lcgraph.web.routes.search_openapi import PAGE_SIZE


@dataclass(frozen=True)
class Asked:
    """A search as asked: the text, the language, the page, the filters by facet."""

    q: str
    lang: str
    limit: int
    offset: int
    filters: dict[str, list[str]]

    def search(self, searcher: Searcher, facets: bool | Collection[str] = True) -> SearchResult:
        """This page of hits from `searcher`; `facets` as `Searcher.search` counts them."""
        return searcher.search(
            self.q,
            lang=self.lang,
            limit=self.limit,
            offset=self.offset,
            filters=self.filters,
            facets=facets,
        )


def asked(query: QueryParams, accept_language: str | None) -> Asked:
    return Asked(
        q=query.get("q", ""),
        lang=language(query, accept_language),
        limit=whole_number(query, "limit", PAGE_SIZE),
        offset=whole_number(query, "offset", 0),
        filters={  # an empty value (a form's blank choice) filters nothing
            name: values for name in FACETS if (values := [v for v in query.getlist(name) if v])
        },
    )


def facets_asked(query: QueryParams) -> tuple[str, ...]:
    """The facets the JSON asks to count (`facets=class,region` or repeated); none by
    default, as Elasticsearch counts only the aggregations a request names: the counts
    cost as much as the search (docs/search.md, "Speed"). The HTML page counts them all."""
    return tuple(
        name.strip()
        for value in query.getlist("facets")
        for name in value.split(",")
        if name.strip()
    )


def language(query: QueryParams, accept_language: str | None) -> str:
    asked = query.get("lang")
    if asked is not None and asked not in LANGUAGES:
        raise SearchError(f"lang must be one of {', '.join(LANGUAGES)}, not {asked!r}")
    return choose_language(asked, accept_language)


def whole_number(query: QueryParams, name: str, default: int) -> int:
    value = query.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise SearchError(f"{name} must be a whole number, not {value!r}") from None

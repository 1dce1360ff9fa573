"""Full-text search on the web (issue 15): the /search page, /api/search and /api/suggest.

    GET /search?q=…[&class=…&topsector=…&region=…&offset=…]   HTML; JSON by Accept
    GET /search.json?q=…                                      JSON
    GET /api/search?q=…&lang=nl&limit=20&offset=0[&facets=class,topsector,region]
                                                              JSON (OpenAPI-documented)
    GET /api/suggest?q=leerg&lang=nl&limit=10[&class=…]       (iri, label, page) for a box

Each request reads the store's revision once and searches that revision's index, so its
hits belong to the graph it names (`revision` in the JSON). /api/search and /api/suggest
are hot (`lcgraph.web.edge`): the edge answers them past FastAPI's routing, and their
OpenAPI parameters are declared in `search_openapi`. Bad input is a 400 in the one error
shape (type SearchError), never a 500.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from lcgraph.lru import LRU
from lcgraph.pages.urls import LANGUAGES, Urls, choose_language
from lcgraph.search import MAX_SUGGESTIONS, Searcher, SearchError
from lcgraph.search.location import cached_searcher, searcher_for
from lcgraph.web import negotiation
from lcgraph.web.deps import iris_of, made_once, settings_of, store_of
from lcgraph.web.edge import hot
from lcgraph.web.errors import error_response
from lcgraph.web.routes import search_page as page
from lcgraph.web.routes import search_params as params
from lcgraph.web.routes.linked_data import render_template
from lcgraph.web.routes.search_openapi import (
    SEARCH_PARAMETERS,
    SUGGEST_PARAMETERS,
    SearchModel,
    SuggestionModel,
)

router = APIRouter(tags=["search"])
TAG_DESCRIPTION = "Full-text search over labels, definitions, descriptions and notes."
JSON_TYPE = "application/json"


@router.get(
    "/api/search",
    response_model=SearchModel,
    summary="Search the graph",
    openapi_extra={"parameters": SEARCH_PARAMETERS},
)
@hot
async def api_search(request: Request) -> Response:
    """Hits with snippets and the total; facet counts when asked (`facets`); filters by
    class, topsector, region."""
    return await search_json(request)


@router.get(
    "/api/suggest",
    response_model=list[SuggestionModel],
    summary="Complete a label",
    openapi_extra={"parameters": SUGGEST_PARAMETERS},
)
@hot
async def api_suggest(request: Request) -> Response:
    """Up to ten labels whose words start as `q` does (for a search box as one types, and
    the value autocomplete of /explore, which names the class it wants)."""
    return await _kept(request, _suggestions)


async def _suggestions(request: Request, revision: str | None) -> list[dict[str, str]]:
    query = request.query_params
    lang = params.language(query, request.headers.get("accept-language"))
    limit = params.whole_number(query, "limit", MAX_SUGGESTIONS)
    _, searcher = await _searcher(request, revision)
    classes = [c for c in query.getlist("class") if c]
    found = searcher.suggest(query.get("q", ""), lang=lang, limit=limit, classes=classes)
    urls = Urls(iris_of(request))
    return [{"iri": i, "label": label, "page": _page(urls, i)} for i, label in found]


@router.get("/search", response_model=None, include_in_schema=False)
async def search_html(request: Request) -> Response:
    if negotiation.rank(request.headers.get("accept"), ["text/html", JSON_TYPE])[:1] == [JSON_TYPE]:
        return await search_json(request)
    return await _html(request)


@router.get("/search.json", response_model=None, include_in_schema=False)
async def search_page_json(request: Request) -> Response:
    return await search_json(request)


async def search_json(request: Request) -> Response:
    """The JSON answer of /api/search and /search.json, kept per revision (`_kept`)."""
    return await _kept(request, _search_body)


async def _search_body(request: Request, revision: str | None) -> dict[str, Any]:
    ask = params.asked(request.query_params, request.headers.get("accept-language"))
    revision, searcher = await _searcher(request, revision)
    result = ask.search(searcher, facets=params.facets_asked(request.query_params))
    urls = Urls(iris_of(request))
    return {
        "query": ask.q,
        "lang": ask.lang,
        "revision": revision,
        "total": result.total,
        "limit": ask.limit,
        "offset": ask.offset,
        "hits": [{**hit.__dict__, "page": _page(urls, hit.iri)} for hit in result.hits],
        "facets": result.facets,
    }


async def _kept(
    request: Request, answer: Callable[[Request, str | None], Awaitable[Any]]
) -> Response:
    """The JSON of `answer(request, revision)`, kept per revision (`result_cache_entries`,
    as /sparql's results): popular searches and a box's repeated prefixes cost a dictionary
    lookup; a build changes the revision and so the keys. A SearchError is a 400, not kept.
    """
    cache = _cache(request)
    revision = store_of(request).revision()
    key = _cache_key(request, revision)
    cached = cache.get(key)
    if cached is not None:
        return _json_bytes(cached)
    try:
        body = await answer(request, revision)
    except SearchError as err:
        return error_response(400, str(err), "SearchError")
    response = _json(body)
    cache.put(key, bytes(response.body))
    return response


def _cache_key(request: Request, revision: str | None) -> tuple[str | None, str, bytes, str | None]:
    """What an answer depends on: the revision, the URL and the language asked for (read
    from the ASGI scope: Starlette's `request.url` object is not needed for them)."""
    scope = request.scope
    return (revision, scope["path"], scope["query_string"], request.headers.get("accept-language"))


async def _searcher(request: Request, revision: str | None = None) -> tuple[str, Searcher]:
    """The live revision (or `revision`, read before) and its searcher; its index is built
    first if it has none."""
    store = store_of(request)
    if revision is None:
        revision = store.revision()
    if revision is None:
        raise SearchError("nothing to search yet: no graph has been built")
    searcher = cached_searcher(store, revision)
    if searcher is None:  # opening (or building) an index reads files: not on the loop
        searcher = await run_in_threadpool(searcher_for, store, revision)
    return revision, searcher


def _page(urls: Urls, iri: str) -> str:
    return urls.page_path(iri) or iri


def _json(body: Any) -> Response:
    # orjson: 3.6 us a page of 20 hits against 48.5 us for the stdlib's encoder (compact,
    # UTF-8), byte for byte the same answer (benchmarks/search.py's 500 two-word queries)
    return _json_bytes(orjson.dumps(body))


def _json_bytes(body: bytes) -> Response:
    return Response(body, media_type=JSON_TYPE, headers={"Vary": "Accept-Language"})


_Answers = LRU[tuple[Any, ...], bytes]  # JSON bodies; keys start with the store revision


def _cache(request: Request) -> _Answers:
    """The app's search answers, made on first use (sized like the /sparql result cache)."""
    return made_once(
        request,
        "search_answers",
        lambda: _Answers(settings_of(request).service.result_cache_entries),
    )


async def _html(request: Request) -> Response:
    """The search page: a form, and for a query its hits, facets and paging links."""
    query = request.query_params
    lang = choose_language(query.get("lang"), request.headers.get("accept-language"))
    iris = iris_of(request)
    context: dict[str, Any] = {
        "lang": lang,
        "title": "Zoeken" if lang == "nl" else "Search",
        "section": "search",
        "query": query.get("q", ""),
        "languages": {code: page.with_params(query, lang=code) for code in LANGUAGES},
        "result": None,
        "error": None,
    }
    status = 200
    if context["query"]:
        try:
            ask = params.asked(query, request.headers.get("accept-language"))
            _, searcher = await _searcher(request)
            context.update(page.results(searcher, replace(ask, lang=lang), query, Urls(iris)))
        except SearchError as err:
            context["error"], status = str(err), 400
    body = render_template(request, "search.html", context, iris)
    return Response(body, status, media_type="text/html; charset=utf-8")

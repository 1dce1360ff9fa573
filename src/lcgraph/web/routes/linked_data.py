"""/id/… → 303 → /doc/…, and /doc/…, /def/… as HTML or RDF (Cool URIs; issue 5).

A request path names the IRI `{base}{path}` whatever host it reached, so a service on
localhost answers for https://w3id.org/lcgraph. Pages are read from the live store in this
process (a few index lookups) and kept in a small cache keyed by the store revision, with a
strong ETag; a build changes the revision and so invalidates them. The format comes from a
suffix (`.ttl` …, see `pages.urls`) or else from `Accept`; the language from the path,
`?lang=`, or `Accept-Language`. Unknown IRIs get a 404 page for browsers and the JSON error
shape for everyone else.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lcgraph.iris import Iris
from lcgraph.lru import LRU
from lcgraph.pages import datasets
from lcgraph.pages import describe as describing
from lcgraph.pages.urls import LANGUAGES, Urls, Variant, choose_language, html_path, parse_variant
from lcgraph.releases import changelog
from lcgraph.store import Reader
from lcgraph.web import negotiation, rendering
from lcgraph.web.deps import iris_of, made_once, settings_of, store_of, templates_of
from lcgraph.web.errors import HttpProblem
from lcgraph.web.rendering import Page, Renderer

router = APIRouter(tags=["linked data"])
PAGE_TYPES = ["text/html", *negotiation.GRAPH_TYPES]
CACHE_ENTRIES = 2048


PageCache = LRU[tuple[str, ...], Page]  # rendered pages; keys start with the store revision


def page_cache(request: Request) -> PageCache:
    """The app's page cache, made on first use."""
    return made_once(request, "page_cache", lambda: PageCache(CACHE_ENTRIES))


@router.get("/id/{path:path}", response_model=None, include_in_schema=False)
def see_other(path: str, request: Request) -> Response:
    """303 See Other from the thing to the page about it; 404 when the graph lacks it."""
    store, iris = _store(request), iris_of(request)
    iri = Urls(iris).iri_for("id", path)
    if not rendering.valid_iri(iri) or not describing.exists(store, iri):
        return not_found(request, iri)
    return RedirectResponse(f"/doc/{path}", status_code=303, headers={"Vary": "Accept"})


@router.get("/doc/{path:path}", response_model=None, include_in_schema=False)
async def document(path: str, request: Request) -> Response:
    return await serve(request, "doc", path)


@router.get("/def/{path:path}", response_model=None, include_in_schema=False)
async def definition(path: str, request: Request) -> Response:
    return await serve(request, "def", path)


async def serve(request: Request, area: str, path: str) -> Response:
    """The page or RDF twin of `{area}/{path}`, from the cache when the revision allows.

    A cached page is answered here on the event loop; only rendering (index reads, labels,
    the template) goes to a thread, so a repeated visit costs no thread hand-off.
    """
    variant = parse_variant(path)
    fmt = variant.fmt or _negotiate(request.headers.get("accept"))
    lang = variant.lang or choose_language(
        request.query_params.get("lang"), request.headers.get("accept-language")
    )
    store, iris = _store(request), iris_of(request)
    iri = Urls(iris).iri_for(area, variant.key)
    revision = store_of(request).revision() or ""
    log = changelog.load(settings_of(request).history)  # a page shows its dates
    key = (revision, log.token, iri, fmt, lang if fmt == "html" else "", str(variant.page))
    cache = page_cache(request)
    page = cache.get(key)
    if page is None:
        page = await run_in_threadpool(render, request, store, iris, iri, variant, fmt, lang, log)
        if page is None:
            return not_found(request, iri)
        page = _with_etag(page, key)
        cache.put(key, page)
    return _respond(request, page, variant.fmt is None)


def render(
    request: Request,
    store: Reader,
    iris: Iris,
    iri: str,
    variant: Variant,
    fmt: str,
    lang: str,
    log: changelog.ChangeLog,
) -> Page | None:
    """Render one page or twin; None when the store does not know `iri` (or no such page)."""
    # only a page credits its sources (datasets.yaml's): a twin reads no YAML
    sources = datasets.load(settings_of(request).data, iris) if fmt == "html" else []
    renderer = Renderer(store, iris, templates_of(request).env, sources, log)
    description = renderer.describe(iri, fmt)
    if description is None:
        return None
    if fmt != "html":
        return renderer.twin(description, fmt)
    return renderer.html(description, lang, variant.page)


def render_template(request: Request, name: str, context: dict[str, Any], iris: Iris) -> bytes:
    """A template with the globals every page needs (`rendering.render_template`)."""
    return rendering.render_template(templates_of(request).env, name, context, iris)


def not_found(request: Request, iri: str) -> Response:
    """404: a page for a browser, the one JSON error shape for everyone else."""
    if not negotiation.wants_html(request.headers.get("accept")):
        raise HttpProblem(404, f"the graph says nothing about <{iri}>")
    lang = choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    context = {
        "lang": lang,
        "title": "404",
        "iri": iri,
        "path": request.url.path,
        "languages": {code: html_path("/", code) for code in LANGUAGES},
    }
    body = render_template(request, "not_found.html", context, iris_of(request))
    return Response(body, status_code=404, media_type="text/html; charset=utf-8")


def _negotiate(accept: str | None) -> str:
    ranked = negotiation.rank(accept, PAGE_TYPES)
    if not ranked:
        raise HttpProblem(406, "pages are available as " + ", ".join(PAGE_TYPES))
    return "html" if ranked[0] == "text/html" else negotiation.GRAPH_TYPES[ranked[0]]


def _with_etag(page: Page, key: tuple[str, ...]) -> Page:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=10).hexdigest()
    return Page(page.body, page.media_type, {**page.headers, "ETag": f'"{digest}"'}, page.status)


def _respond(request: Request, page: Page, negotiated: bool) -> Response:
    headers = dict(page.headers)
    headers["Vary"] = "Accept, Accept-Language" if negotiated else "Accept-Language"
    if page.headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(page.body, status_code=page.status, media_type=page.media_type, headers=headers)


def _store(request: Request) -> Reader:
    return store_of(request).reader()

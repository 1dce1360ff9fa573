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
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pyoxigraph import NamedNode, Triple
from starlette.concurrency import run_in_threadpool

from lcgraph import formats
from lcgraph.iris import Iris
from lcgraph.pages import datasets, profile, terms, twins, view
from lcgraph.pages import describe as describing
from lcgraph.pages.urls import LANGUAGES, Urls, Variant, choose_language, html_path, parse_variant
from lcgraph.releases import changelog
from lcgraph.store import Reader
from lcgraph.web import negotiation
from lcgraph.web.errors import HttpProblem

router = APIRouter(tags=["linked data"])
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
PAGE_TYPES = ["text/html", *negotiation.GRAPH_TYPES]
FORMAT_NAMES = {f.name: f.label for f in formats.graph_formats()}  # the RDF twins
MEDIA_TYPES = {fmt: negotiation.media_type(fmt) for fmt in FORMAT_NAMES}
KIND_NAMES = {
    "Class": ("Classes", "Klassen"),
    "ObjectProperty": ("Object properties", "Objecteigenschappen"),
    "DatatypeProperty": ("Datatype properties", "Datatype-eigenschappen"),
    "AnnotationProperty": ("Annotation properties", "Annotatie-eigenschappen"),
    "Property": ("Properties", "Eigenschappen"),
}
RDFS_IS_DEFINED_BY = "http://www.w3.org/2000/01/rdf-schema#isDefinedBy"
CACHE_ENTRIES = 2048
_FORBIDDEN = set('<>"{}|^`\\ ')


@dataclass(frozen=True)
class Page:
    """A rendered page or RDF twin, as cached and sent."""

    body: bytes
    media_type: str
    headers: dict[str, str]
    status: int = 200


class PageCache:
    """LRU of rendered pages; keys start with the store revision."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self.entries = entries
        self._items: OrderedDict[tuple[str, ...], Page] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> Page | None:
        page = self._items.get(key)
        if page is not None:
            self._items.move_to_end(key)
        return page

    def put(self, key: tuple[str, ...], page: Page) -> None:
        self._items[key] = page
        while len(self._items) > self.entries:
            self._items.popitem(last=False)


def page_cache(request: Request) -> PageCache:
    """The app's page cache, made on first use (app.py is not ours to extend)."""
    state = request.app.state
    if getattr(state, "page_cache", None) is None:
        state.page_cache = PageCache()
    cache: PageCache = state.page_cache
    return cache


@router.get("/id/{path:path}", response_model=None, include_in_schema=False)
def see_other(path: str, request: Request) -> Response:
    """303 See Other from the thing to the page about it; 404 when the graph lacks it."""
    store, iris = _store(request), _iris(request)
    iri = Urls(iris).iri_for("id", path)
    if not _valid(iri) or not describing.exists(store, iri):
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
    store, iris = _store(request), _iris(request)
    iri = Urls(iris).iri_for(area, variant.key)
    revision = request.app.state.store.revision() or ""
    log = changelog.load(request.app.state.settings.history)  # a page shows its dates
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
    if not _valid(iri):
        return None
    # an RDF twin holds the resource's own statements: no incoming links to read
    description = describing.describe(store, iri, max_incoming=None if fmt == "html" else 0)
    if description is None:
        return None
    namespace = terms.vocabulary_namespace(description)
    if fmt != "html":
        stated = {s.predicate.value for s in description.statements}
        triples = description.triples() + changelog.dated(log, iri, stated)
        if namespace is not None and namespace.endswith("#"):
            # a hash term (lcs:query) dereferences to this document: its twin holds them all
            triples += _hash_terms(store, iri)
        body = twins.to_bytes(triples, fmt, iris.prefixes)
        return Page(body, MEDIA_TYPES[fmt], {})
    context = view.resource_context(description, store, iris, lang, variant.page)
    if variant.page > int(context["pages"]):  # type: ignore[call-overload]
        return None
    labeller = context["labeller"]
    context["history"] = changelog.page_history(log, iri)
    # an organisation's or a funded project's facts with their sources (datasets.yaml's)
    sources = datasets.load(request.app.state.settings.data, iris)
    context["profile"] = profile.profile(description, labeller, sources)  # type: ignore[arg-type]
    context["term"] = terms.term_facts(description, store, labeller)  # type: ignore[arg-type]
    if namespace is not None:
        context["ontology_terms"] = terms.ontology_terms(store, labeller, namespace)  # type: ignore[arg-type]
    body = render_template(request, "term.html", context, iris)
    return Page(body, "text/html; charset=utf-8", {"Link": _link_header(context)})


def _hash_terms(store: Reader, iri: str) -> list[Triple]:
    """The triples of every `<iri>#…` term that says it is defined by `iri`, each once."""
    defined_by = NamedNode(RDFS_IS_DEFINED_BY)
    found: dict[Triple, None] = {}
    for quad in store.quads_for_pattern(None, defined_by, NamedNode(iri), None):
        subject = quad.subject
        if isinstance(subject, NamedNode) and subject.value.startswith(iri + "#"):
            term = describing.describe(store, subject.value, max_incoming=0)
            for triple in term.triples() if term is not None else []:
                found.setdefault(triple)
    return list(found)


def render_template(request: Request, name: str, context: dict[str, Any], iris: Iris) -> bytes:
    """A template with the globals every page needs (formats, licence, graph names)."""
    env = request.app.state.templates.env
    full = {
        "media_types": MEDIA_TYPES,
        "format_names": FORMAT_NAMES,
        "licence": LICENCE,
        "inferred_graph": iris.inferred_graph,
        "kind_names": KIND_NAMES,
        **context,
    }
    return str(env.get_template(name).render(full)).encode()


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
    body = render_template(request, "not_found.html", context, _iris(request))
    return Response(body, status_code=404, media_type="text/html; charset=utf-8")


def _negotiate(accept: str | None) -> str:
    ranked = negotiation.rank(accept, PAGE_TYPES)
    if not ranked:
        raise HttpProblem(406, "pages are available as " + ", ".join(PAGE_TYPES))
    return "html" if ranked[0] == "text/html" else negotiation.GRAPH_TYPES[ranked[0]]


def _link_header(context: dict[str, Any]) -> str:
    twins: dict[str, str] = context["twins"]
    return ", ".join(
        f'<{href}>; rel="alternate"; type="{MEDIA_TYPES[fmt].split(";")[0]}"'
        for fmt, href in twins.items()
    )


def _with_etag(page: Page, key: tuple[str, ...]) -> Page:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=10).hexdigest()
    return Page(page.body, page.media_type, {**page.headers, "ETag": f'"{digest}"'}, page.status)


def _respond(request: Request, page: Page, negotiated: bool) -> Response:
    headers = dict(page.headers)
    headers["Vary"] = "Accept, Accept-Language" if negotiated else "Accept-Language"
    if page.headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(page.body, status_code=page.status, media_type=page.media_type, headers=headers)


def _valid(iri: str) -> bool:
    return not (_FORBIDDEN & set(iri))


def _store(request: Request) -> Reader:
    store: Reader = request.app.state.store.reader()
    return store


def _iris(request: Request) -> Iris:
    return Iris(request.app.state.settings.base_iri)

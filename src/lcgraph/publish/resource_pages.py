"""The static site's resource pages and RDF twins, rendered straight from the page model.

The site used to ask the app, in process over ASGI, for every file. On the real network
(14,258 resources, ~100,000 files) that took more than 15 minutes (issue 13), and the
profile said why: 8.8 ms a file, of which FastAPI's routing (`_match` over ~200 routes,
1.3 ms), the middleware and the thread hand-off were a third, and each of a resource's
seven files (`.html`, `.en.html`, `.nl.html`, four twins) read its description again.
Here the answer for a `/doc/…` or `/def/…` path comes from `web.rendering.Renderer`, the
renderer the page route uses, with one description per resource for all its files, so a
file holds the bytes the service sends. Paths that other routes own (`/doc/query/{name}`),
negotiated ones (no suffix) and anything with a query, fragment or escape are left to the app.
Measured on the real network (116,298 files, the same bytes): 34 min 53 s (742 s CPU) before,
2 min 25 s (134 s CPU) after, with labels read once per site (`Renderer.labels`) and the
templates importing `tr` from i18n.html; what is left is mostly Jinja rendering.
"""

from __future__ import annotations

from lcgraph.lru import LRU
from lcgraph.pages.describe import Description
from lcgraph.pages.urls import DEFAULT_LANGUAGE, Urls, parse_variant
from lcgraph.web.rendering import Page, Renderer

QUERY_PAGES = "/doc/query/"  # `/doc/query/{name}`: the named queries' routes own these
KEPT = 8  # descriptions kept: a resource's files and its later page-n links reuse one


class ResourcePages:
    """Answers a site path from the renderer: (body, media type), or None for no page."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.urls = Urls(renderer.iris)
        self._descriptions: LRU[str, Description | None] = LRU(KEPT)
        self._html_of = ""  # the resource whose HTML pages `_html` holds
        self._html: dict[tuple[str, int], Page | None] = {}

    def handles(self, path: str) -> bool:
        """True for a page or twin path with a suffix that `routes.linked_data` serves."""
        area, _, rest = path.lstrip("/").partition("/")
        if area not in ("doc", "def") or not rest or any(c in path for c in "?#%"):
            return False
        if path.startswith(QUERY_PAGES) and "/" not in path[len(QUERY_PAGES) :]:
            return False
        return parse_variant(rest).fmt is not None

    def answer(self, path: str) -> tuple[bytes, str] | None:
        """The 200 answer to `path` (one that `handles`), or None where the app says 404."""
        area, _, rest = path.lstrip("/").partition("/")
        variant = parse_variant(rest)
        fmt = variant.fmt or "html"
        iri = self.urls.iri_for(area, variant.key)
        description = self._describe(iri)
        if description is None:
            return None
        if fmt != "html":
            page: Page | None = self.renderer.twin(description, fmt)
        else:
            page = self._page(description, variant.lang or DEFAULT_LANGUAGE, variant.page)
        return None if page is None else (page.body, page.media_type)

    def _describe(self, iri: str) -> Description | None:
        if iri in self._descriptions:
            return self._descriptions.get(iri)
        description = self.renderer.describe(iri, "html")  # its triples() are the twins' too
        self._descriptions.put(iri, description)
        return description

    def _page(self, description: Description, lang: str, number: int) -> Page | None:
        """`.html` and `.en.html` are one page (English when no language is asked for)."""
        if self._html_of != description.iri:
            self._html_of, self._html = description.iri, {}
        key = (lang, number)
        if key not in self._html:
            self._html[key] = self.renderer.html(description, lang, number)
        return self._html[key]

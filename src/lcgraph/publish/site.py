"""The static site: every page and RDF twin the service would send, written as files.

A static host serves what the service sends: the resource pages and twins (nearly every
file) are rendered by the renderer of the service's page route (`publish.resource_pages`,
`web.rendering`), the rest (landing page, named queries' pages, change feed) is asked of the
real app in process over ASGI; every page's links are made relative (`publish.links`): pages
link to explicit files (`doc/t/r.en.html`, `doc/t/r.ttl`; see `pages.urls`), so a plain
file host under any path, and a browser opening `file://`, follow them. `/id/…` files are
redirect stubs. The named queries' pages (`/doc/query/{name}`) are seeds too, written as
`doc/query/{name}.html`; their form needs the service, and the page says so when it finds
none. Links to the parts that need the service (SPARQL editor, query API, dashboard:
`links.SERVICE_ONLY`) point to the live service given as `endpoint`, or are left out; links
with a query string are not crawled, since a file host cannot tell them apart.
"""

from __future__ import annotations

import asyncio
import html
import posixpath
import re
import shutil
from collections import deque
from pathlib import Path

import httpx
from pyoxigraph import NamedNode

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import load_queries
from lcgraph.pages import datasets
from lcgraph.pages.urls import EXTENSIONS, LANGUAGES, Urls, html_path
from lcgraph.publish.links import SERVICE_ONLY, for_file_host, relative, stored_path
from lcgraph.publish.resource_pages import ResourcePages
from lcgraph.releases import changelog, feed
from lcgraph.store import Reader
from lcgraph.web import rendering
from lcgraph.web.rendering import Renderer

_HREF = re.compile(r'(?:href|src)="([^"#]*)[^"]*"')
STATIC_FILES = ("site.css", "search.js")  # search.js: the header box (inert without it)


def internal_links(page: str, service: bool = False) -> list[str]:
    """Root-relative link targets of an HTML page, without fragments.

    Links to `SERVICE_ONLY` paths are left out unless `service` (a crawl of the live service).
    """
    found = (html.unescape(m) for m in _HREF.findall(page))
    return [
        u
        for u in found
        if u.startswith("/")
        and not u.startswith("//")
        and (service or not u.startswith(SERVICE_ONLY))
    ]


def resource_paths(store: Reader, iris: Iris) -> list[str]:
    """Page paths of every IRI in the store that we serve (/id/ → /doc/, /def/).

    A hash IRI (`/def/search#label`) has no page of its own: its document's page lists it,
    and a file named `search#label.html` could not be fetched (`#` starts a fragment)."""
    urls = Urls(iris)
    seen: set[str] = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.object):
            if isinstance(term, NamedNode) and "#" not in term.value:
                path = urls.page_path(term.value)
                if path is not None:
                    seen.add(path)
    return sorted(seen)


def query_pages(settings: Settings, iris: Iris) -> list[str]:
    """The page of each named query, `/doc/query/{name}` (as routes.query_pages.doc_path)."""
    names = load_queries(settings.queries, iris)
    return [str(iris.doc_url(iris.id_iri("query", name))).removeprefix(iris.base) for name in names]


def seed_paths(resources: list[str], queries: list[str] | None = None) -> list[str]:
    """Every file of each of the `resources` (see resource_paths): HTML in each language
    (and the default), each RDF twin; then the named queries' pages (`queries`)."""
    seeds = ["/", *(html_path("/", lang) for lang in LANGUAGES), *(queries or [])]
    for path in resources:
        seeds.append(path + ".html")
        seeds += [html_path(path, lang) for lang in LANGUAGES]
        seeds += [f"{path}.{ext}" for ext in EXTENSIONS.values() if ext != "html"]
    return seeds


def feed_paths(settings: Settings) -> list[str]:
    """The change feed as files: its collection, every page (linked from the collection
    only, so the crawl would not find them) and the Atom feed."""
    log = changelog.load(settings.history)
    pages = [feed.page_path(n) for n in range(1, feed.pages(log) + 1)]
    return ["/changes.jsonld", *pages, feed.ATOM_PATH]


def write_site(settings: Settings, out: Path, store: Reader, endpoint: str | None = None) -> int:
    """Render the site into `out` (pages, twins, redirect stubs, CSS); the number of files.

    `endpoint`: the root URL of a live service that the links to the SPARQL editor, the
    query API and the dashboard go to; None leaves those links out."""
    iris = Iris(settings.base_iri)
    resources = resource_paths(store, iris)  # a walk over every quad: once
    seeds = seed_paths(resources, query_pages(settings, iris)) + feed_paths(settings)
    pages = ResourcePages(_renderer(settings, store, iris))
    count = asyncio.run(_crawl(settings, out, seeds, endpoint, pages))
    count += _redirect_stubs(out, resources)
    static = Path(__file__).resolve().parents[1] / "web" / "static"
    for name in STATIC_FILES:
        (out / "static").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(static / name, out / "static" / name)
    return count + len(STATIC_FILES)


def _renderer(settings: Settings, store: Reader, iris: Iris) -> Renderer:
    """The renderer the service's page route uses, over `store`; the log read now, so the
    pages name the release that was just kept."""
    env = rendering.templates().env
    log = changelog.load(settings.history, fresh=True)
    return Renderer(store, iris, env, datasets.load(settings.data, iris), log)


async def _crawl(
    settings: Settings, out: Path, seeds: list[str], endpoint: str | None, pages: ResourcePages
) -> int:
    """Answer the seeds and every internal link they reach; write each 200 answer.

    Resource pages and twins (nearly every file) come from `pages`; the rest (landing page,
    named queries' pages, change feed) from the app, in process over ASGI."""
    from lcgraph.web.app import create_app  # the site is the app's output; web is upstream

    app = create_app(settings)
    todo, seen, written = deque(seeds), set(seeds), 0
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://site") as client:
            while todo:
                path = todo.popleft()
                answer = pages.answer(path) if pages.handles(path) else await _fetch(client, path)
                if answer is None:
                    continue
                body, media_type = answer
                target = out / stored_path(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                written += 1
                if not media_type.startswith("text/html"):
                    target.write_bytes(body)
                    continue
                text = body.decode("utf-8")
                target.write_text(for_file_host(text, path, endpoint))
                for link in internal_links(text):
                    if link not in seen and not link.startswith("/static/") and "?" not in link:
                        seen.add(link)
                        todo.append(link)
    return written


async def _fetch(client: httpx.AsyncClient, path: str) -> tuple[bytes, str] | None:
    """The app's 200 answer to GET `path` (body, media type), else None."""
    response = await client.get(path)
    if response.status_code != 200:
        return None
    return response.content, response.headers.get("content-type", "")


def _redirect_stubs(out: Path, resources: list[str]) -> int:
    """`/id/t/r.html`: a page that sends the browser on to `/doc/t/r.html` (a static 303)."""
    count = 0
    for path in resources:
        # a resource with no page (only named, e.g. by a change activity after its removal)
        # gets no stub: the stub would point nowhere
        if not path.startswith("/doc/") or not (out / stored_path(path + ".html")).is_file():
            continue
        stub_path = "/id/" + path.removeprefix("/doc/") + ".html"
        target = relative(path + ".html", posixpath.dirname(stored_path(stub_path)))
        stub = out / stored_path(stub_path)
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(
            f'<!doctype html><meta charset="utf-8"><title>See {target}</title>'
            f'<meta http-equiv="refresh" content="0; url={target}">'
            f'<link rel="canonical" href="{target}"><a href="{target}">{target}</a>\n'
        )
        count += 1
    return count

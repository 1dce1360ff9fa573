"""Offline means offline (issue 12, item 2): no page of the service loads anything from
another host.

Every HTML page a person can open is visited in Debian's Chromium (Playwright) on the real
service over a small built and analysed graph. The browser context routes every request:
one to 127.0.0.1 goes on, any other is aborted and RECORDED, and a page fails if it tried
one. Each page must also have rendered (its `ready` condition, no `pageerror`): a blank
page whose script never loaded would otherwise pass.

To cover a new page, add a row to PAGES.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from support import serve_app

from lcgraph.analysis import analyze
from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.synth import write_synthetic
from lcgraph.web.app import create_app

pytestmark = pytest.mark.browser

IRIS = Iris("https://w3id.org/lcgraph")
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob", "about"}  # not network requests
RESOURCE = "{resource}"  # stands for a learning community's /doc/ path, found in the graph


@dataclass(frozen=True)
class HtmlPage:
    path: str
    ready: str  # a JavaScript expression that is true once the page has rendered
    status: int = 200


PAGES = {
    "landing": HtmlPage("/", "document.querySelector('main h1') !== null"),
    "sparql-editor": HtmlPage(
        "/sparql", "window.lcgraphEditor !== undefined && !!document.querySelector('.yasqe')"
    ),
    "api-docs": HtmlPage(  # Swagger UI drew the operations of the OpenAPI document
        "/api/docs", "document.querySelectorAll('.opblock').length > 3"
    ),
    "query-catalogue": HtmlPage("/api/queries", "!!document.querySelector('#catalogue tbody tr')"),
    "query-page": HtmlPage(
        "/doc/query/communities-per-sector", "!!document.querySelector('form#run')"
    ),
    "query-results": HtmlPage(
        "/api/queries/communities-per-sector", "document.querySelector('main h1') !== null"
    ),
    "resource": HtmlPage(RESOURCE, "!!document.querySelector('table.statements')"),
    "term": HtmlPage("/def/lc/LearningCommunity", "document.querySelector('main h1') !== null"),
    "dashboard": HtmlPage(
        "/dashboard?lang=en",
        "window.lcgraphDashboard && window.lcgraphDashboard.done"
        " && window.lcgraphDashboard.error === null"
        " && !!document.querySelector('#sector-heatmap canvas')",
    ),
    "search": HtmlPage(  # issue 15: hits, and the header box's script loaded
        "/search?q=learning+community&lang=en",
        "!!document.querySelector('li.hit a') && window.lcgraphSearchBox !== undefined",
    ),
    "not-found": HtmlPage(
        "/doc/organisation/nobody", "document.querySelector('main h1') !== null", 404
    ),
}


@pytest.fixture(scope="module")
def offline_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A small synthetic graph, built and analysed, so that /dashboard draws its charts."""
    root = tmp_path_factory.mktemp("offline")
    write_synthetic(root / "data", orgs=120, communities=40, seed=7)
    settings = Settings(
        store=str(root / "store"), data=root / "data", reasoner=False, query_workers=1
    )
    build(settings)
    store = EmbeddedStore(root / "store")
    analyze(store, settings)
    store.close()
    return settings


@pytest.fixture(scope="module")
def server(offline_settings: Settings) -> Iterator[str]:
    with serve_app(create_app(offline_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def resource_path(offline_settings: Settings) -> str:
    store = EmbeddedStore(offline_settings.store)
    try:
        rows = store.query(
            "SELECT ?lc WHERE { ?lc a lc:LearningCommunity } ORDER BY ?lc LIMIT 1",
            prefixes=IRIS.prefixes,
        )
        iri = next(iter(rows))["lc"].value
    finally:
        store.close()
    return "/doc/" + iri.removeprefix(IRIS.base + "/id/")


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_renders_with_nothing_from_another_host(
    browser: Browser, server: str, resource_path: str, name: str
) -> None:
    page = PAGES[name]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    elsewhere: list[str] = []
    errors: list[str] = []

    def route(request_route: Route) -> None:
        if _is_local(request_route.request.url):
            request_route.continue_()
        else:
            elsewhere.append(request_route.request.url)
            request_route.abort("blockedbyclient")

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = tab.goto(server + page.path.replace(RESOURCE, resource_path), wait_until="load")
        assert response is not None and response.status == page.status
        rendered = _rendered(tab, page.ready)
    finally:
        context.close()
    assert elsewhere == [], f"{page.path} tried other hosts"
    assert errors == [], f"JavaScript errors on {page.path}"
    assert rendered, f"{page.path} did not render: {page.ready}"


def _rendered(tab: Page, ready: str) -> bool:
    """Whether `ready` became true, after which the page's own fetches are awaited too."""
    try:
        tab.wait_for_function(ready, timeout=15_000)
    except PlaywrightTimeoutError:
        return False
    tab.wait_for_load_state("networkidle")
    return True

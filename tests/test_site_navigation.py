"""One site, one frame: every HTML page has the same header, navigation and stylesheet, and
a named query runs from its page in a real browser (Debian's Chromium via Playwright).

The real service over the real build of data/sources and the project's query files.
Screenshots of the landing page, a query page (after a run), the SPARQL editor and the
dashboard go to /tmp/lcgraph-site/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from support import serve_app

from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/lcgraph-site")
NAV = {
    "en": ["Home", "SPARQL", "Queries", "Dashboard", "Explore", "Ontology"],
    "nl": ["Home", "SPARQL", "Vaste vragen", "Dashboard", "Verkennen", "Ontologie"],
}
PAGES = {  # name -> (path, the nav entry that is the current page)
    "landing": ("/", "Home"),
    "query-page": ("/doc/query/communities-per-sector", "Queries"),
    "catalogue": ("/api/queries", "Queries"),
    "sparql-editor": ("/sparql", "SPARQL"),
    "dashboard": ("/dashboard", "Dashboard"),
    "explore": ("/explore", "Explore"),
    "ontology": ("/def/lc", None),
}


@pytest.fixture(scope="module")
def site_server(curated_store: EmbeddedStore) -> Iterator[str]:
    settings = Settings(store=curated_store.location, query_workers=1)
    with serve_app(create_app(settings)) as url:
        yield url


def _tab(browser: Browser, locale: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _tab(browser, "en-GB")


@pytest.fixture
def page_nl(browser: Browser) -> Iterator[Page]:
    yield from _tab(browser, "nl-NL")


def _nav(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".site-header .site-nav a").all_inner_texts()]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_has_the_one_header_and_navigation(
    page: Page, site_server: str, name: str
) -> None:
    path, current = PAGES[name]
    response = page.goto(site_server + path, wait_until="load")
    assert response is not None and response.status == 200
    assert _nav(page) == NAV["en"]
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).display") == "flex"  # site.css applied
    assert page.locator(".site-footer a[rel=license]").count() == 1
    marked = page.locator(".site-nav a[aria-current=page]").all_inner_texts()
    assert marked == ([current] if current else [])
    box = header.bounding_box()
    assert box is not None and box["height"] < 80  # one line at 1280 px: nothing wraps over


@pytest.mark.parametrize("name", ["query-page", "sparql-editor", "catalogue", "dashboard"])
def test_navigation_follows_the_visitors_language(
    page_nl: Page, site_server: str, name: str
) -> None:
    page_nl.goto(site_server + PAGES[name][0], wait_until="load")
    assert _nav(page_nl) == NAV["nl"]
    assert page_nl.locator("html").get_attribute("lang") == "nl"
    with page_nl.expect_navigation(wait_until="load"):
        page_nl.locator(".languages a[hreflang=en]").click()
    assert _nav(page_nl) == NAV["en"]


def test_query_page_form_runs_and_shows_the_result_table(page: Page, site_server: str) -> None:
    page.goto(site_server + "/", wait_until="load")
    page.get_by_role("link", name="Learning communities per topsector").first.click()
    page.wait_for_url("**/doc/query/communities-per-sector")
    # a class-valued parameter is a drop-down of the graph's values (labels shown, IRIs sent)
    energy = page.locator("#param-sector option[value$='/def/topsector/EN']").get_attribute("value")
    assert energy is not None
    page.locator("#param-sector").select_option(energy)
    page.locator("#param-lang").select_option("en")
    page.locator("#run button[type=submit]").click()
    page.wait_for_url("**/api/queries/communities-per-sector?*")
    table = page.locator("table#results")
    table.wait_for()
    assert table.locator("tbody tr").count() > 0
    assert page.locator("#results a[href='/id/learning-community/energy-college']").count() == 1
    assert page.locator("#param-sector").input_value() == energy
    assert page.locator("#static-note").is_hidden()  # the service answers /health
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "query-page.png"), full_page=False)


@pytest.mark.parametrize("name", ["landing", "sparql-editor", "dashboard", "catalogue"])
def test_screenshot(page: Page, site_server: str, name: str) -> None:
    page.goto(site_server + PAGES[name][0], wait_until="load")
    if name == "sparql-editor":
        page.wait_for_function("window.lcgraphEditor !== undefined", timeout=10_000)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)

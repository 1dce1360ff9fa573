"""Linked-data pages in a real browser: Debian's Chromium driven by Playwright (issue 5).

The real service over the real build of data/sources; each page type is opened, checked
for what a reader sees, and screenshot to /tmp/lcgraph-pages/ for a person to look at.
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
SHOTS = Path("/tmp/lcgraph-pages")
PAGES = {  # name -> (path, text the reader must see)
    "landing": ("/", "Learning communities per topsector"),
    "resource": (
        "/doc/learning-community/rdm-makerspace",
        "RDM Makerspace - additive manufacturing",
    ),
    "class": ("/def/lc/Pilot", "Superclasses"),
    "property": ("/def/lc/sector", "Domain"),
    "scheme": ("/def/topsector", "Concepts"),
    "ontology": ("/def/lc", "Classes"),
    "not-found": ("/doc/organisation/nobody", "Not found"),
}


@pytest.fixture(scope="module")
def pages_server(curated_store: EmbeddedStore) -> Iterator[str]:
    settings = Settings(store=curated_store.location, query_workers=1)
    with serve_app(create_app(settings)) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_type_renders_with_its_stylesheet(page: Page, pages_server: str, name: str) -> None:
    path, text = PAGES[name]
    response = page.goto(pages_server + path, wait_until="load")
    assert response is not None and response.status == (404 if name == "not-found" else 200)
    assert text in page.locator("main").inner_text()
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).display") == "flex"  # site.css applied
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_language_switch_shows_dutch_labels(page: Page, pages_server: str) -> None:
    page.goto(pages_server + "/def/topsector/EN", wait_until="load")
    assert page.locator("h1").inner_text() == "Energy"
    page.get_by_role("link", name="NL", exact=True).click()
    page.wait_for_url("**/def/topsector/EN.nl.html")
    assert page.locator("h1").inner_text() == "Energie"


def test_sparql_link_opens_the_editor_with_the_pages_query(page: Page, pages_server: str) -> None:
    page.goto(pages_server + "/doc/learning-community/rdm-makerspace.en.html", wait_until="load")
    page.locator("a.sparql-link").click()
    page.wait_for_function("window.lcgraphEditor !== undefined", timeout=10_000)
    text = page.evaluate("window.lcgraphEditor.yasgui.getTab().getYasqe().getValue()")
    assert (
        "<https://w3id.org/lcgraph/id/learning-community/rdm-makerspace> ?property ?value" in text
    )

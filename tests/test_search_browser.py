"""The header search box in a real browser (issue 15): Debian's Chromium via Playwright.

A person types into the box on a page of the service, suggestions appear (from
/api/suggest), and picking one opens that resource's page; Enter without picking opens
/search. Every request to a host other than 127.0.0.1 is blocked and fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route
from support import serve_app

from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def url(small_curated_store: EmbeddedStore) -> Iterator[str]:
    settings = Settings(store=small_curated_store.location, reasoner=False, query_workers=1)
    with serve_app(create_app(settings)) as base:
        yield base


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    blocked: list[str] = []
    errors: list[str] = []

    def route(request: Route) -> None:
        if urlsplit(request.request.url).hostname == "127.0.0.1":
            request.continue_()
        else:
            blocked.append(request.request.url)
            request.abort()

    context.route("**/*", route)
    opened = context.new_page()
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert blocked == [], f"requests to other hosts: {blocked}"
    assert errors == [], f"JavaScript errors: {errors}"


def _type(page: Page, text: str) -> None:
    box = page.locator("#site-search-q")
    box.click()
    page.keyboard.type(text, delay=40)
    page.locator(f'#site-search-list[data-for="{text}"] li').first.wait_for(timeout=10_000)


def test_typing_shows_suggestions_and_a_click_opens_the_page(page: Page, url: str) -> None:
    page.goto(f"{url}/index.nl.html", wait_until="load")
    _type(page, "leerg")
    options = page.locator("#site-search-list li")
    assert 0 < options.count() <= 10
    assert options.first.inner_text() == "leergemeenschap"
    assert page.locator("#site-search-q").get_attribute("aria-expanded") == "true"
    options.first.click()
    page.wait_for_url("**/def/lc/LearningCommunity.nl.html", timeout=10_000)
    assert page.locator("main h1").inner_text().strip() != ""


def test_arrow_and_enter_pick_a_suggestion(page: Page, url: str) -> None:
    page.goto(f"{url}/def/lc.en.html", wait_until="load")
    _type(page, "leergemeenschap")
    page.keyboard.press("ArrowDown")
    assert page.locator("#site-search-list li").first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url("**/def/lc/LearningCommunity.en.html", timeout=10_000)


def test_enter_without_a_pick_opens_the_search_page(page: Page, url: str) -> None:
    page.goto(f"{url}/index.en.html", wait_until="load")
    page.locator("#site-search-q").fill("gemeensch")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**", timeout=10_000)
    first = page.locator("li.hit a").first
    assert first.inner_text() == "learning community"
    assert page.locator("li.hit .snippet b").first.inner_text() == "gemeensch"
    page.locator(".facets a").first.click()  # a facet filters
    page.wait_for_url("**class=**", timeout=10_000)
    assert page.locator("li.hit").count() > 0

"""The query editor on the curated graph in Chromium (issue 12): our IRIs link to our own
pages, query errors read as sentences, and the Dutch editor speaks Dutch."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page
from support import serve_app

from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

pytestmark = pytest.mark.browser
QUERY = (
    "SELECT ?community ?page WHERE {\n"
    "  ?community a <https://w3id.org/lcgraph/def/lc/LearningCommunity> .\n"
    "  BIND(<https://example.org/elsewhere> AS ?page)\n"
    "} ORDER BY ?community LIMIT 3"
)
BAD_QUERY = "SELECT * WHERE { ?s ?p ?o "


@pytest.fixture(scope="module")
def editor_server(curated_store: EmbeddedStore) -> Iterator[str]:
    settings = Settings(store=curated_store.location, query_workers=1)
    with serve_app(create_app(settings)) as url:
        yield url


def _editor(browser: Browser, url: str, locale: str = "en-GB") -> Page:
    context = browser.new_context(locale=locale)
    # every request not to 127.0.0.1 is refused, and fails the test
    outside: list[str] = []

    def route(r: object) -> None:
        request = r.request  # type: ignore[attr-defined]
        if urlsplit(request.url).hostname == "127.0.0.1" or request.url.startswith(
            ("data:", "blob:")
        ):
            r.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(request.url)
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    page.outside = outside  # type: ignore[attr-defined]
    page.goto(url, wait_until="load")
    page.wait_for_function("window.lcgraphEditor !== undefined", timeout=10_000)
    return page


@pytest.fixture
def editor(browser: Browser, editor_server: str) -> Iterator[Page]:
    page = _editor(browser, f"{editor_server}/sparql")
    yield page
    assert page.outside == []  # type: ignore[attr-defined]
    page.context.close()


def _run(page: Page, query: str) -> None:
    page.evaluate("q => window.lcgraphEditor.yasgui.getTab().getYasqe().setValue(q)", query)
    page.locator(".yasqe_queryButton:visible").click()


def test_a_result_iri_opens_its_page_on_this_service(editor: Page, editor_server: str) -> None:
    _run(editor, QUERY)
    link = editor.locator(".yasr table.dataTable tbody a.iri").first
    link.wait_for(timeout=15_000)
    assert link.get_attribute("data-lcgraph-iri", timeout=5_000) is not None
    outside = editor.locator(".yasr a.iri[data-lcgraph-iri='https://example.org/elsewhere']")
    assert outside.first.get_attribute("href") == "https://example.org/elsewhere"
    with editor.context.expect_page() as opened:
        link.click()
    page = opened.value
    page.wait_for_load_state("load")
    assert page.url.startswith(editor_server + "/doc/learning-community/")
    assert page.locator("h1").inner_text() != ""


def test_the_response_view_links_our_iris_to_this_service(editor: Page, editor_server: str) -> None:
    _run(editor, QUERY)
    editor.locator(".yasr table.dataTable tbody a.iri").first.wait_for(timeout=15_000)
    editor.locator(".yasr .select_response").click()
    link = editor.locator(".yasr .CodeMirror a.lcgraph-iri").first
    link.wait_for(timeout=5_000)
    href = link.get_attribute("href") or ""
    assert href.startswith("/doc/learning-community/")
    assert editor.locator(".yasr .CodeMirror a.lcgraph-iri", has_text="example.org").count() == 0
    link.click()
    editor.wait_for_url(editor_server + href)


def test_a_query_error_shows_the_whole_message_with_its_position(editor: Page) -> None:
    _run(editor, BAD_QUERY)
    message = editor.locator(".yasr .lcgraph-error-message")
    message.wait_for(timeout=15_000)
    assert message.inner_text() == (
        "Parse error at line 1, column 27: expected “,”, “.”, “;”, “{”, “{|”, “}” or “~” here."
    )
    assert "The query does not parse" in editor.locator(".yasr .lcgraph-error-title").inner_text()


def test_the_dutch_editor_speaks_dutch(browser: Browser, editor_server: str) -> None:
    page = _editor(browser, f"{editor_server}/sparql", locale="nl-NL")
    text = page.locator(".page-intro").inner_text()
    assert "vaste vragen" in text and "Ready-made" not in text
    titles = page.locator(".lcgraph-example").all_inner_texts()
    assert "Leergemeenschappen per topsector" in [t.strip() for t in titles]
    _run(page, BAD_QUERY)
    title = page.locator(".yasr .lcgraph-error-title")
    title.wait_for(timeout=15_000)
    assert "De vraag is geen geldige SPARQL" in title.inner_text()
    page.context.close()

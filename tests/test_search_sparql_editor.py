"""YASGUI completes classes and properties from our ontology (issue 15), offline.

The real service over a tiny store, the project's ontology folder; Debian's Chromium driven
by Playwright types into the editor and reads CodeMirror's hint list. Every request the
page makes is recorded: the completion must come from the page, never from LOV.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page
from support import build_store, serve_app

from lcgraph.config import Settings
from lcgraph.web.app import create_app
from lcgraph.web.editor_vocabulary import ontology_terms

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
LC = "https://w3id.org/lcgraph/def/lc/"
PROLOGUE = "PREFIX lc: <" + LC + ">\nPREFIX lcs: <https://w3id.org/lcgraph/def/search#>\n"


def test_the_vocabulary_lists_our_classes_and_properties() -> None:
    terms = ontology_terms(ROOT / "ontology")
    assert LC + "LearningCommunity" in terms["classes"]
    assert "http://www.w3.org/2004/02/skos/core#Concept" in terms["classes"]  # an import
    assert LC + "hasParticipation" in terms["properties"]
    assert "https://w3id.org/lcgraph/def/search#query" in terms["properties"]
    assert LC + "LearningCommunity" not in terms["properties"]
    assert ontology_terms(ROOT / "no-such-folder") == {"classes": [], "properties": []}


@pytest.fixture(scope="module")
def editor_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("completion")
    store = build_store(root / "store", b'<http://example.org/a> <http://example.org/b> "c" .\n')
    (root / "queries").mkdir()
    settings = Settings(store=store.location, queries=root / "queries", ontology=ROOT / "ontology")
    with serve_app(create_app(settings)) as url:
        yield url


@pytest.fixture
def editor(browser: Browser, editor_url: str) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context()
    page = context.new_page()
    seen: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # nothing but this host: a request elsewhere fails instead of leaving the machine
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            or urlsplit(route.request.url).scheme in ("data", "blob")
            else route.abort()
        ),
    )
    page.goto(f"{editor_url}/sparql", wait_until="load")
    page.wait_for_function("window.lcgraphEditor !== undefined", timeout=10_000)
    yield page, seen
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def _hints_after_typing(page: Page, text: str) -> list[str]:
    page.locator(".yasqe .CodeMirror:visible").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for(timeout=5_000)
    return [hint.strip() for hint in hints.all_inner_texts()]


def test_class_completion_offers_our_classes(editor: tuple[Page, list[str]]) -> None:
    page, seen = editor
    hints = _hints_after_typing(page, PROLOGUE + "SELECT * WHERE { ?s a lc:Learn")
    assert "lc:LearningCommunity" in hints
    assert all(hint.startswith("lc:Learn") for hint in hints)
    page.keyboard.press("Enter")
    value = page.evaluate("window.lcgraphEditor.yasgui.getTab().getYasqe().getValue()")
    assert value.endswith("?s a lc:LearningCommunity")
    page.screenshot(path="/tmp/ss/yasgui-class-completion.png")
    assert [url for url in seen if urlsplit(url).hostname not in ("127.0.0.1", None)] == []


def test_property_completion_offers_our_properties_and_the_search_terms(
    editor: tuple[Page, list[str]],
) -> None:
    page, seen = editor
    assert "lc:hasParticipation" in _hints_after_typing(
        page, PROLOGUE + "SELECT * WHERE { ?s lc:hasPart"
    )
    hints = _hints_after_typing(
        page, PROLOGUE + "SELECT * WHERE { SERVICE <https://w3id.org/lcgraph/def/search> { ?s lcs:"
    )
    assert {"lcs:query", "lcs:score", "lcs:limit"} <= set(hints)
    assert [url for url in seen if urlsplit(url).hostname not in ("127.0.0.1", None)] == []

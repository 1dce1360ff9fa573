"""The query editor in a real browser: Debian's Chromium, driven by Playwright (issue 3).

A live uvicorn serves the real app on a free 127.0.0.1 port over a tiny built store; the
browser opens GET /sparql, runs a query typed into YASGUI and reads the result table. Every
request the page makes is recorded, so a CDN or any other host shows up as a failure.

Chromium comes from Debian (`scripts/setup.sh --test`), never from `playwright install`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page
from support import build_store, serve_app

import lcgraph
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.web.app import create_app

pytestmark = pytest.mark.browser

STATIC = Path(lcgraph.__file__).parent / "web" / "static"
YASGUI_FILES = ("vendor/yasgui/yasgui.min.js", "vendor/yasgui/yasgui.min.css")
SCREENSHOT = Path("/tmp/yasgui.png")
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob", "about"}  # not network requests

IRIS = Iris("https://w3id.org/lcgraph")
LABELS = ("Agri Food Hub", "Energy Lab Noord", "Zorg Leergemeenschap")
LABEL_QUERY = (
    "SELECT ?label WHERE { ?community a <https://w3id.org/lcgraph/def/lc/LearningCommunity> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
)
PARTIAL_QUERY = "PREFIX lc: <https://w3id.org/lcgraph/def/lc/>\nSELECT * WHERE { ?s a lc:Learn"
NAMED_QUERY = """\
#+ title:
#+   nl: Leergemeenschappen
#+   en: Learning communities
#+ description:
#+   nl: Elke leergemeenschap met haar naam.
#+   en: Every learning community with its label.
PREFIX lc: <https://w3id.org/lcgraph/def/lc/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?community ?label WHERE {
  ?community a lc:LearningCommunity ; rdfs:label ?label .
} ORDER BY ?label
"""


@pytest.fixture(scope="session")
def yasgui_assets() -> None:
    """YASGUI must have been installed from npm; a missing editor is a setup error."""
    missing = [name for name in YASGUI_FILES if not (STATIC / name).is_file()]
    if missing:
        pytest.fail(
            f"YASGUI assets missing ({', '.join(missing)}): run scripts/install-web-assets.sh"
        )


def _tiny_graph() -> str:
    """N-Quads: three learning communities with labels, in one named graph."""
    graph = IRIS.graph_iri("curated", "learning-communities")
    lines = []
    for label in LABELS:
        thing = IRIS.id_iri("learning-community", label.lower().replace(" ", "-"))
        lines.append(
            f"<{thing}> <{IRIS.prefixes['rdf']}type> <{IRIS.prefixes['lc']}"
            f"LearningCommunity> <{graph}> ."
        )
        lines.append(f'<{thing}> <{IRIS.prefixes["rdfs"]}label> "{label}" <{graph}> .')
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def browser_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over a freshly built tiny store and one named query."""
    root = tmp_path_factory.mktemp("browser")
    store = build_store(root / "store", _tiny_graph().encode())
    queries = root / "queries"
    queries.mkdir()
    (queries / "learning-communities.rq").write_text(NAMED_QUERY)
    return Settings(store=store.location, queries=queries, base_iri=IRIS.base)


@pytest.fixture(scope="module")
def editor_server(browser_settings: Settings, yasgui_assets: None) -> Iterator[str]:
    """The real service over the tiny store, in uvicorn on a free 127.0.0.1 port."""
    with serve_app(create_app(browser_settings)) as url:
        yield url


@pytest.fixture
def requests_seen() -> list[str]:
    return []


@pytest.fixture
def editor(browser: Browser, editor_server: str, requests_seen: list[str]) -> Iterator[Page]:
    """A fresh page (own storage) on GET /sparql, with the editor initialised."""
    context = browser.new_context(accept_downloads=False)
    page = context.new_page()
    errors: list[str] = []
    page.on("request", lambda request: requests_seen.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{editor_server}/sparql", wait_until="load")
    page.wait_for_function("window.lcgraphEditor !== undefined", timeout=10_000)
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


def _type_query(page: Page, query: str) -> None:
    """Type into YASQE (CodeMirror) as a person would, replacing its content."""
    page.locator(".yasqe .CodeMirror:visible").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(query)


def _editor_text(page: Page) -> str:
    text: str = page.evaluate("window.lcgraphEditor.yasgui.getTab().getYasqe().getValue()")
    return text


def _run_query(page: Page) -> list[str]:
    """Press the run button of the open tab; the cells of its result table, row by row."""
    page.locator(".yasqe_queryButton:visible").click()
    cells = page.locator(".yasr table.dataTable tbody td:visible")
    cells.first.wait_for(timeout=15_000)
    return [cell.strip() for cell in cells.all_inner_texts()]


def test_query_typed_in_the_editor_runs_and_fills_the_result_table(editor: Page) -> None:
    _type_query(editor, LABEL_QUERY)
    assert _editor_text(editor) == LABEL_QUERY
    cells = _run_query(editor)
    assert [cell for cell in cells if not cell.isdigit()] == list(LABELS)
    editor.screenshot(path=str(SCREENSHOT), full_page=True)


def test_editor_page_loads_everything_from_its_own_host(
    editor: Page, requests_seen: list[str]
) -> None:
    _type_query(editor, PARTIAL_QUERY)
    editor.keyboard.press("Control+Space")  # YASQE's own class completion asks lov.linkeddata.es
    editor.wait_for_timeout(500)
    _type_query(editor, LABEL_QUERY)
    _run_query(editor)
    assert any(url.endswith("/yasgui.min.js") for url in requests_seen)
    assert [url for url in requests_seen if not _is_local(url)] == []


def test_editor_queries_this_endpoint_with_our_prefixes(editor: Page, editor_server: str) -> None:
    endpoint = editor.evaluate("window.lcgraphEditor.yasgui.getTab().getEndpoint()")
    assert endpoint == f"{editor_server}/sparql"
    assert f"PREFIX lc: <{IRIS.prefixes['lc']}>" in _editor_text(editor)


def test_named_query_opens_as_an_example_tab(editor: Page) -> None:
    editor.get_by_role("button", name="Learning communities").click()
    editor.wait_for_function(
        "window.lcgraphEditor.yasgui.getTab().getName() === 'Learning communities'"
    )
    assert _editor_text(editor) == NAMED_QUERY
    cells = _run_query(editor)
    assert sorted(cell for cell in cells if cell in LABELS) == sorted(LABELS)
    assert "id:learning-community/agri-food-hub" in cells  # shortened with our prefixes

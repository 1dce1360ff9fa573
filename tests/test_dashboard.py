"""/dashboard in a real browser (issue 6): charts drawn from the named queries' SPARQL JSON, nothing
from a CDN.

A small synthetic graph is built and analysed, the real service runs in uvicorn on a free
127.0.0.1 port, and Debian's Chromium (driven by Playwright, as in tests/test_browser.py)
opens the page. A second store without analysis results must get the "run lcgraph analyze"
page instead of empty charts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from support import build_store, serve_app
from test_browser import STATIC, _is_local

from lcgraph.analysis import analyze
from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.synth import write_synthetic
from lcgraph.web.app import create_app

pytestmark = pytest.mark.browser

ECHARTS = STATIC / "vendor" / "echarts" / "echarts.min.js"
SCREENSHOT = Path("/tmp/dashboard.png")


@pytest.fixture(scope="module")
def analysed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A synthetic graph (300 organisations, 60 communities), built and analysed."""
    if not ECHARTS.is_file():
        pytest.fail(f"{ECHARTS} missing: run scripts/install-web-assets.sh")
    root = tmp_path_factory.mktemp("dashboard")
    write_synthetic(root / "data", orgs=300, communities=60, seed=5)
    settings = Settings(store=str(root / "store"), data=root / "data", reasoner=False)
    build(settings)
    analyze(EmbeddedStore(root / "store"), settings)
    return settings


@pytest.fixture(scope="module")
def server(analysed_settings: Settings) -> Iterator[str]:
    with serve_app(create_app(analysed_settings)) as url:
        yield url


def _open(browser: Browser, url: str, requests: list[str], errors: list[str]) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url, wait_until="load")
    return page


def test_dashboard_draws_heat_map_brokers_and_gaps(browser: Browser, server: str) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page = _open(browser, f"{server}/dashboard?lang=en", requests, errors)
    page.wait_for_function(
        "window.lcgraphDashboard && window.lcgraphDashboard.done", timeout=10_000
    )
    page.evaluate("window.lcgraphDashboard.done")
    assert page.evaluate("window.lcgraphDashboard.error") is None
    assert page.locator("#sector-heatmap canvas").count() >= 1
    assert page.locator("#broker-chart canvas").count() >= 1
    assert page.locator("#brokers tbody tr").count() > 0
    assert page.locator("#gaps li").count() > 0
    assert "stakeholders" in page.locator("#run-summary").inner_text()
    page.select_option("#matrix-measure", "observedExpected")  # redraws without errors
    page.wait_for_timeout(200)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert errors == []
    assert any(url.endswith("/echarts.min.js") for url in requests)
    panels = ("analysis-sector-matrix", "analysis-top-brokers", "analysis-gaps", "analysis-run")
    assert sorted(u.split("/api/queries/")[1].split(".")[0] for u in requests if "/api/" in u) == (
        sorted(panels)
    )
    assert [url for url in requests if not _is_local(url)] == []


def test_dashboard_without_analysis_says_how_to_run_it(browser: Browser, tmp_path: Path) -> None:
    store = build_store(tmp_path / "store", b"")
    with serve_app(create_app(Settings(store=store.location))) as url:
        requests: list[str] = []
        errors: list[str] = []
        page = _open(browser, f"{url}/dashboard?lang=nl", requests, errors)
        text = page.locator("#no-analysis").inner_text()
        assert "lcgraph analyze" in text and "nog geen analyseresultaten" in text
        assert page.locator("#sector-heatmap").count() == 0
        assert errors == [] and [u for u in requests if not _is_local(u)] == []


def test_dashboard_names_real_organisations_on_the_curated_graph(
    browser: Browser, analysed_curated: tuple[Settings, object]
) -> None:
    """The curated build after `lcgraph analyze`: the brokers are real organisations, shown
    by their names (no source states their sectors, so betweenness ranks them)."""
    settings = analysed_curated[0]
    ranked = EmbeddedStore(Path(settings.store)).query(
        "SELECT ?o ?name { ?o <https://w3id.org/lcgraph/def/lc/betweenness> ?b ; "
        "a <https://w3id.org/lcgraph/def/lc/Organisation> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name } ORDER BY DESC(?b)"
    )
    rows = [(row[0].value, row[1].value) for row in ranked]
    names = {name for _, name in rows}
    first = {name for org, name in rows if org == rows[0][0]}  # every label of the top one
    with serve_app(create_app(settings)) as url:
        requests: list[str] = []
        errors: list[str] = []
        page = _open(browser, f"{url}/dashboard?lang=nl", requests, errors)
        page.wait_for_function(
            "window.lcgraphDashboard && window.lcgraphDashboard.done", timeout=20_000
        )
        page.evaluate("window.lcgraphDashboard.done")
        assert page.evaluate("window.lcgraphDashboard.error") is None
        shown = page.locator("#brokers tbody tr td:first-child a").all_inner_texts()
        assert len(shown) == 20
        assert set(shown) <= names  # names, never IRIs
        assert shown[0] in first  # the most central organisation first
        assert page.locator("#sector-heatmap canvas").count() >= 1
        assert "belanghebbenden" in page.locator("#run-summary").inner_text()
        assert errors == [] and [u for u in requests if not _is_local(u)] == []

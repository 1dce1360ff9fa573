"""/explore in a real browser (issue 16): Debian's Chromium driven by Playwright.

The real service over the curated build; every request not to 127.0.0.1 is blocked and
recorded. "Learning communities in topsector Energy" is built by clicks and must give the
rows the same SPARQL gives at /sparql; the page speaks Dutch; the question saves as a
named query that the loader accepts and opens in YASGUI; a bad state URL opens the builder
empty with a message.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote_plus, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route
from support import serve_app

import lcgraph
from lcgraph.config import Settings
from lcgraph.iris import LC, Iris
from lcgraph.named_queries import load_query
from lcgraph.web.app import create_app

pytestmark = pytest.mark.browser

STATIC = Path(lcgraph.__file__).parent / "web" / "static" / "vendor" / "sparnatural"
BASE = "https://w3id.org/lcgraph"
ENERGY_QUERY = f"""PREFIX lc: <{LC}>
SELECT DISTINCT ?lc WHERE {{ ?lc a lc:LearningCommunity ; lc:sector <{BASE}/def/topsector/EN> }}"""


@pytest.fixture(scope="module")
def explore_server(curated_store: object) -> Iterator[str]:
    if not (STATIC / "sparnatural.js").is_file():
        pytest.fail("Sparnatural missing: run scripts/install-web-assets.sh")
    settings = Settings(store=curated_store.location, query_workers=1)  # type: ignore[attr-defined]
    with serve_app(create_app(settings)) as url:
        yield url


@pytest.fixture
def outside() -> list[str]:
    return []


@pytest.fixture
def explore(browser: Browser, explore_server: str, outside: list[str]) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)

    def block(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def _open(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function("window.lcgraphExplore !== undefined", timeout=20_000)


def _build_energy_question(page: Page, energy: str = "Energy") -> None:
    page.locator(f'.StartClassGroup li[data-id="{LC}LearningCommunity"] .item-sel').click()
    page.locator(f'.EndClassGroup li[data-id="{LC}Topsector"] .item-sel').first.click()
    page.locator(f'.ObjectPropertyGroup li[data-id="{LC}sector"] .item-sel').click()
    page.locator(".list-widget .select2-selection").click()
    page.locator(".select2-results__option", has_text=energy).first.click()


def _run(page: Page) -> list[str]:
    page.locator(".playBtn").click()
    page.locator("#explore-table tbody tr").first.wait_for(timeout=15_000)
    links = page.locator("#explore-table tbody td:first-child a")
    return sorted(str(href) for href in links.evaluate_all("els => els.map(e => e.title)"))


def test_energy_question_built_by_clicks_gives_the_rows_of_the_same_sparql(
    explore: Page, explore_server: str, outside: list[str]
) -> None:
    _open(explore, f"{explore_server}/explore?lang=en")
    _build_energy_question(explore)
    shown = _run(explore)
    answer = httpx.post(
        f"{explore_server}/sparql",
        data={"query": ENERGY_QUERY},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    expected = sorted(b["lc"]["value"] for b in answer["results"]["bindings"])
    assert shown == expected and shown
    first = explore.locator("#explore-table tbody td:first-child a").first
    href = first.get_attribute("href", timeout=1000) or ""
    label = first.inner_text()
    assert href.startswith("/doc/") and not label.startswith("http")  # a label, not the IRI
    page = httpx.get(f"{explore_server}{href}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and label in page.text  # the row's page on this server
    explore.locator("#explore-view-chart").click()
    explore.locator("#explore-chart canvas").first.wait_for(timeout=5_000)
    bars = explore.evaluate(
        "echarts.getInstanceByDom(document.getElementById('explore-chart')).getOption().yAxis[0].data"
    )
    assert label in bars and not any(str(bar).startswith("http") for bar in bars)
    with explore.expect_download() as download:
        explore.locator("#explore-csv").click()
    rows = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert rows[0] == [explore_column(explore), explore_column(explore) + "_iri"]
    assert sorted(row[1] for row in rows[1:]) == expected
    assert label in {row[0] for row in rows[1:]}
    assert outside == []


def explore_column(page: Page) -> str:
    """The name of the first result column (the variable Sparnatural chose)."""
    return str(page.evaluate("window.lcgraphExplore.current.columns[0]"))


NOORD_BRABANT = f"{BASE}/id/province/PV30"
COROP_IN_BRABANT = f"""PREFIX lc: <{LC}>
SELECT DISTINCT ?area WHERE {{ ?area a lc:CoropArea ; lc:withinRegion <{NOORD_BRABANT}> }}"""


def test_region_picked_in_the_tree_gives_the_rows_of_the_same_sparql(
    explore: Page, explore_server: str, outside: list[str], tmp_path: Path, curated_store: object
) -> None:
    """COROP areas within a province picked in the region tree: landsdeel > province."""
    _open(explore, f"{explore_server}/explore?lang=en")
    explore.locator(f'.StartClassGroup li[data-id="{LC}CoropArea"] .item-sel').click()
    explore.locator(f'.EndClassGroup li[data-id="{LC}Region"] .item-sel').first.click()
    explore.locator(f'.ObjectPropertyGroup li[data-id="{LC}withinRegion"] .item-sel').click()
    explore.locator(".treeBtnDisplay").click()
    south = explore.locator(f'.treeLayer li[id="{BASE}/id/landsdeel/LD04"]')
    south.locator("> .jstree-ocl").click()  # open Zuid-Nederland: its provinces
    province = explore.locator(f'.treeLayer li[id="{NOORD_BRABANT}"] > .jstree-anchor')
    assert province.inner_text().strip() == "Noord-Brabant"  # a label, not the IRI
    province.click()
    explore.locator(".treeLayer .treeSubmit").click()
    assert "Noord-Brabant" in explore.locator("#explore-builder").inner_text()
    shown = _run(explore)
    answer = httpx.post(
        f"{explore_server}/sparql",
        data={"query": COROP_IN_BRABANT},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    expected = sorted(b["area"]["value"] for b in answer["results"]["bindings"])
    assert shown == expected and len(shown) == 4
    explore.locator("#explore-title").fill("COROP areas in Noord-Brabant")
    with explore.expect_download() as download:
        explore.locator("#explore-save-button").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    query = load_query(saved, Iris(BASE))  # the region picked in the tree is its parameter
    assert [(p.kind, p.default) for p in query.params] == [("iri", NOORD_BRABANT)]
    column = explore_column(explore)
    answered = sorted(str(row[column].value) for row in query.run(curated_store))  # type: ignore[arg-type]
    assert answered == expected  # the saved query answers as the built one
    assert outside == []


FUNDED_BY_THE_COMMISSION = f"""PREFIX lc: <{LC}>
SELECT DISTINCT ?scheme WHERE {{
  ?scheme a lc:FundingScheme ; lc:funder <{BASE}/id/organisation/european-commission> }}"""


def test_value_found_by_autocomplete_gives_the_rows_of_the_same_sparql(
    explore: Page, explore_server: str, outside: list[str]
) -> None:
    """Funding schemes whose funder, typed and picked by name, is the European Commission.

    The suggestions come from lcgraph's search (/api/suggest, filtered by the class the
    widget asks for), never from a SPARQL text holding what was typed."""
    asked: list[str] = []
    explore.on("request", lambda r: asked.append(r.url) if "/api/suggest" in r.url else None)
    sparql: list[str] = []
    explore.on(
        "request", lambda r: sparql.append(r.post_data or r.url) if "/sparql" in r.url else None
    )
    _open(explore, f"{explore_server}/explore?lang=nl")
    explore.locator(f'.StartClassGroup li[data-id="{LC}FundingScheme"] .item-sel').click()
    explore.locator(f'.EndClassGroup li[data-id="{LC}Organisation"] .item-sel').first.click()
    box = explore.locator("input.awesomplete")
    box.press_sequentially('eu"\\ro', delay=50)  # quotes and a backslash break no lookup
    explore.wait_for_timeout(500)  # and not the page (no pageerror)
    box.fill("")
    box.press_sequentially("europ", delay=50)
    explore.locator(".awesomplete li", has_text="Europese Commissie").first.click()
    assert "Europese Commissie" in explore.locator("#explore-builder").inner_text()
    organisation = quote(f"{LC}Organisation", safe="")
    assert any("q=europ&" in url and f"class={organisation}" in url for url in asked), asked
    lookups = [t for t in sparql if "contains(lcase" in unquote_plus(t).lower()]
    assert lookups == [], "the typed text went into a SPARQL lookup"
    shown = _run(explore)
    answer = httpx.post(
        f"{explore_server}/sparql",
        data={"query": FUNDED_BY_THE_COMMISSION},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    expected = sorted(b["scheme"]["value"] for b in answer["results"]["bindings"])
    assert shown == expected and len(shown) == 3
    assert outside == []


def test_participations_offer_the_org_properties(explore: Page, explore_server: str) -> None:
    """org:member, org:organization and org:role (imported) are offered on a participation."""
    _open(explore, f"{explore_server}/explore?lang=en")
    explore.locator(f'.StartClassGroup li[data-id="{LC}Participation"] .item-sel').click()
    ends = explore.locator(".EndClassGroup li[data-id]").evaluate_all(
        "els => els.map(e => e.dataset.id)"
    )
    assert {f"{LC}Stakeholder", f"{LC}LearningCommunity", f"{LC}ParticipationRole"} <= set(ends)
    explore.locator(f'.EndClassGroup li[data-id="{LC}ParticipationRole"] .item-sel').first.click()
    assert "in the role" in explore.locator(".ObjectPropertyGroup").inner_text()


def test_builder_speaks_dutch(explore: Page, explore_server: str) -> None:
    _open(explore, f"{explore_server}/explore?lang=nl")
    assert explore.locator("html").get_attribute("lang") == "nl"
    assert explore.evaluate("window.lcgraphExplore.translatedLists") == 1  # see explore-i18n.js
    assert explore.locator(".StartClassGroup .current").inner_text().strip() == "Zoek naar"
    assert (
        explore.locator(f'.StartClassGroup li[data-id="{LC}LearningCommunity"]')
        .inner_text()
        .strip()
        == "leergemeenschap"
    )
    _build_energy_question(explore, "Energie")
    assert "Energie" in explore.locator("#explore-builder").inner_text()


def test_saved_named_query_loads_and_the_question_opens_in_yasgui(
    explore: Page, explore_server: str, tmp_path: Path
) -> None:
    _open(explore, f"{explore_server}/explore?lang=en")
    _build_energy_question(explore)
    explore.locator("#explore-title").fill("Learning communities in Energy")
    with explore.expect_download() as download:
        explore.locator("#explore-save-button").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    query = load_query(saved, Iris(BASE))
    assert [p.default for p in query.params] == [f"{BASE}/def/topsector/EN"]
    explore.locator("#explore-open-editor").click()
    explore.wait_for_function("window.lcgraphEditor !== undefined", timeout=15_000)
    text = explore.evaluate("window.lcgraphEditor.yasgui.getTab().getYasqe().getValue()")
    assert f"{BASE}/def/topsector/EN" in text and "LearningCommunity" in text


def test_shared_link_reopens_the_question(explore: Page, explore_server: str) -> None:
    _open(explore, f"{explore_server}/explore?lang=en")
    _build_energy_question(explore)
    built = _run(explore)
    link = explore.locator("#explore-share").get_attribute("href")
    _open(explore, f"{explore_server}{link}")
    explore.wait_for_timeout(500)
    assert "learning community" in explore.locator(".StartClassGroup .current").inner_text()
    assert explore.locator("#explore-message").is_hidden()
    assert _run(explore) == built  # the mailed question answers as the built one


@pytest.mark.parametrize(
    ("state", "said"),
    [
        ("{not json", "could not be read"),
        (json.dumps({"branches": 5}), "holds no builder question"),
        (json.dumps([1, 2]), "holds no builder question"),
        (json.dumps({"variables": [], "branches": [{"line": {}}]}), "at branches[0].line"),
        (json.dumps({"variables": [], "branches": [{"line": {"s": "a"}}]}), "at branches[0].line"),
        (json.dumps({"variables": [], "branches": [None]}), "at branches[0].line"),
        (
            json.dumps({"branches": [{"line": {"sType": f"{LC}Nonsense", "p": "", "oType": ""}}]}),
            f"{LC}Nonsense",
        ),
    ],
)
def test_bad_state_url_opens_the_builder_empty_and_says_what_was_dropped(
    explore: Page, explore_server: str, state: str, said: str
) -> None:
    _open(explore, f"{explore_server}/explore?lang=en#state={quote(state)}")
    assert said in explore.locator("#explore-message").inner_text()
    assert explore.locator(f'.StartClassGroup li[data-id="{LC}LearningCommunity"]').count() == 1


def test_page_language_follows_accept_language(explore: Page, explore_server: str) -> None:
    explore.set_extra_http_headers({"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    _open(explore, f"{explore_server}/explore")
    assert explore.locator("html").get_attribute("lang") == "nl"
    assert explore.locator(".StartClassGroup .current").inner_text().strip() == "Zoek naar"

"""Organisation and funded-project pages (issue 13): identifiers, location, projects and where
each fact came from, on the real build of data/ (the session's `curated_store`).

A live uvicorn serves the build; httpx reads the pages as any client; html5rdf (the HTML5
parser rdflib installs, html5lib's maintained fork) reads the HTML into an ElementTree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5rdf
import httpx
import pytest
from support import serve_app

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.pages import datasets
from lcgraph.pages.describe import describe
from lcgraph.pages.labeller import Labeller
from lcgraph.pages.profile import profile
from lcgraph.pages.urls import Urls
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

IRIS = Iris("https://w3id.org/lcgraph")
HU = "/doc/organisation/hogeschool-utrecht"
SIA = "/doc/funded-project/sia-315"
EU = "/doc/funded-project/eusf-2007-93"
DATA = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture(scope="module")
def client(curated_store: EmbeddedStore) -> Iterator[httpx.Client]:
    settings = Settings(store=curated_store.location, query_workers=1, base_iri=IRIS.base)
    with serve_app(create_app(settings)) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


def _page(client: httpx.Client, path: str, lang: str = "en") -> Any:
    response = client.get(f"{path}.{lang}.html")
    assert response.status_code == 200, response.text[:300]
    document = html5rdf.parse(response.text, namespaceHTMLElements=False)
    for kind in ("organisation", "project"):
        section = document.find(f".//section[@class='profile {kind}']")
        if section is not None:
            return section
    raise AssertionError(f"{path}: no profile section")


def text(element: Any) -> str:
    return "".join(element.itertext())


def _rows(section: Any, table: int = 0) -> dict[str, list[str]]:
    """Heading -> cell texts of the profile's `table`-th facts table."""
    rows: dict[str, list[str]] = {}
    for tr in section.findall(".//table[@class='facts']")[table].findall(".//tr"):
        rows.setdefault(text(tr.find("th")), []).append(text(tr.find("td")))
    return rows


def test_an_organisation_page_shows_its_identifiers_ror_as_a_link(
    client: httpx.Client,
) -> None:
    section = _page(client, HU)
    ids = _rows(section, 0)
    assert {"ROR", "BRIN", "OpenAlex", "OpenAIRE"} <= set(ids)
    assert any(cell.startswith("21RH") for cell in ids["BRIN"])
    assert "Dutch research-performing organisations" in ids["OpenAlex"][0]
    links = {a.get("href") for a in section.iter("a")}
    assert "https://ror.org/028z9kw20" in links
    ror = next(a for a in section.iter("a") if a.get("href") == "https://ror.org/028z9kw20")
    assert ror.get("rel") == "external"


def test_location_comes_with_its_containing_regions_marked_inferred(client: httpx.Client) -> None:
    location = _rows(_page(client, HU), 1)
    assert list(location) == ["Municipality", "COROP area", "Province", "Labour-market region"]
    municipality = location["Municipality"][0]
    assert municipality.startswith("Utrecht") and "inferred" not in municipality
    assert "DUO code tables" in municipality  # the source that states it
    assert "Midden-Utrecht" in location["Labour-market region"][0]
    for kind in ("COROP area", "Province", "Labour-market region"):
        assert "inferred" in location[kind][0]


def test_projects_are_listed_by_role_and_inferred_ones_say_by_what(client: httpx.Client) -> None:
    section = _page(client, HU)
    headings = [text(h) for h in section.findall(".//h3")]
    assert any(h.startswith("Named partner") for h in headings), headings
    items = [text(li) for li in section.findall(".//ul[@class='participations']/li")]
    named = [i for i in items if "Utrecht Sustainability Institute" in i]
    assert named and "inferred: partner named in a summary" in named[0]
    assert "matched text “Hogeschool Utrecht”" in named[0]


def test_a_merged_organisation_shows_its_reconciliation_evidence(client: httpx.Client) -> None:
    section = _page(client, HU)
    table = section.find(".//table[@class='evidence']")
    rows = [[text(td) for td in tr.findall("td")] for tr in table.findall(".//tbody/tr")]
    by_rule = {row[0]: row for row in rows}
    assert {"identifier", "name+municipality"} <= set(by_rule)
    ror = next(row for row in rows if row[2] == "ror 028z9kw20")
    assert "uni_ror_NL.csv row 1075" in ror[3] and "rpo_nl_list_long_20240201.csv row 78" in ror[3]


def test_the_page_credits_each_source_with_its_licence_in_both_languages(
    client: httpx.Client,
) -> None:
    credit = _page(client, HU).find(".//p[@class='credit']")
    shown = " ".join(text(credit).split())
    assert shown.startswith("Source:")
    assert "DUO code tables (CC0)" in shown
    assert "Research Organization Registry, Dutch entries (CC0)" in shown
    assert {a.get("href") for a in credit.iter("a")} == {
        "https://creativecommons.org/publicdomain/zero/1.0/"
    }
    nl = " ".join(text(_page(client, HU, "nl").find(".//p[@class='credit']")).split())
    assert nl.startswith("Bron:") and "DUO-codetabellen (CC0)" in nl
    records = text(_page(client, HU, "nl").find(".//ul[@class='records']"))
    assert "uni_ror_NL.csv rij 1075" in records


def test_a_project_page_shows_funder_scheme_dates_and_participants_by_role(
    client: httpx.Client,
) -> None:
    section = _page(client, SIA)
    funding = _rows(section, 0)
    assert funding["Funder"][0].startswith("Regieorgaan SIA")
    assert any("RAAK-mkb" in v for values in funding.values() for v in values)
    assert any("2014-12-01" in v for values in funding.values() for v in values)
    headings = {text(h).split(" (")[0] for h in section.findall(".//h3")}
    assert {"Consortium partner", "Network member"} <= headings, headings
    shown = " ".join(text(section).split())
    assert "Regieorgaan SIA project records (licence not stated)" in shown
    assert "EU structural" not in shown  # its graph holds EU projects too; this one is SIA's


def test_an_eu_project_shows_amounts_its_beneficiary_and_inferred_partners(
    client: httpx.Client,
) -> None:
    section = _page(client, EU, "nl")
    funding = _rows(section, 0)
    assert funding["Financier"][0].startswith("Europese Commissie")
    assert any(
        "Projecten met EU-structuurfondsen" in v for values in funding.values() for v in values
    )
    items = [text(li) for li in section.findall(".//ul[@class='participations']/li")]
    assert any("Universiteit Utrecht" in i and "afgeleid" not in i for i in items)
    assert any("TNO" in i and "afgeleid" in i for i in items)


class CountingReader:
    """The real store, counting the SPARQL queries a page makes."""

    def __init__(self, store: Any) -> None:
        self.store, self.queries = store, 0

    def query(self, *args: Any, **options: Any) -> Any:
        self.queries += 1
        return self.store.query(*args, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.mark.parametrize("path", [HU, SIA, EU])
def test_a_profile_costs_one_sparql_query(curated_store: EmbeddedStore, path: str) -> None:
    reader = CountingReader(curated_store.reader())
    iri = IRIS.base + path.replace("/doc/", "/id/")
    description = describe(reader, iri)  # type: ignore[arg-type]
    assert description is not None
    labeller = Labeller(reader, IRIS, Urls(IRIS), "en")  # type: ignore[arg-type]
    found = profile(description, labeller, datasets.load(DATA, IRIS))
    assert found is not None and found.sources
    assert reader.queries == 1


def test_other_resources_get_no_profile(curated_store: EmbeddedStore) -> None:
    reader = curated_store.reader()
    description = describe(reader, IRIS.base + "/id/province/PV26")
    assert description is not None
    labeller = Labeller(reader, IRIS, Urls(IRIS), "en")
    assert profile(description, labeller, datasets.load(DATA, IRIS)) is None


def test_an_edited_datasets_file_shows_on_the_next_load(tmp_path: Path) -> None:
    """`datasets.load` keeps what it read until the file changes (pages render it per page)."""
    path = tmp_path / datasets.DATASETS_FILE
    text = (DATA / datasets.DATASETS_FILE).read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = datasets.load(tmp_path, IRIS)
    assert "cbs-regions" in {d.key for d in first}
    first.clear()  # the caller's list is its own
    assert datasets.load(tmp_path, IRIS)
    path.write_text(text.replace("creator: Centraal Bureau", "creator: Het Centraal Bureau"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    edited = {d.key: d for d in datasets.load(tmp_path, IRIS)}
    assert edited["cbs-regions"].creator == "Het Centraal Bureau voor de Statistiek"
    path.unlink()
    assert datasets.load(tmp_path, IRIS) == []

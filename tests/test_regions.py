"""Regions 2024-2026 from data/open/regions and DUO's pc2024: codes agree with the 2017 lists."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

OPEN = REPO / "data" / "open"
SOURCES = REPO / "data" / "sources"
ID = "https://w3id.org/lcgraph/id/"
LC = "https://w3id.org/lcgraph/def/lc/"


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _places() -> list[dict[str, str]]:
    return _csv(OPEN / "regions" / "woningwaardering_corop.generated.csv")


def test_the_2025_corop_codes_and_names_are_the_2017_list() -> None:
    listed = {r["statcode"]: r["statnaam"] for r in _csv(SOURCES / "corop_cbs_2017.csv")}
    used = {"CR" + r["COROP-gebiedcode"]: r["COROP-gebied"] for r in _places()}
    assert len(used) == 40
    assert used == listed


def test_the_2025_labour_market_regions_are_the_2017_list_by_code_and_current_name() -> None:
    listed = {
        r["statcode"]: r["statnaam_2025"] for r in _csv(SOURCES / "arbeidsmarktregios_cbs_2017.csv")
    }
    codes = _csv(OPEN / "regions" / "cartomap_arbeidsmarktregio_2025_codes.csv")
    assert {r["am_code"]: r["am_naam"] for r in codes} == listed
    municipalities = json.loads(
        (OPEN / "regions" / "cedanl_arbeidsmarktregio_gemeente_2026.json").read_text("utf-8")
    )["gemeenten"]
    assert set(municipalities.values()) <= set(listed.values())
    assert set(municipalities) == {r["Gemeentecode"] for r in _places()}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    settings = Settings(store=str(tmp_path_factory.mktemp("store")), reasoner=False)
    build(settings)
    return EmbeddedStore(settings.store)


def _count(store: EmbeddedStore, where: str) -> int:
    query = f"PREFIX lc: <{LC}> SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(store.query(query)))["n"].value)


def test_342_municipalities_each_within_one_corop_area_and_one_labour_market_region(
    store: EmbeddedStore,
) -> None:
    assert _count(store, "?x a lc:Municipality") == 342
    for kind in ("CoropArea", "LabourMarketRegion"):
        within = f"?x a lc:Municipality ; lc:withinRegion ?r . ?r a lc:{kind}"
        assert _count(store, within) == 342
        two = f"{within} . ?x lc:withinRegion ?r2 . ?r2 a lc:{kind} . FILTER(?r != ?r2)"
        assert _count(store, two) == 0


def test_amsterdam_lies_in_its_corop_area_province_and_labour_market_region(
    store: EmbeddedStore,
) -> None:
    amsterdam = f"<{ID}municipality/GM0363>"
    for region in ("corop-area/CR23", "province/PV27", "labour-market-region/AM18"):
        assert store.query(
            f"PREFIX lc: <{LC}> ASK {{ {amsterdam} lc:withinRegion <{ID}{region}> }}"
        )
    postcode = f"<{ID}postcode-area/1011>"
    assert store.query(
        f"PREFIX lc: <{LC}> ASK {{ {postcode} lc:withinRegion <{ID}province/PV27> }}"
    )


def test_every_real_postcode_is_an_area_and_the_pseudo_postcodes_are_not(
    store: EmbeddedStore,
) -> None:
    lines = (OPEN / "duo" / "pc2024.asc").read_text("latin-1").splitlines()
    pseudo = {"9910", "9920", "9930", "9940", "9999"}
    real = [line for line in lines if line[5:9] not in pseudo]
    assert _count(store, "?x a lc:PostcodeArea") == len(real) == 4873

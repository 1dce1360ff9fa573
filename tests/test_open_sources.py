"""The open data of data/open in the curated build: projects, participations, organisations,
and one bad-input fixture per defect (file, row or record, field, value, expected; the live
graph stays as it was)."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from lcgraph.build import BuildReport, build
from lcgraph.config import Settings
from lcgraph.errors import ValidationFailed
from lcgraph.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

DATA = REPO / "data"
OPEN = DATA / "open"
MAPPINGS = DATA / "mappings"
ID = "https://w3id.org/lcgraph/id/"
PREFIXES = (
    "PREFIX lc: <https://w3id.org/lcgraph/def/lc/> PREFIX org: <http://www.w3.org/ns/org#> "
    "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX dct: <http://purl.org/dc/terms/> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, EmbeddedStore, BuildReport]:
    settings = Settings(store=str(tmp_path_factory.mktemp("store")), reasoner=False)
    report = build(settings)
    return settings, EmbeddedStore(settings.store), report


def _count(store: EmbeddedStore, where: str) -> int:
    query = f"{PREFIXES} SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(store.query(query)))["n"].value)


def _ask(store: EmbeddedStore, where: str) -> bool:
    return bool(store.query(f"{PREFIXES} ASK {{ {where} }}"))


def test_every_operation_and_project_is_a_funded_project(built: Any) -> None:
    _, store, _ = built
    schemes = {"efro": 841, "esf": 967, "esf-2014-2020-regio": 70, "raak-mkb": 1}
    for scheme, n in schemes.items():
        where = f"?x a lc:FundedProject ; lc:fundingScheme <https://w3id.org/lcgraph/def/funding-scheme/{scheme}>"
        assert _count(store, where) == n, scheme


def test_participations_per_role(built: Any) -> None:
    _, store, _ = built
    roles = {
        "beneficiary": 1806 + 1,
        "applicant": 70,
        "consortium-partner": 7,
        "network-member": 15,
    }
    for role, n in roles.items():
        iri = f"<https://w3id.org/lcgraph/def/participation-role/{role}>"
        where = f"?x a lc:Participation ; org:role {iri} ; org:member ?o . ?o a lc:Organisation"
        assert _count(store, where) == n, role


def test_an_eu_operation_keeps_its_dutch_amounts_dates_and_beneficiary(built: Any) -> None:
    _, store, _ = built
    project = f"<{ID}funded-project/eusf-2007-3>"  # Bugs to the Rescue: record 3 (line 10)
    dec = "^^<http://www.w3.org/2001/XMLSchema#decimal>"
    amounts = f'lc:subsidyAmount "1238920"{dec} ; lc:totalCost "4420637"{dec}'
    assert _ask(store, f'{project} skos:prefLabel "Bugs to the Rescue"@nl ; {amounts}')
    assert _ask(
        store, f'{project} lc:startDate "2009-04-15"^^<http://www.w3.org/2001/XMLSchema#date>'
    )
    assert _ask(
        store,
        f"?p org:organization {project} ; org:member ?o . "
        "?o skos:altLabel ?n FILTER(CONTAINS(?n, 'Paques'))",
    )


def test_the_sia_project_states_its_topsector_and_the_hidden_record_is_skipped(built: Any) -> None:
    _, store, report = built
    project = f"<{ID}funded-project/sia-315>"
    assert _ask(store, f"{project} lc:statedSector <https://w3id.org/lcgraph/def/topsector/LSH>")
    assert _count(store, f"{project} lc:theme ?x") == 2
    assert not _ask(store, f"<{ID}funded-project/sia-1676> ?p ?o")
    assert report.skipped["sia-project.1676.json: zichtbaarheid = verbergen"] == 1


def test_a_ror_organisation_has_its_identifier_link_type_and_region(built: Any) -> None:
    _, store, _ = built
    org = "?o lc:rorId '04pp8hn57'"  # Utrecht University
    assert _ask(store, f"{org} ; owl:sameAs <https://ror.org/04pp8hn57> ; a lc:University")
    assert _ask(
        store, f"{org} ; lc:region <{ID}province/PV26>"
    )  # inferred through its municipality
    assert _count(store, "?o a lc:Organisation ; lc:rorId ?x") >= 1612
    two = (
        "?o a lc:Organisation ; lc:rorId ?x . ?o2 a lc:Organisation ; lc:rorId ?x FILTER(?o != ?o2)"
    )
    assert _count(store, two) == 0  # a ROR ID names one organisation


def test_esf_locations_are_mapped_to_the_municipality_of_that_name_or_place() -> None:
    mapping = yaml.safe_load((MAPPINGS / "esf_2014_2020_projects.yaml").read_text("utf-8"))
    table = mapping["derive"]["gemeente"]["map"]
    with (OPEN / "regions" / "woningwaardering_corop.generated.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = {r["Gemeentecode"]: {r["Gemeente"].lower(), r["Woonplaats"].lower()} for r in rows}
    for r in rows:
        names[r["Gemeentecode"]].update({r["Gemeente"].lower(), r["Woonplaats"].lower()})
    wrong = {loc: code for loc, code in table.items() if loc.lower() not in names[code]}
    assert wrong == {"Den Haag": "0518"}  # CBS names it 's-Gravenhage
    assert {r["Gemeente"] for r in rows if r["Gemeentecode"] == "0518"} == {"'s-Gravenhage"}


def test_ror_municipalities_merged_since_2022_map_to_a_2025_municipality() -> None:
    mapping = yaml.safe_load((MAPPINGS / "ror_organisations.yaml").read_text("utf-8"))
    table = mapping["derive"]["gemeente"]["map"]
    with (OPEN / "regions" / "woningwaardering_corop.generated.csv").open(encoding="utf-8") as f:
        codes = {r["Gemeentecode"] for r in csv.DictReader(f)}
    assert not set(table) & codes
    assert set(table.values()) <= codes


# ---- bad input: one fixture per defect ------------------------------------------------


def _replace_after(anchor: str, old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        at = text.index(old, text.index(anchor))
        return text[:at] + new + text[at + len(old) :]

    return edit


def _sia_without_partner_name(text: str) -> str:
    record = json.loads(text)
    del record["consortiumpartners"][1]["naam"]
    return json.dumps(record, ensure_ascii=False, indent=4)


ROR_ROW_2 = (OPEN / "ror" / "uni_ror_NL.csv").read_text("utf-8").splitlines()[1]
DEFECTS: dict[str, tuple[str, Callable[[str], str], str, dict[str, Any]]] = {
    "fixed-width line too long": (
        "duo/pc2024.asc",
        lambda t: t + "9999N0344" + "Utrecht".ljust(36) + "TOO LONG\r\n",
        "latin-1",
        {
            "file": "pc2024.asc",
            "row": 4879,
            "value": "TOO LONG",
            "expected": "at most 45 characters, as the mapping's `fields:` lay out",
        },
    ),
    "unknown municipality code": (
        "duo/pc2024.asc",
        lambda t: t + "0100N0001Nergenshuizen\r\n",
        "latin-1",
        {
            "file": "pc2024.asc",
            "row": 4879,
            "field": "gemeentecode",
            "value": "0001",
            "message": "refers to something that is not defined",
        },
    ),
    "unreadable amount": (
        "eu-structural-funds/StructuralFundsNL2007NOW.csv",
        _replace_after("Bugs to the Rescue", "1.238.920", "1.238.92x"),
        "utf-8",
        {
            "file": "StructuralFundsNL2007NOW.csv",
            "row": 3,
            "field": "EU-subsidie in Euro's",
            "value": "1.238.92x",
            "expected": "a Dutch number such as 1.238.920 or 1.238.920,50",
        },
    ),
    "unreadable date": (
        "eu-structural-funds/StructuralFundsNL2007NOW.csv",
        _replace_after("Bugs to the Rescue", "15.04.2009", "31.02.2009"),
        "utf-8",
        {
            "file": "StructuralFundsNL2007NOW.csv",
            "row": 3,
            "field": "Begindatum",
            "value": "31.02.2009",
            "expected": "a date written %d.%m.%Y such as 15.04.2009",
        },
    ),
    "json record missing a required key": (
        "sia/sia-project.315.json",
        _sia_without_partner_name,
        "utf-8",
        {
            "file": "sia-project.315.json",
            "record": "/consortiumpartners/1",
            "field": "naam",
            "message": "is missing from the record",
            "expected": "a value (required)",
        },
    ),
    "duplicate identifier within a source": (
        "ror/uni_ror_NL.csv",
        lambda t: t + "9999," + ROR_ROW_2.split(",", 2)[2].join(["Another name,", "\n"]),
        "utf-8",
        {"file": "uni_ror_NL.csv", "row": 1614, "field": "ror_id", "expected": "a unique value"},
    ),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_bad_open_input_is_located_and_keeps_the_live_graph(
    defect: str, built: Any, tmp_path: Path
) -> None:
    settings, store, _ = built
    relative, edit, encoding, expect = DEFECTS[defect]
    for folder in ("sources", "open", "repairs", "reconciliation"):
        shutil.copytree(DATA / folder, tmp_path / folder)
    target = tmp_path / "open" / relative
    target.write_text(edit(target.read_text(encoding)), encoding, newline="")
    before = store.revision()
    with pytest.raises(ValidationFailed) as failure:
        build(settings.model_copy(update={"data": tmp_path / "sources"}))
    found = [vars(p) for p in failure.value.problems]
    assert any(all(p.get(k) == v for k, v in expect.items()) for p in found), (expect, found[:5])
    assert store.revision() == before
    assert _count(store, "?x a lc:FundedProject") == 1879

"""Organisation records of the real open data (data/open), read with lcgraph's own readers.

The reconciliation tests judge the matcher in the context it meets in the build: every
organisation the open sources name, not just the records of a fixture. Until the source
mappings exist, each file is read here with an ad-hoc ReadSpec and its organisation fields
picked as an `organisation:` block would pick them; the record keys (file, fragment) are the
ones the build gives.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from lcgraph.sources import ReadSpec, Row, read_source
from lcgraph.stakeholders.records import OrgRecord, normalise_identifier

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

OPEN = REPO / "data" / "open"


def _rows(path: Path, spec: ReadSpec) -> list[Row]:
    source = read_source(path, spec)
    return source.rows


def _record(row: Row, name: str, **fields: Any) -> OrgRecord:
    ids = tuple((s, normalise_identifier(s, v)) for s, v in fields.pop("ids", ()) if v)
    return OrgRecord(
        row.file, row.fragment, row.where, "open-data", name.strip(), identifiers=ids, **fields
    )


def _ror() -> Iterator[OrgRecord]:
    for row in _rows(OPEN / "ror" / "uni_ror_NL.csv", ReadSpec()):
        v = row.values
        addresses = ast.literal_eval(v["addresses"]) or [{}]
        city = addresses[0].get("geonames_city") or {}
        code = (city.get("geonames_admin2") or {}).get("code") or ""
        yield _record(
            row,
            v["name"],
            aliases=tuple(ast.literal_eval(v["aliases"])),
            municipality=code[-4:] if code[-4:].isdigit() else None,
            ids=[("ror", v["ror_id"])],
        )


def _rpo() -> Iterator[OrgRecord]:
    path = OPEN / "research-organisations" / "rpo_nl_list_long_20240201.csv"
    for row in _rows(path, ReadSpec()):
        v = row.values
        ids = [("ror", v["ROR"]), ("openalex", v["OpenAlex_ID"]), ("openaire", v["OpenAIRE_ID"])]
        acronym = (v["acronym_EN"],) if v["acronym_EN"] else ()
        yield _record(row, v["full_name_in_English"], aliases=acronym, ids=ids)


def _duo() -> Iterator[OrgRecord]:
    spec = ReadSpec(
        format="fixed-width", encoding="latin-1", fields=(("code", 1, 4), ("name", 5, 100))
    )
    for row in _rows(OPEN / "duo" / "Dec_ho-inst.asc", spec):
        # DUO's institution code: closed institutions included, so one name may have several
        yield _record(row, row.values["name"], ids=[("duo", row.values["code"])])


def _mbo() -> Iterator[OrgRecord]:
    for row in _rows(OPEN / "mbo" / "BRIN.xlsx", ReadSpec(format="xlsx")):
        yield _record(row, row.values["school"], ids=[("brin", row.values["BRIN"])])


def _eu() -> Iterator[OrgRecord]:
    path = OPEN / "eu-structural-funds" / "StructuralFundsNL2007NOW.csv"
    for row in _rows(path, ReadSpec()):
        yield _record(row, row.values["Begunstigde"])


def _esf(postcodes: dict[str, str]) -> Iterator[OrgRecord]:
    path = OPEN / "eu-structural-funds" / "eusf-publicatielijst-t-m-18-4-2016-amr.csv"
    for row in _rows(path, ReadSpec()):
        cells = list(row.values.values())
        place = cells[4].strip()[:4]
        yield _record(row, cells[3], municipality=postcodes.get(place), postcode=place or None)


def _sia() -> Iterator[OrgRecord]:
    for path in sorted((OPEN / "sia").glob("*.json")):
        for part in ("consortiumpartners", "netwerkleden"):
            for row in _rows(path, ReadSpec(format="json", records=part)):
                yield _record(row, row.values["naam"], ids=[("sia", row.values["id"])])


def _postcodes() -> dict[str, str]:
    spec = ReadSpec(format="fixed-width", encoding="latin-1", fields=(("pc", 1, 4), ("gm", 6, 4)))
    return {r.values["pc"]: r.values["gm"] for r in _rows(OPEN / "duo" / "pc2024.asc", spec)}


@cache
def open_data_records() -> tuple[OrgRecord, ...]:
    """Every organisation record of the ROR, RPO, DUO HO, mbo, EU, ESF and SIA files."""
    found = [*_ror(), *_rpo(), *_duo(), *_mbo(), *_eu(), *_esf(_postcodes()), *_sia()]
    return tuple({r.key: r for r in found if r.name}.values())

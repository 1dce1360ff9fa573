"""A steward's decisions (`data/reconciliation/decisions.csv`), which win over the matcher.

One decision a line (docs/reconciliation.md):

    decision,record,other,note
    same,StructuralFundsNL2007NOW.csv#row=536,uni_ror_NL.csv#row=1503,de gemeente zelf
    not-same,Dec_ho-inst.asc#row=142,Dec_ho-inst.asc#row=219,oude en nieuwe BRIN
    is,sia-project.315.json#/contactinformatie,regieorgaan-sia,

`record` and `other` name source records as the provenance graph does (file `#` fragment);
for `is`, `other` is the id of an organisation of organisations.csv. A line that names a
record no source has, or an organisation that does not exist, is an error.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from lcgraph.errors import Problem
from lcgraph.stakeholders.clusters import Link
from lcgraph.stakeholders.records import Key, OrgRecord

# Where the build finds the decisions: relative to the data folder (data/sources), as the
# mappings name the open data (`../open/...`).
DECISIONS = Path("..") / "reconciliation" / "decisions.csv"
HEADER = ["decision", "record", "other", "note"]
KINDS = ("same", "not-same", "is")


@dataclass
class Decisions:
    """The lines read: links to make, pairs to keep apart, and what was wrong."""

    links: list[Link] = field(default_factory=list)
    apart: list[tuple[Key, Key]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def settled(self) -> set[frozenset[Key]]:
        return {frozenset((link.a, link.b)) for link in self.links}


def read_decisions(path: Path, records: dict[Key, OrgRecord]) -> Decisions:
    """The decisions in `path` (none when it does not exist), checked against `records`."""
    out = Decisions()
    if not path.is_file():
        return out
    curated = {r.curated_id: r.key for r in records.values() if r.curated_id}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if header != HEADER:
            out.problems.append(
                Problem(
                    path.name,
                    "has another header",
                    row=1,
                    value=",".join(header),
                    expected=",".join(HEADER),
                )
            )
            return out
        for number, cells in enumerate(reader, start=2):
            _line(path.name, number, cells, records, curated, out)
    return out


def _line(
    name: str,
    number: int,
    cells: list[str],
    records: dict[Key, OrgRecord],
    curated: dict[str, Key],
    out: Decisions,
) -> None:
    def problem(message: str, column: str, value: str, expected: str) -> None:
        out.problems.append(
            Problem(name, message, row=number, field=column, value=value, expected=expected)
        )

    if not any(cells):
        return
    cells = (cells + [""] * 4)[:4]
    kind, record, other, note = (c.strip() for c in cells)
    if kind not in KINDS:
        problem("is not a decision", "decision", kind, " or ".join(KINDS))
        return
    a = _record(record, records)
    if a is None:
        problem("names a record no source has", "record", record, _RECORD)
    if kind == "is":
        b = curated.get(other)
        if b is None:
            problem(
                "names an organisation that does not exist",
                "other",
                other,
                "the id of an organisation in organisations.csv",
            )
    else:
        b = _record(other, records)
        if b is None:
            problem("names a record no source has", "other", other, _RECORD)
    if a is None or b is None:
        return
    if kind == "not-same":
        out.apart.append((a, b))
        return
    detail = f"{name} row {number}: {kind}" + (f" ({note})" if note else "")
    out.links.append(Link(a, b, "steward", 1.0, detail))


_RECORD = "a source record as file#fragment, such as grants.csv#row=2"


def _record(ref: str, records: dict[Key, OrgRecord]) -> Key | None:
    file, _, fragment = ref.partition("#")
    key = (file, fragment)
    return key if key in records else None

"""The real corpus for the named-partner measurements: names from the open sources, EU summaries.

Read from the raw files in data/open/ with `read_source` and ad-hoc read specs (the sources
branch's mappings replace these when merged). Organisations are joined here only as far as
a measurement needs: a ROR id joins RPO to ROR, a BRIN code joins mbo to DUO, and records
whose normalised names (less a legal form) are equal are one organisation. The build's
stakeholders step does the real reconciliation; its slugs replace these.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lcgraph.sources import ReadSpec, read_source
from lcgraph.stakeholders.mentions import Summary
from lcgraph.stakeholders.text_match import normalise
from lcgraph.stakeholders.topsectors import Project

OPEN = Path(__file__).resolve().parents[1] / "data" / "open"
EU = OPEN / "eu-structural-funds" / "StructuralFundsNL2007NOW.csv"


def places() -> set[str]:
    """Towns, municipalities, COROP areas, labour-market regions and provinces, by name."""
    found: set[str] = set()
    for row in _rows(OPEN / "regions" / "woningwaardering_corop.generated.csv", ReadSpec()):
        found.update((row["Woonplaats"], row["Gemeente"], row["COROP-gebied"]))
    sources = OPEN.parent / "sources"
    for file in ("arbeidsmarktregios_cbs_2017.csv", "provincies_cbs_2017.csv"):
        for row in _rows(sources / file, ReadSpec()):
            found.update(v for k, v in row.items() if k.startswith("statnaam"))
    return found


@dataclass(frozen=True)
class Corpus:
    names: dict[str, list[str]]  # slug -> names
    places: set[str]  # names of towns and regions
    summaries: list[Summary]
    beneficiary: dict[str, str]  # project -> the beneficiary's name as written
    titles: dict[str, str]  # project -> Dutch title
    schemes: dict[str, str]  # project -> fund (EFRO, ESF)

    def projects(self) -> list[Project]:
        """The EU projects as the topsector rules see them (the fund as scheme code)."""
        return [
            Project(
                s.project,
                self.titles[s.project],
                s.text,
                self.schemes[s.project].lower(),
                (self.beneficiary[s.project],),
            )
            for s in self.summaries
        ]


def _rows(path: Path, spec: ReadSpec) -> Iterator[dict[str, str]]:
    source = read_source(path, spec)
    assert source.readable, source.problems
    for row in source.rows:
        yield row.values


def _records() -> Iterator[tuple[str, list[str]]]:
    """(identity, names) per source record; identity joins records of one organisation."""
    for row in _rows(OPEN / "ror" / "uni_ror_NL.csv", ReadSpec()):
        yield f"ror-{row['ror_id']}", [row["name"], *ast.literal_eval(row["aliases"] or "[]")]
    rpo = OPEN / "research-organisations" / "rpo_nl_list_long_20240201.csv"
    for row in _rows(rpo, ReadSpec()):
        yield f"ror-{row['ROR']}", [row["full_name_in_English"], row["acronym_EN"]]
    for file in ("Dec_ho-inst.asc", "Dec_actuele_instelling.asc"):
        spec = ReadSpec(
            format="fixed-width",
            encoding="latin-1",
            fields=(("code", 1, 4), ("name", 5, 100 if file == "Dec_ho-inst.asc" else 50)),
        )
        for row in _rows(OPEN / "duo" / file, spec):
            yield f"duo-{row['code']}", [row["name"]]
    for row in _rows(OPEN / "mbo" / "BRIN.xlsx", ReadSpec(format="xlsx")):
        yield f"duo-{row['BRIN']}", [row["school"]]
    for row in _rows(EU, ReadSpec()):
        yield f"eu-{_slug(row['Begunstigde'])}", [row["Begunstigde"]]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-")


def load() -> Corpus:
    """Names per organisation (joined as the module says) and the 1,808 EU summaries."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    names: dict[str, list[str]] = {}
    for identity, written in _records():
        written = [n.strip() for n in written if n and n.strip()]
        names.setdefault(identity, []).extend(written)
        for name in written:  # records sharing a name are one organisation
            parent[find(identity)] = find("name:" + normalise(name))
    slugs: dict[str, str] = {}  # root -> readable slug: its first identity
    by_slug: dict[str, list[str]] = {}
    for identity in names:
        slug = slugs.setdefault(find(identity), identity)
        by_slug.setdefault(slug, []).extend(names[identity])
    owner = {i: slugs[find(i)] for i in names}
    summaries, beneficiary, titles, schemes = [], {}, {}, {}
    for located in read_source(EU, ReadSpec()).rows:
        project, row = f"eu-{located.number}", located.values
        ben = owner[f"eu-{_slug(row['Begunstigde'])}"]
        own = (row["Begunstigde"],)
        summaries.append(Summary(project, row["Samenvatting"], frozenset({ben}), own))
        beneficiary[project] = row["Begunstigde"]
        titles[project] = row["Titel van het project (naam van de concrete actie)"]
        schemes[project] = row["Fonds"]
    return Corpus(by_slug, places(), summaries, beneficiary, titles, schemes)

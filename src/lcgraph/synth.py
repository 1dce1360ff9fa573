"""A deterministic synthetic dataset in the curated CSV formats, for scale tests and demos.

The synthetic folder is a complete data folder: copies of the reference and vocabulary
CSVs, synthetic organisations, learning communities and participations, and a
`dataset.yaml` with `name: synthetic`, so the build puts it under
`{base}/graph/synthetic/...` and it never mixes with curated data.

Only `random.Random(seed)` draws values, rows are written in a fixed order with the csv
module, and nothing depends on the clock or on hash order: the same arguments give
byte-identical files.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from lcgraph.config import Settings
from lcgraph.errors import Problem, SourceError, relative
from lcgraph.synth_tables import (
    COMMUNITY_HEADER,
    COPIED,
    HELIX_ROLE,
    ORG_TYPES,
    ORGANISATION_HEADER,
    PARTICIPATION_HEADER,
)


@dataclass(frozen=True)
class Reference:
    """The codes synthetic rows draw from, read from the copied CSVs."""

    sectors: tuple[str, ...]
    sector_labels: dict[str, str]
    corop: tuple[tuple[str, str, str], ...]  # (code, name, province code)
    labour_market_regions: tuple[str, ...]
    concepts: dict[str, tuple[str, ...]]  # scheme slug -> concept codes


@dataclass(frozen=True)
class Org:
    """What participations need to know about a synthetic organisation."""

    id: str
    helix: str
    sectors: tuple[str, ...]


def write_synthetic(
    out: Path, orgs: int, communities: int, seed: int = 42, sources: Path | None = None
) -> dict[str, int]:
    """Write a synthetic data folder to `out`; returns the number of data rows per file.

    `orgs` organisations cover every organisation type (when `orgs` >= 13) in a realistic
    mix; `communities` learning communities cycle through the 9 topsectoren and the 35
    labour-market regions (so all appear once `communities` >= 35), about a fifth of them
    cross-sector; each community gets 4-16 participations (10 on average) with roles.

    Sizing. Mapped with data/mappings (tests/test_synth.py keeps these numbers honest), an
    organisation row gives about 8 triples, a community row about 19 and a participation
    row 6 (each including its prov:wasDerivedFrom). The build's inference adds about 6 per
    organisation (super-types, helix, lc:sector), 4 per community and 4 per participation
    (org:memberOf, org:hasMember, lc:hasParticipation, super-type). With about 9.5
    participations per community, `orgs=30000, communities=6000` gives about
    30000*14 + 6000*23 + 57000*10 ≈ 1.1M triples; one build measured 1,127,939 (612k
    mapped into the data graphs, 96k provenance, 416k inferred, 1k ontology).
    100k organisations and 10k communities are written in a few seconds.

    The code lists are copied from `sources` (default: the project's data folder,
    `Settings().data`). Raises SourceError when it lacks one of the files to copy.
    """
    sources = Settings().data if sources is None else sources
    _check_sources(sources)
    out.mkdir(parents=True, exist_ok=True)
    counts = {name: _copy(sources / name, out / name) for name in COPIED}
    ref = _read_reference(out)
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    organisations = list(_organisations(rng, ref, orgs))
    counts["organisations.csv"] = _write(
        out / "organisations.csv", ORGANISATION_HEADER, (row for row, _ in organisations)
    )
    members = [org for _, org in organisations]
    counts["learning_communities.csv"] = _write(
        out / "learning_communities.csv",
        COMMUNITY_HEADER,
        (_community(rng, ref, number) for number in range(1, communities + 1)),
    )
    counts["participations.csv"] = _write(
        out / "participations.csv",
        PARTICIPATION_HEADER,
        _participations(random.Random(seed + 1), ref, members, communities),  # noqa: S311
    )
    (out / "dataset.yaml").write_text("name: synthetic\n", encoding="utf-8")
    return counts


def _check_sources(sources: Path) -> None:
    for name in COPIED:
        if not (sources / name).is_file():
            raise SourceError(
                Problem(
                    relative(sources / name),
                    "is missing",
                    expected="the curated reference and vocabulary CSVs",
                )
            )


def _copy(source: Path, target: Path) -> int:
    shutil.copyfile(source, target)
    with target.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_reference(folder: Path) -> Reference:
    """The nine original topsectoren, COROP areas with their province, LMRs and concepts."""
    sectors = [r for r in _rows(folder / "topsectoren.csv") if r["in_original_9_2011"] == "yes"]
    concepts: dict[str, list[str]] = {}
    for row in _rows(folder / "concepts.csv"):
        concepts.setdefault(row["scheme"], []).append(row["code"])
    return Reference(
        sectors=tuple(r["code"] for r in sectors),
        sector_labels={r["code"]: r["naam_nl"] for r in sectors},
        corop=tuple(
            (r["statcode"], r["statnaam"], r["provincie_statcode"])
            for r in _rows(folder / "corop_cbs_2017.csv")
        ),
        labour_market_regions=tuple(
            r["statcode"] for r in _rows(folder / "arbeidsmarktregios_cbs_2017.csv")
        ),
        concepts={scheme: tuple(codes) for scheme, codes in concepts.items()},
    )


def _write(path: Path, header: Sequence[str], rows: Iterator[Sequence[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _organisations(
    rng: random.Random, ref: Reference, count: int
) -> Iterator[tuple[list[str], Org]]:
    """Organisation rows; the first 13 take each type once so every type is present."""
    weights = [t.weight for t in ORG_TYPES]
    for number in range(1, count + 1):
        kind = (
            ORG_TYPES[number - 1]
            if number <= len(ORG_TYPES)
            else rng.choices(ORG_TYPES, weights)[0]
        )
        corop, corop_name, province = rng.choice(ref.corop)
        sectors = tuple(
            sorted(
                rng.sample(ref.sectors, rng.randint(1, kind.max_sectors))
                if kind.max_sectors
                else ()
            )
        )
        org_id = f"synth-org-{number:06d}"
        region = _org_region(kind.name, corop, province)
        row = [
            org_id,
            kind.name,
            f"{kind.label} {corop_name} {number}",
            ";".join(sectors),
            region[0],
            region[1],
            "",
            "",
            "",
            "",
        ]
        yield row, Org(org_id, kind.helix, sectors)


def _org_region(kind: str, corop: str, province: str) -> tuple[str, str]:
    """(province, corop area): national bodies have none, provinces only their province."""
    if kind == "NationalGovernment":
        return "", ""
    if kind == "RegionalGovernment":
        return province, ""
    return province, corop


def _community(rng: random.Random, ref: Reference, number: int) -> list[str]:
    """One community row; sector and labour-market region cycle so every one appears."""
    sector = ref.sectors[(number - 1) % len(ref.sectors)]
    sectors = [sector]
    if rng.random() < 0.2:
        sectors.append(rng.choice([s for s in ref.sectors if s != sector]))
    lmr = ref.labour_market_regions[(number - 1) % len(ref.labour_market_regions)]
    corop, corop_name, province = rng.choice(ref.corop)
    concepts = ref.concepts
    return [
        f"synth-lc-{number:06d}",
        "LearningCommunity",
        f"Learning community {ref.sector_labels[sector]} {corop_name} {number}",
        "Synthetic learning community for scale tests; not real data.",
        ";".join(sectors),
        "",
        _some(rng, concepts["learning-function"], 1, 2),
        _some(rng, concepts["target-group"], 1, 3),
        _some(rng, concepts["collaboration-form"], 1, 1),
        _some(rng, concepts["technology"], 0, 2),
        province,
        corop,
        lmr,
        str(rng.randint(2012, 2025)),
        str(rng.randint(8, 400)),
        "true" if len(sectors) > 1 else "false",
        "",
        "",
        "",
    ]


def _some(rng: random.Random, codes: Sequence[str], low: int, high: int) -> str:
    return ";".join(sorted(rng.sample(codes, rng.randint(low, high))))


def _participations(
    rng: random.Random, ref: Reference, orgs: list[Org], communities: int
) -> Iterator[list[str]]:
    """4-16 distinct members per community, mostly from its sector; the first leads it."""
    if not orgs:
        return
    by_sector: dict[str, list[Org]] = {s: [] for s in ref.sectors}
    for org in orgs:
        for sector in org.sectors:
            by_sector[sector].append(org)
    number = 0
    for index in range(1, communities + 1):
        sector = ref.sectors[(index - 1) % len(ref.sectors)]
        pool = by_sector[sector] or orgs
        chosen: dict[str, Org] = {}
        for _ in range(min(rng.randint(4, 16), len(orgs))):
            org = rng.choice(pool) if rng.random() < 0.7 else rng.choice(orgs)
            chosen.setdefault(org.id, org)
        for position, org in enumerate(chosen.values()):
            number += 1
            role = "lead-partner" if position == 0 else HELIX_ROLE[org.helix]
            yield [f"synth-part-{number:07d}", org.id, f"synth-lc-{index:06d}", role, "", ""]

"""The build's stakeholders step: one organisation per real organisation, across all sources.

It runs between reading the sources and mapping them (`lcgraph.build_sources.map_sources`):

1. every mapping with an `organisation:` block gives one `OrgRecord` per row, keyed by the
   row's file and fragment (`records`);
2. the records are joined by the steward's decisions, shared identifiers, curated ids and
   the same normalised name in the same municipality (`exact`, `clusters`);
3. each organisation gets one stable, readable slug and one Dutch name (`organisations`);
4. `@organisation` is written on every row of every mapping that reads a record's file and
   fragment; a reference-only record that joined nothing is dropped from those rows and
   counted as skipped;
5. its triples (types, prefLabel, evidence) come back as a `MappedSource` (`output`).

docs/reconciliation.md tells a steward how to read the evidence and write decisions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lcgraph.errors import Problem
from lcgraph.iris import Iris
from lcgraph.mapping import MappedSource
from lcgraph.mapping_spec import Mapping
from lcgraph.sources import SourceFile
from lcgraph.stakeholders import matcher
from lcgraph.stakeholders.clusters import Clusters, Link, apply
from lcgraph.stakeholders.conflicts import identifier_conflicts
from lcgraph.stakeholders.decisions import DECISIONS, Decisions, read_decisions
from lcgraph.stakeholders.exact import (
    curated_links,
    identifier_links,
    name_place_links,
    same_source_links,
)
from lcgraph.stakeholders.organisations import Organisation, organisations
from lcgraph.stakeholders.output import stakeholder_quads
from lcgraph.stakeholders.records import Key, OrgRecord, check_block, postcode_table, records_of
from lcgraph.steps import without_cycle_collection

__all__ = [
    "COMPUTED_FIELD",
    "DECISIONS",
    "Link",
    "OrgRecord",
    "Organisation",
    "Stakeholders",
    "reconcile",
]

COMPUTED_FIELD = "@organisation"
UNMATCHED = "reference only, named by no other source"


@dataclass
class Stakeholders:
    """What the step found: the organisations, the slug of each record, what went wrong."""

    organisations: list[Organisation] = field(default_factory=list)
    slugs: dict[Key, str] = field(default_factory=dict)  # record -> its organisation's slug
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # "file: why" -> records
    mapped: MappedSource = field(default_factory=lambda: MappedSource(file="stakeholders"))


def reconcile(
    read: list[tuple[Mapping, SourceFile]],
    iris: Iris,
    dataset: str,
    decisions: Path | None = None,
) -> Stakeholders:
    """Reconcile the organisation records of `read` and write `@organisation` on their rows.

    `decisions`: the steward's decisions file (`decisions.DECISIONS` under the data folder);
    none when it does not exist. Rows of reference-only records that match nothing are
    removed from their sources. Problems (a bad block, a bad cell, a bad decision, an
    identifier given to two different organisations) are returned, not raised: the build
    reports them with all others, and then nothing is written on the rows.
    """
    result = Stakeholders()
    records = _records(read, iris, result.problems)
    decided = read_decisions(decisions, records) if decisions else Decisions()
    result.problems.extend(decided.problems)
    if result.problems:
        return result
    clusters = join(list(records.values()), decided, result.warnings)
    identified = [link for link in clusters.joins if link.rule == "identifier"]
    result.problems.extend(identifier_conflicts(identified, records, decided.settled))
    if result.problems:
        return result
    for org in organisations(clusters.groups(), records, clusters.joins):
        if org.reference_only:
            for record in org.records:
                result.skipped[f"{record.file}: {UNMATCHED}"] += 1
            continue
        result.organisations.append(org)
        result.slugs.update(dict.fromkeys(org.keys, org.slug))
    _fill_rows(read, records, result.slugs)
    result.mapped = stakeholder_quads(result.organisations, iris, dataset)
    return result


def _records(
    read: list[tuple[Mapping, SourceFile]], iris: Iris, problems: list[Problem]
) -> dict[Key, OrgRecord]:
    """Every record, once per file and fragment (the first mapping that declares it wins)."""
    records: dict[Key, OrgRecord] = {}
    postcodes = postcode_table(read, iris)
    for mapping, source in read:
        if mapping.organisation is None or not source.readable:
            continue
        block_problems = check_block(mapping, iris)
        problems.extend(block_problems)
        if block_problems:
            continue
        for record in records_of(mapping, source, iris, problems, postcodes):
            records.setdefault(record.key, record)
    return records


def join(records: list[OrgRecord], decided: Decisions, warnings: list[Problem]) -> Clusters:
    """The records joined: the steward's decisions, the exact rules, the matcher's candidates.

    An organisation the matcher finds ambiguous, and an identifier link refused because the
    two organisations have other codes of one registry, are reported in `warnings`.
    """
    # the cyclic collector paused (as for a whole build): joining makes millions of small
    # tuples and no reference cycles, and its full passes over them grew faster than the names
    with without_cycle_collection():
        clusters = Clusters(records, decided.apart)
        apply(clusters, [*decided.links, *_exact_links(records)])
        found = matcher.candidates(records, clusters.root)
        made, ambiguous = matcher.links(records, found, clusters)
        apply(clusters, made)
    by_key = {r.key: r for r in records}
    for org, others in ambiguous:
        record = by_key[org]
        named = "; ".join(f"{by_key[o].name!r} ({o[0]} {by_key[o].where})" for o in others)
        warnings.append(
            record.problem(
                f"has {len(others)} candidate organisations and was joined to none",
                value=record.name,
                expected=f"a line in decisions.csv naming the right one of: {named}",
            )
        )
    for link in clusters.refused:  # (same-source refusals are two schools of one name: no news)
        if link.rule == "identifier":
            a, b = by_key[link.a], by_key[link.b]
            warnings.append(
                b.problem(
                    f"shares {link.detail} with {a.file} {a.where} but not its other codes",
                    value=b.name,
                    expected="one organisation per code (not joined; decisions.csv can)",
                )
            )
    return clusters


def _exact_links(records: list[OrgRecord]) -> Iterable[Link]:
    yield from identifier_links(records)
    yield from curated_links(records)
    yield from name_place_links(records)
    yield from same_source_links(records)


def _fill_rows(
    read: list[tuple[Mapping, SourceFile]], records: dict[Key, OrgRecord], slugs: dict[Key, str]
) -> None:
    """`@organisation` on every row that carries a reconciled record, in every mapping of
    its file; rows whose record was reference-only and unmatched are taken out."""
    for _, source in read:
        kept = []
        for row in source.rows:
            key = (row.file, row.fragment)
            if key in slugs:
                row.values[COMPUTED_FIELD] = slugs[key]
            elif key in records:
                continue  # an unmatched reference record: maps nothing
            kept.append(row)
        source.rows = kept

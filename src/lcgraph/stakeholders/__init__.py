"""The build's stakeholders step: one organisation per real organisation, across all sources.

It runs between reading the sources and mapping them (`lcgraph.build._map_all`):

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

from lcgraph.errors import Problem
from lcgraph.iris import Iris
from lcgraph.mapping import MappedSource
from lcgraph.mapping_spec import Mapping
from lcgraph.sources import SourceFile
from lcgraph.stakeholders.clusters import Clusters, Link, apply
from lcgraph.stakeholders.exact import curated_links, identifier_links, name_place_links
from lcgraph.stakeholders.organisations import Organisation, organisations
from lcgraph.stakeholders.output import stakeholder_quads
from lcgraph.stakeholders.records import Key, OrgRecord, check_block, records_of

__all__ = ["COMPUTED_FIELD", "Link", "OrgRecord", "Organisation", "Stakeholders", "reconcile"]

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


def reconcile(read: list[tuple[Mapping, SourceFile]], iris: Iris, dataset: str) -> Stakeholders:
    """Reconcile the organisation records of `read` and write `@organisation` on their rows.

    Rows of reference-only records that match nothing are removed from their sources.
    Problems (a bad block, a bad cell) are returned, not raised: the build reports them
    with all others.
    """
    result = Stakeholders()
    records = _records(read, iris, result.problems)
    if result.problems:
        return result
    clusters = Clusters(records)
    apply(clusters, _links(list(records.values())))
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
    for mapping, source in read:
        if mapping.organisation is None or not source.readable:
            continue
        block_problems = check_block(mapping, iris)
        problems.extend(block_problems)
        if block_problems:
            continue
        for record in records_of(mapping, source, iris, problems):
            records.setdefault(record.key, record)
    return records


def _links(records: list[OrgRecord]) -> Iterable[Link]:
    yield from identifier_links(records)
    yield from curated_links(records)
    yield from name_place_links(records)


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

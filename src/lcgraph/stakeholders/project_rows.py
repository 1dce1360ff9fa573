"""The funded projects' rows, as the mappings declare them: what the text rules read.

Declared, not coded per file: a mapping of `lc:FundedProject`s gives each row's subject
(the project) and the columns it maps to `SUMMARY_PREDICATES` (its summary); the row's
`@organisation` is its beneficiary (filled by the reconciliation step), and the name field
of an `organisation:` block over the same file gives the beneficiary's name as written.
The named partners (`mentions`) and the topsector rules (`topsectors`) read projects so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lcgraph.iris import LC, W3C_PREFIXES
from lcgraph.mapping_spec import Mapping as SourceMapping
from lcgraph.sources import Row, SourceFile

# The predicates of a project's summary in the mappings: the text searched for partners.
SUMMARY_PREDICATES = frozenset(
    {W3C_PREFIXES["dct"] + "description", W3C_PREFIXES["dct"] + "abstract"}
)


@dataclass(frozen=True)
class ProjectRow:
    """A funded project's row: the project's IRI (the mapping's subject), the row, what the
    mapping's templates are filled from, and the beneficiary's slug and name ('' if none)."""

    iri: str
    row: Row
    values: dict[str, str]
    beneficiary: str
    beneficiary_name: str


def funded_projects(
    read: Iterable[tuple[SourceMapping, SourceFile]], dataset: str
) -> Iterator[tuple[SourceMapping, SourceFile, Iterator[ProjectRow]]]:
    """Every readable source a mapping of `lc:FundedProject`s reads, with its project rows.

    A row whose subject cannot be filled is left out: the mapping reports it.
    """
    read = list(read)
    name_field = name_fields(read)
    for mapping, source in read:
        if LC + "FundedProject" in mapping.types and source.readable:
            rows = _project_rows(mapping, source, dataset, name_field.get(source.path, ""))
            yield mapping, source, rows


def _project_rows(
    mapping: SourceMapping, source: SourceFile, dataset: str, name_field: str
) -> Iterator[ProjectRow]:
    for row in source.rows:
        values = template_values(row, dataset)
        try:
            iri = mapping.subject.fill(values)
        except (ValueError, KeyError):
            continue  # the mapping reports the row
        own = row.values.get("@organisation", "")
        yield ProjectRow(iri, row, values, own, row.values.get(name_field, ""))


def template_values(row: Row, dataset: str) -> dict[str, str]:
    """What a mapping's templates are filled from, as the mapping fills them: the row's
    fields, `dataset` and `@row` (the record's row number, for sources without an id)."""
    return {**row.values, "dataset": dataset, "@row": str(row.number)}


def name_fields(read: Iterable[tuple[SourceMapping, SourceFile]]) -> dict[Path, str]:
    """Per file, the field that names its organisation (an `organisation:` block's `name`;
    a registry's code list may have none)."""
    return {
        source.path: str(mapping.organisation["name"])
        for mapping, source in read
        if mapping.organisation and mapping.organisation.get("name")
    }

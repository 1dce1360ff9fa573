"""A source's fit to its mapping: every field mapped, every mapped column there, keys unique.

Checked before and while `lcgraph.mapping` maps the rows; each misfit is a Problem with the
file, row and field.
"""

from __future__ import annotations

from lcgraph.errors import Problem
from lcgraph.mapping_spec import Mapping
from lcgraph.sources import Row, SourceFile
from lcgraph.sources.cells import source_problem


def check_columns(
    source: SourceFile, mapping: Mapping, problems: list[Problem], also_mapped: frozenset[str]
) -> None:
    """Every field of the source is mapped (or ignored), and every mapped column exists.

    JSON records may leave fields out, and their `doc/` fields need no mapping. A nested
    field (`addresses/lat`) is also mapped when a parent (`addresses`) is `ignore: true`.
    """
    mapped = mapping.mapped_fields | also_mapped
    ignored = {n for n, r in mapping.columns.items() if r.ignore}
    for name in source.header:
        parents = {name[:i] for i, c in enumerate(name) if c == "/"}
        covered = parents & (ignored | also_mapped)
        if name not in mapped and name not in source.context and not covered:
            expected = f"an entry under columns: in {mapping.path.name}"
            problems.append(source_problem(source, name, "has no mapping", expected))
    for name in [] if source.sparse else mapping.columns:
        if name not in source.header:
            expected = f"the column {mapping.path.name} maps"
            problems.append(source_problem(source, name, "is missing from the header", expected))


def duplicate_key(
    row: Row, key: tuple[str, ...], seen: dict[tuple[str, ...], str], problems: list[Problem]
) -> bool:
    value = tuple(row.values.get(name, "") for name in key)
    if value in seen:
        problems.append(
            row.problem(
                f"duplicates {seen[value]}",
                field=",".join(key),
                value=",".join(value),
                expected="a unique value",
            )
        )
        return True
    seen[value] = row.where
    return False

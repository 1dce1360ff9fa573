"""Read source files into located rows, whatever their format (docs/mapping.md).

A mapping declares how its source is read (`lcgraph.sources.rows.ReadSpec`): CSV in any
encoding and delimiter, fixed-width text, an xlsx sheet or JSON records. Every reader
gives the same `SourceFile` of `Row`s, each located (RFC 7111 row or RFC 6901 pointer),
so mapping, validation and provenance do not depend on the format. Damaged text is
detected in all of them and repaired from the mapping's repair table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lcgraph.sources.cells import Derived, derive, read_literals
from lcgraph.sources.damage import RepairTable, check_text, read_repairs
from lcgraph.sources.delimited import read_csv
from lcgraph.sources.fixed_width import read_fixed_width
from lcgraph.sources.json_records import read_json
from lcgraph.sources.rows import SEVERAL, ReadSpec, Row, SourceFile
from lcgraph.sources.value_map import UNMAPPED, ValueMap
from lcgraph.sources.workbook import read_xlsx

__all__ = [
    "FORMATS",
    "SEVERAL",
    "UNMAPPED",
    "Derived",
    "ReadSpec",
    "RepairTable",
    "Row",
    "SourceFile",
    "ValueMap",
    "read_csv",
    "read_repairs",
    "read_source",
]

_READERS: dict[str, Callable[[Path, ReadSpec], SourceFile]] = {
    "csv": read_csv,
    "fixed-width": read_fixed_width,
    "xlsx": read_xlsx,
    "json": read_json,
}
FORMATS = tuple(_READERS)


def read_source(path: Path, spec: ReadSpec, repairs: RepairTable | None = None) -> SourceFile:
    """Read `path` as `spec` says; damaged text is repaired from `repairs` and marked.

    Python-literal cells are then flattened and derived fields made (`lcgraph.sources.cells`);
    a derived field's file value map must be resolved before (`ValueMap.resolve`).
    """
    source = _READERS[spec.format](path, spec)
    read_literals(source, spec.literals)
    check_text(source, repairs)
    derive(source, spec.derive)  # from the repaired text
    return source

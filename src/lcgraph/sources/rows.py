"""Located rows and the source files they come from, whatever the format they were read from."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from lcgraph.errors import Problem

if TYPE_CHECKING:
    from lcgraph.sources.cells import Derived

# Several values of one field (a list in a JSON record or a Python literal), joined: U+001F
# is the ASCII unit separator, which no text holds.
SEVERAL = "\x1f"


@dataclass(frozen=True)
class ReadSpec:
    """How a source file is read (the mapping's `format`, `encoding`, ... keys)."""

    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    fields: tuple[tuple[str, int, int], ...] = ()  # fixed-width: name, 1-based start, length
    sheet: str | None = None
    records: str | None = None  # json: a key path such as `a/b`; None: the document itself
    # (field, values): records with one of the values are skipped and counted
    skip: tuple[tuple[str, frozenset[str]], ...] = ()
    # (field, values): only records with one of the values are kept; the others are counted
    only: tuple[tuple[str, frozenset[str]], ...] = ()
    literals: tuple[str, ...] = ()  # cells holding Python literal reprs (lcgraph.sources.cells)
    derive: tuple[Derived, ...] = ()  # fields made from other fields


@dataclass(frozen=True)
class Row:
    """One record with its place in the file.

    `number` counts records as RFC 7111 does (the header is row 1); a JSON record has a
    `pointer` (RFC 6901) instead. `notes` say what was repaired or found damaged in it.
    """

    file: str
    number: int
    values: dict[str, str]
    pointer: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def fragment(self) -> str:
        """The fragment that names this record in its file's IRI: `row=N` or `/a/0`."""
        if self.pointer is None:
            return f"row={self.number}"
        return quote(self.pointer, safe="/~!$&'()*+,;=:@-._")

    def several(self, name: str) -> list[str]:
        """The values of field `name`: none when empty or absent, several from a list."""
        cell = self.values.get(name)
        return cell.split(SEVERAL) if cell else []

    @property
    def where(self) -> str:
        return f"row {self.number}" if self.pointer is None else f"record {self.pointer}"

    def problem(self, message: str, **details: Any) -> Problem:
        """A problem located at this record (its row number or its JSON pointer)."""
        if self.pointer is None:
            return Problem(self.file, message, row=self.number, **details)
        return Problem(self.file, message, record=self.pointer, **details)


@dataclass
class SourceFile:
    """A parsed source: its field names, its well-formed rows and what reading found."""

    path: Path
    header: list[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # why -> how many records
    context: set[str] = field(default_factory=set)  # fields given to every record (json `doc/`)
    sparse: bool = False  # records may leave fields out (JSON): no field is missing from all

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def readable(self) -> bool:
        """False when the file could not be read at all (no header): there is nothing to map."""
        return bool(self.header)

    def add(self, row: Row, spec: ReadSpec) -> None:
        """Keep `row` unless a `skip` rule of `spec` matches it; then count it by its reason."""
        for name, values in spec.skip:
            value = row.values.get(name)
            if value is not None and value in values:
                self.skipped[f"{name} = {value}"] += 1
                return
        for name, values in spec.only:
            if row.values.get(name) not in values:
                self.skipped[f"{name} is not {' or '.join(sorted(values))}"] += 1
                return
        self.rows.append(row)

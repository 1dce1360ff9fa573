"""A steward's value map: a source's code or name -> the code the graph uses (docs/mapping.md).

Written inline in a mapping (`map: {RAAK-mkb: raak-mkb}`) or read from two columns of a CSV
file (`map: {file: ..., from: am_naam, to: am_code}`, e.g. labour-market region names to
their CBS codes); the file may be of any format, read with the usual keys (`format:`,
`fields:`, `only:`, ... beside `file:`). A value the map lacks is an error naming it,
unless `unmapped: keep` says that the map lists only the exceptions (a municipality's
successor code), or `unmapped: skip` that only the mapped values matter (SIA themes that
name a topsector): the others give nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lcgraph.errors import Problem
from lcgraph.sources.delimited import read_csv
from lcgraph.sources.rows import ReadSpec, SourceFile

Reader = Callable[[Path, ReadSpec], SourceFile]

UNMAPPED = ("error", "keep", "skip")


@dataclass(frozen=True)
class ValueMap:
    """Pairs inline, or a CSV file's two columns (`file`, `key`, `to`) read by `resolve`."""

    pairs: tuple[tuple[str, str], ...] = ()
    file: str | None = None  # a CSV path relative to the data folder
    key: str = ""
    to: str = ""
    unmapped: str = "error"
    read: ReadSpec | None = None  # how `file` is read; None: a UTF-8 CSV

    @cached_property
    def table(self) -> dict[str, str]:
        return dict(self.pairs)

    def apply(self, value: str) -> str | None:
        """The mapped value; where unmapped: `value` itself (keep), "" (skip) or None (error)."""
        found = self.table.get(value)
        if found is None and self.unmapped != "error":
            return value if self.unmapped == "keep" else ""
        return found

    def describe(self) -> str:
        """What the map accepts, for the `expected` of a problem."""
        if self.file is not None:
            return f"a value of column {self.key!r} in {Path(self.file).name}"
        values = [k for k, _ in self.pairs]
        shown = ", ".join(map(repr, values[:12])) + (", ..." if len(values) > 12 else "")
        return f"one of the mapped values {shown}"

    def resolve(
        self, folder: Path, problems: list[Problem], reader: Reader | None = None
    ) -> ValueMap:
        """The map with its file's pairs read (a missing file or column is a problem)."""
        if self.file is None:
            return self
        path = folder / self.file
        if not path.is_file():
            problems.append(Problem(self.file, "is not found", expected="a value-map CSV file"))
            return self
        source = reader(path, self.read) if reader and self.read else read_csv(path)
        problems.extend(source.problems)
        missing = [c for c in (self.key, self.to) if c not in source.header]
        for name in missing:
            problems.append(
                Problem(
                    source.name,
                    "is missing from the header",
                    row=1,
                    field=name,
                    expected="the column the value map names",
                )
            )
        if missing:
            return self
        pairs: dict[str, str] = {}
        for row in source.rows:
            value, target = row.values[self.key], row.values[self.to]
            if pairs.get(value, target) != target:
                problems.append(
                    row.problem(
                        "maps one value to two codes",
                        field=self.to,
                        value=target,
                        expected=f"{pairs[value]!r} as before for {value!r}",
                    )
                )
            pairs[value] = target
        return ValueMap(tuple(pairs.items()), None, self.key, self.to, self.unmapped, self.read)

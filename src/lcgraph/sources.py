"""Read source CSV files into located rows.

Guarantees: the whole file is decoded as strict UTF-8 (a BOM is allowed); every record
has as many fields as the header. Problems are collected, not raised one by one, so a
steward sees every bad row of a file in one run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lcgraph.errors import Problem


@dataclass(frozen=True)
class Row:
    """One CSV record; `number` counts records as RFC 7111 does (the header is row 1)."""

    file: str
    number: int
    values: dict[str, str]


@dataclass
class SourceFile:
    """A parsed CSV: its header, its well-formed rows and the problems found reading it."""

    path: Path
    header: list[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def read_csv(path: Path) -> SourceFile:
    """Read `path`; rows with the wrong field count become problems and are left out."""
    source = SourceFile(path=path, header=[])
    text = _decode(path, source.problems)
    if text is None:
        return source
    records = _records(path, text, source.problems)
    header = next(records, None)
    if header is None:
        source.problems.append(Problem(path.name, "the file is empty", expected="a header row"))
        return source
    source.header = [name.strip() for name in header]
    _check_header(source)
    width = len(source.header)
    for number, record in enumerate(records, start=2):
        if record == [] or record == [""]:
            continue
        if len(record) != width:
            source.problems.append(
                Problem(
                    path.name,
                    f"has {len(record)} fields",
                    row=number,
                    expected=f"{width} fields as in the header",
                )
            )
            continue
        values = {name: cell.strip() for name, cell in zip(source.header, record, strict=True)}
        source.rows.append(Row(path.name, number, values))
    return source


def _decode(path: Path, problems: list[Problem]) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        problems.append(
            Problem(
                path.name,
                f"is not valid UTF-8 (byte {data[err.start]:#04x})",
                row=line,
                column=column,
                expected="UTF-8 text",
            )
        )
        return None


def _records(path: Path, text: str, problems: list[Problem]) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        yield from reader
    except csv.Error as err:
        problems.append(Problem(path.name, f"is not valid CSV: {err}", row=reader.line_num))


def _check_header(source: SourceFile) -> None:
    seen: set[str] = set()
    for position, name in enumerate(source.header, start=1):
        if not name:
            source.problems.append(
                Problem(source.name, f"column {position} has no name", row=1, expected="a name")
            )
        elif name in seen:
            source.problems.append(
                Problem(source.name, "appears twice in the header", row=1, field=name)
            )
        seen.add(name)

"""Read delimited text (CSV, RFC 4180) in any encoding and with any delimiter.

Guarantees: the whole file decodes strictly (a UTF-8 BOM is allowed); every record has as
many fields as the header. Problems are collected, not raised one by one, so a steward
sees every bad row of a file in one run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from lcgraph.errors import Problem
from lcgraph.sources.rows import ReadSpec, Row, SourceFile
from lcgraph.sources.text import decode

_CSV = ReadSpec()


def read_csv(path: Path, spec: ReadSpec = _CSV) -> SourceFile:
    """Read `path`; rows with the wrong field count become problems and are left out."""
    source = SourceFile(path=path, header=[])
    text = decode(path, spec.encoding, source.problems)
    if text is None:
        return source
    records = _records(path, text, spec.delimiter, source.problems)
    first = next(records, None)
    if first is None:
        source.problems.append(Problem(path.name, "the file is empty", expected="a header row"))
        return source
    source.header = [name.strip() for name in first[1]]
    check_header(source)
    width = len(source.header)
    for number, record in records:
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
        source.add(Row(path.name, number, values), spec)
    return source


def _records(
    path: Path, text: str, delimiter: str, problems: list[Problem]
) -> Iterator[tuple[int, list[str]]]:
    """(RFC 7111 row number, fields) of each record; a syntax error names where it starts.

    A record can span lines (quoted line breaks), so the row counts records, and an error
    (an unclosed quote is only found at the end of the file) is reported at the record and
    line where the bad record opens.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number, line = 1, 1
    try:
        for record in reader:
            yield number, record
            number, line = number + 1, reader.line_num + 1
    except csv.Error as err:
        problems.append(
            Problem(
                path.name,
                f"is not valid CSV: {err} (the record opens on line {line})",
                row=number,
                expected="fields quoted in pairs, as RFC 4180",
            )
        )


def check_header(source: SourceFile) -> None:
    """An unnamed column is called `column<N>` (a mapping must name it too); no name twice."""
    seen: set[str] = set()
    for position, name in enumerate(source.header, start=1):
        if not name:
            source.header[position - 1] = name = f"column{position}"
        if name in seen:
            source.problems.append(
                Problem(source.name, "appears twice in the header", row=1, field=name)
            )
        seen.add(name)

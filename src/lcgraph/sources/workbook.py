"""Read one sheet of an Excel workbook (xlsx) with openpyxl in read-only mode; row 1 is the header.

Cells become text as a steward reads them in Excel: whole numbers without `.0`, dates as
YYYY-MM-DD, booleans as true/false. An error cell (`#N/A`, `#REF!`) is a problem.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from lcgraph.errors import Problem
from lcgraph.sources.delimited import check_header
from lcgraph.sources.rows import ReadSpec, Row, SourceFile


def read_xlsx(path: Path, spec: ReadSpec) -> SourceFile:
    source = SourceFile(path=path, header=[])
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as err:
        source.problems.append(Problem(path.name, f"is not an xlsx workbook: {err}"))
        return source
    with closing(workbook):
        if spec.sheet is not None and spec.sheet not in workbook.sheetnames:
            source.problems.append(
                Problem(
                    path.name,
                    f"has no sheet {spec.sheet!r}",
                    expected=f"one of {workbook.sheetnames} (the mapping's `sheet:`)",
                )
            )
            return source
        sheet = workbook[spec.sheet] if spec.sheet is not None else workbook.worksheets[0]
        _read_rows(source, sheet.iter_rows(), spec)
    return source


def _read_rows(source: SourceFile, rows: Iterator[Any], spec: ReadSpec) -> None:
    header = next(rows, None)
    if header is None:
        source.problems.append(Problem(source.name, "the sheet is empty", expected="a header row"))
        return
    source.header = [_text(cell.value).strip() for cell in header]
    check_header(source)
    width = len(source.header)
    for number, cells in enumerate(rows, start=2):
        texts: list[str] = []
        for position, cell in enumerate(cells):
            if cell.data_type == "e" and position < width:
                source.problems.append(
                    Problem(
                        source.name,
                        "is an error cell",
                        row=number,
                        field=source.header[position],
                        value=str(cell.value),
                        expected="a value, not a formula error",
                    )
                )
            texts.append(_text(cell.value).strip())
        if any(texts[width:]):
            source.problems.append(
                Problem(
                    source.name,
                    f"has values beyond column {width}",
                    row=number,
                    expected=f"{width} columns as in the header",
                )
            )
        if any(texts):
            values = dict(
                zip(source.header, texts[:width] + [""] * (width - len(texts)), strict=True)
            )
            source.add(Row(source.name, number, values), spec)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

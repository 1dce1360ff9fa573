"""Reading CSV sources: every problem located to file, row and field."""

from __future__ import annotations

from pathlib import Path

from lcgraph.sources import read_csv

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def test_good_file_rows_are_numbered_as_rfc7111_records() -> None:
    source = read_csv(FIXTURES / "good.csv")
    assert source.problems == []
    assert source.header == ["id", "name"]
    assert [(r.number, r.values) for r in source.rows] == [(2, {"id": "x1", "name": "Één"})]


def test_bad_encoding_names_file_line_and_column() -> None:
    source = read_csv(FIXTURES / "bad_encoding.csv")
    [problem] = source.problems
    assert (problem.file, problem.row, problem.column) == ("bad_encoding.csv", 3, 6)
    assert "UTF-8" in str(problem)


def test_wrong_column_count_reports_every_bad_row() -> None:
    source = read_csv(FIXTURES / "wrong_column_count.csv")
    assert [(p.row, p.message) for p in source.problems] == [
        (3, "has 3 fields"),
        (4, "has 1 fields"),
    ]
    assert all(p.expected == "2 fields as in the header" for p in source.problems)
    assert [r.number for r in source.rows] == [2]


def test_duplicate_header_is_a_problem() -> None:
    source = read_csv(FIXTURES / "duplicate_header.csv")
    assert [(p.row, p.field) for p in source.problems] == [(1, "id")]

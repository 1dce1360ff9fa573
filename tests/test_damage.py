"""Damaged text (issue 13): HTML character references in plain text are damage too, repaired
from the source's repair table like lost characters, each repair a warning with file, row
and field and a note on its row; a reference the table does not list is kept and marked."""

from __future__ import annotations

from pathlib import Path

from support import ROOT

from lcgraph.build import BuildReport
from lcgraph.errors import Problem
from lcgraph.sources import ReadSpec, read_repairs, read_source
from lcgraph.sources.damage import damage

FIXTURES = Path(__file__).parent / "fixtures" / "damage"
EU = ROOT / "data" / "open" / "eu-structural-funds" / "StructuralFundsNL2007NOW.csv"
EU_REPAIRS = ROOT / "data" / "repairs" / "StructuralFundsNL2007NOW.csv"


def _read(path: Path, repairs: Path) -> tuple[list[dict[str, str]], list[Problem], list[str]]:
    problems: list[Problem] = []
    source = read_source(path, ReadSpec(), read_repairs(repairs, problems))
    assert problems == [] and source.problems == []
    notes = [note for row in source.rows for note in row.notes]
    return [dict(row.values) for row in source.rows], source.warnings, notes


def test_a_character_reference_is_damage_and_an_ampersand_alone_is_not() -> None:
    assert "HTML character reference (&amp;)" in str(damage("O&amp;O fonds"))
    assert "(&#39;)" in str(damage("’s-Hertogenbosch &#39;s"))
    assert damage("Roth & Rau B.V.") is None
    assert damage("R&D; zonder verwijzing") is None  # `&D;` is no reference HTML reads


def test_references_are_repaired_from_the_table_with_file_row_and_field() -> None:
    rows, warnings, notes = _read(
        FIXTURES / "html_references.csv", FIXTURES / "html_references_repairs.csv"
    )
    assert rows[0] == {"name": "O&O fonds ENb", "summary": 'R&D in het "MVP"'}
    assert rows[1] == {"name": "Roth & Rau B.V.", "summary": "R&D; zonder verwijzing"}
    located = {(w.file, w.row, w.field, w.value) for w in warnings}
    assert ("html_references.csv", 2, "name", "O&amp;O fonds ENb") in located
    assert ("html_references.csv", 2, "summary", "R&amp;amp;D in het &quot;MVP&quot;") in located
    assert not any(w.row == 3 for w in warnings)
    assert any("'&amp;amp;' -> '&' (an ampersand escaped twice)" in n for n in notes)


def test_a_reference_the_table_does_not_list_is_kept_and_marked() -> None:
    rows, warnings, notes = _read(
        FIXTURES / "html_references.csv", FIXTURES / "html_references_repairs.csv"
    )
    assert rows[2]["name"] == "Caf&eacute; De Ring"
    [kept] = [w for w in warnings if w.row == 4]
    assert kept.field == "name" and "kept as it is and marked" in kept.message
    assert any("damaged text kept as it is" in n and "&eacute;" in n for n in notes)


def test_the_eu_repair_table_reads_every_character_reference_of_the_eu_file() -> None:
    rows, warnings, _ = _read(EU, EU_REPAIRS)
    # every cell with `&amp;` or `&quot;` (names, titles, summaries) is a located warning
    located = [w for w in warnings if w.value and ("&amp;" in w.value or "&quot;" in w.value)]
    assert len(located) == 217 and all(w.row and w.field for w in located)
    assert not any("character reference" in str(damage(v)) for row in rows for v in row.values())
    assert "O&O fonds ENb" in {row["Begunstigde"] for row in rows}


def test_the_build_report_counts_damaged_cells_per_kind() -> None:
    _, warnings, _ = _read(
        FIXTURES / "html_references.csv", FIXTURES / "html_references_repairs.csv"
    )
    report = BuildReport(warnings=warnings)
    assert report.notes() == [
        "warning: html_references.csv: 3 cell(s) with damaged text (HTML character references: 3)"
    ]

"""Find text damaged by an earlier conversion, repair it from a steward's table, mark the rest.

Damage is what no correct text holds: U+FFFD (a character lost in decoding), combining
marks that do not sit on a letter they compose with (an accented letter turned into a mark,
`S̼dwest-Frysl̢n`) and HTML character references in plain text (`O&amp;O fonds`, escaped
once or twice by an earlier export). The repair table (`damaged,repaired,note`, CSV)
replaces damaged strings, longest first. Every damaged cell is a warning; every repair and
every damage left is a note on its row, which the mapping writes to the provenance graph.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from lcgraph.errors import Problem
from lcgraph.sources.delimited import read_csv
from lcgraph.sources.rows import Row, SourceFile

# A quick first look: only cells holding one of these are examined character by character.
_SUSPECT = re.compile("[\ufffd\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# a named or numeric character reference, with its `;`: `&amp;`, `&#39;`, `&#x27;`
_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_COLUMNS = ["damaged", "repaired", "note"]
KINDS = {  # the kinds of damage, as the build report counts them
    "lost": "lost characters",
    "mark": "stray combining marks",
    "reference": "HTML character references",
}


@dataclass
class RepairTable:
    """A steward's repairs: damaged string -> (repaired string, why)."""

    path: Path
    repairs: dict[str, tuple[str, str]]

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        longest_first = sorted(self.repairs, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, longest_first)))

    def apply(self, text: str) -> str:
        if not self.repairs:
            return text
        return self._pattern.sub(lambda m: self.repairs[m.group()][0], text)

    def notes(self, text: str) -> list[str]:
        """The repairs that apply to `text`, as `'damaged' -> 'repaired' (note)`."""
        return [
            f"{damaged!r} -> {repaired!r} ({note})" if note else f"{damaged!r} -> {repaired!r}"
            for damaged, (repaired, note) in self.repairs.items()
            if damaged in text
        ]


def read_repairs(path: Path, problems: list[Problem]) -> RepairTable:
    """The repair table at `path`; a bad line is a located problem."""
    source = read_csv(path)
    problems.extend(source.problems)
    if source.header and source.header != _COLUMNS:
        problems.append(
            Problem(path.name, "has the wrong header", row=1, expected=",".join(_COLUMNS))
        )
    repairs: dict[str, tuple[str, str]] = {}
    for row in source.rows:
        damaged = row.values.get("damaged", "")
        if not damaged or damaged in repairs:
            problems.append(
                row.problem(
                    "is empty" if not damaged else "repeats an earlier line",
                    field="damaged",
                    value=damaged,
                    expected="damaged text, once",
                )
            )
            continue
        repairs[damaged] = (row.values.get("repaired", ""), row.values.get("note", ""))
    return RepairTable(path, repairs)


def damage(text: str) -> str | None:
    """What is damaged in `text`, or None when it is sound."""
    found = _damages(text)
    return found[0][1] if found else None


def damage_kinds(text: str) -> list[str]:
    """Every kind of damage in `text` (a `KINDS` value each), for the build report's counts."""
    return [kind for kind, _ in _damages(text)]


def _damages(text: str) -> list[tuple[str, str]]:
    """(kind, what) of each kind of damage in `text`, in the order of `KINDS`."""
    found: list[tuple[str, str]] = []
    if _SUSPECT.search(text) is not None:
        if "\ufffd" in text:
            found.append((KINDS["lost"], "characters lost in an earlier conversion (U+FFFD)"))
        mark = _stray_mark(text)
        if mark is not None:
            found.append((KINDS["mark"], mark))
    reference = _reference(text) if "&" in text else None
    if reference is not None:
        found.append((KINDS["reference"], reference))
    return found


def _stray_mark(text: str) -> str | None:
    for found in _SUSPECT.finditer(text):
        mark = found.start()
        if text[mark] == "\ufffd":
            continue
        base = mark
        while base > 0 and unicodedata.combining(text[base - 1]):
            base -= 1
        cluster = text[base - 1 : mark + 1] if base > 0 else ""
        if not cluster[:1].isalpha() or len(unicodedata.normalize("NFC", cluster)) != 1:
            return f"a stray combining mark (U+{ord(text[mark]):04X}) where a letter was"
    return None


def _reference(text: str) -> str | None:
    """An HTML character reference where a character was: one that HTML would read as a
    character (`&amp;`), not an `&` that only looks like one (`R&D;`)."""
    for found in _REFERENCE.finditer(text):
        if html.unescape(found.group()) != found.group():
            return f"an HTML character reference ({found.group()}) where a character was"
    return None


def check_text(source: SourceFile, table: RepairTable | None) -> None:
    """Repair and mark the damaged cells of `source`; each damaged cell is a warning."""
    for index, row in enumerate(source.rows):
        notes: list[str] = []
        values = dict(row.values)
        for name, cell in row.values.items():
            found = damage(cell)
            if found is None:
                continue
            values[name] = repaired = table.apply(cell) if table else cell
            left = damage(repaired)
            notes.extend(_notes(name, cell, repaired, left, table))
            source.warnings.append(_warning(row, name, cell, found, repaired, left))
        if notes:
            source.rows[index] = replace(row, values=values, notes=row.notes + tuple(notes))


def _notes(
    name: str, cell: str, repaired: str, left: str | None, table: RepairTable | None
) -> list[str]:
    notes = []
    if repaired != cell and table is not None:
        repairs = "; ".join(table.notes(cell))
        notes.append(f"field {name!r}: text repaired from {table.path.name}: {repairs}")
    if left is not None:
        notes.append(f"field {name!r}: damaged text kept as it is ({left}): {repaired!r}")
    return notes


def _warning(
    row: Row, name: str, cell: str, found: str, repaired: str, left: str | None
) -> Problem:
    if left is None:
        message = f"has damaged text ({found}), repaired to {repaired!r}"
    else:
        message = f"has damaged text ({left}), kept as it is and marked"
    return row.problem(
        message,
        field=name,
        value=cell,
        expected="text without lost characters; a line for it in the repair table",
    )

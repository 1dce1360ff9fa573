"""Cells that hold more than one value: Python literal reprs, several values, derived fields.

Some publishers write a cell as Python's repr of a list or dict (ROR's `types`,
`aliases`, `addresses`: `[{'city': 'Arnhem', ...}]`). Such a cell (named in the mapping's
`literals:`) is read with `ast.literal_eval`, which evaluates literals only, never code,
and flattened as the JSON reader flattens a record: a dict's members become
`cell/member` fields, a list's items give the field several values. Several values are
held in one string, joined by U+001F (the ASCII unit separator, which no text holds);
`Row.several` splits them again.

`derive:` makes a field from another one: the first group of a pattern (`NL.11.0518` ->
`0518`), then a value map (`lcgraph.sources.value_map`), then a template (`GM{value}`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from lcgraph.errors import Problem
from lcgraph.sources.rows import SEVERAL, Row, SourceFile
from lcgraph.sources.value_map import ValueMap


@dataclass(frozen=True)
class Derived:
    """A field made from another: `name` from `source`, through `pattern` and `map`."""

    name: str
    source: str
    pattern: re.Pattern[str] | None = None
    map: ValueMap | None = None
    template: str | None = None  # e.g. `GM{value}`: the value written into a code


def flatten(value: Any, name: str) -> dict[str, list[str]]:
    """The fields of a parsed value: nested members as `name/member`, list items as values."""
    if isinstance(value, dict):
        fields: dict[str, list[str]] = {}
        for key, member in value.items():
            for sub, items in flatten(member, f"{name}/{key}").items():
                fields.setdefault(sub, []).extend(items)
        return fields
    if isinstance(value, list | tuple | set):
        fields = {}
        for item in value:
            for sub, items in flatten(item, name).items():
                fields.setdefault(sub, []).extend(items)
        return fields or {name: []}
    if value is None:
        return {name: []}
    if isinstance(value, bool):
        return {name: ["true" if value else "false"]}
    return {name: [str(value).strip()]}


def read_literals(source: SourceFile, names: tuple[str, ...]) -> None:
    """Replace each named cell by the fields of its Python literal; a bad one is a problem."""
    if not names:
        return
    missing = [n for n in names if n not in source.header]
    for name in missing:
        source.problems.append(
            source_problem(source, name, "is missing from the header", "the cell `literals:` names")
        )
    names = tuple(n for n in names if n in source.header)
    found: dict[str, None] = {}
    for row in source.rows:
        for name in names:
            cell = row.values.pop(name, "")
            fields = _parsed(row, name, cell, source)
            for sub, items in fields.items():
                row.values[sub] = SEVERAL.join(filter(None, items))
                found[sub] = None
    header: list[str] = []
    for column in source.header:
        if column in names:
            header.extend(f for f in found if f == column or f.startswith(column + "/"))
        else:
            header.append(column)
    source.header = header
    source.sparse = True  # a record's literal may lack members that others have


def _parsed(row: Row, name: str, cell: str, source: SourceFile) -> dict[str, list[str]]:
    if not cell.strip():
        return {name: []}
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        source.problems.append(
            row.problem(
                "is not a Python literal",
                field=name,
                value=cell[:80],
                expected="a list, dict or scalar as Python writes it (the mapping's `literals:`)",
            )
        )
        return {}
    return flatten(value, name)


def derive(source: SourceFile, rules: tuple[Derived, ...]) -> None:
    """Add each derived field to every row; a value the pattern or map refuses is a problem."""
    for rule in rules:
        if rule.source not in source.header and not source.sparse:
            source.problems.append(
                source_problem(
                    source,
                    rule.source,
                    "is missing from the header",
                    f"the field `derive: {rule.name}` reads",
                )
            )
            continue
        for row in source.rows:
            values = [_derived(row, rule, v, source) for v in row.several(rule.source)]
            row.values[rule.name] = SEVERAL.join(v for v in values if v)
        if rule.name not in source.header:
            source.header.append(rule.name)


def _derived(row: Row, rule: Derived, value: str, source: SourceFile) -> str | None:
    if rule.pattern is not None:
        found = rule.pattern.fullmatch(value)
        if found is None:
            message = "does not match the pattern of a derived field"
            _refuse(source, row, rule, value, message, f"/{rule.pattern.pattern}/")
            return None
        # the first group that matched (alternatives each have their own); none: no value
        groups = [g for g in found.groups() if g is not None]
        value = groups[0] if groups else "" if found.groups() else found.group()
        if not value:
            return ""
    if rule.map is not None:
        mapped = rule.map.apply(value)
        if mapped is None:
            _refuse(source, row, rule, value, "is not in the value map", rule.map.describe())
            return None
        value = mapped
        if not value:  # unmapped: skip
            return ""
    return value if rule.template is None else rule.template.replace("{value}", value)


def source_problem(source: SourceFile, name: str, message: str, expected: str) -> Problem:
    return Problem(source.name, message, row=1, field=name, expected=expected)


def _refuse(
    source: SourceFile, row: Row, rule: Derived, value: str, message: str, expected: str
) -> None:
    """Report a value a derived field's pattern or map refuses, naming the `derive:` rule."""
    source.problems.append(
        row.problem(
            message, field=rule.source, value=value, expected=f"{expected} (`derive: {rule.name}`)"
        )
    )

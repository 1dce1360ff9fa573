"""Read the records of a JSON document (an API's export, such as SIA's project records).

`records: a/b` names where the records are (the document itself when absent): a list (each
item a record) or an object (each member a record, its name in the field `key`). A record's
nested objects flatten to `parent/child` fields, a scalar record is the field `value`; a
list of scalars is a field of several values (SIA's `themas`); a list of objects is not a
field (read it as records of its own). With `records:`, the
document's top-level scalars are given to every record as `doc/<name>`. Every record is
located by its JSON pointer (RFC 6901), e.g. `#/consortiumpartners/3`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lcgraph.errors import Problem
from lcgraph.sources.rows import SEVERAL, ReadSpec, Row, SourceFile
from lcgraph.sources.text import decode

DOC = "doc/"


def read_json(path: Path, spec: ReadSpec) -> SourceFile:
    source = SourceFile(path=path, header=[], sparse=True)
    document = _load(path, spec, source.problems)
    if document is None:
        return source
    context: dict[str, str] = {}
    if spec.records is not None and isinstance(document, dict):
        context = {DOC + k: _scalar(v) for k, v in document.items() if _is_scalar(v)}
        for name, hidden in spec.skip:  # a hidden document has no records to look for
            value = context.get(name)
            if value is not None and value in hidden:
                source.header = sorted(context)
                source.skipped[f"{name} = {value}"] += 1
                return source
    source.context = set(context)
    found = _at(document, spec.records, path.name, source.problems)
    if found is None:
        return source
    pointer, records = found
    fields: dict[str, None] = dict.fromkeys(context)
    for number, (name, record) in enumerate(_members(records, pointer), start=1):
        values = {**context, **_fields(record)}
        fields.update(dict.fromkeys(values))
        source.add(Row(path.name, number, values, pointer=name), spec)
    source.header = list(fields)
    return source


def _load(path: Path, spec: ReadSpec, problems: list[Problem]) -> Any:
    text = decode(path, spec.encoding, problems)
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        problems.append(
            Problem(path.name, f"is not valid JSON: {err.msg}", row=err.lineno, column=err.colno)
        )
        return None


def _at(
    document: Any, records: str | None, file: str, problems: list[Problem]
) -> tuple[str, Any] | None:
    """The JSON pointer and the value at the `records` key path, or None with a problem."""
    pointer, value = "", document
    for key in records.split("/") if records else []:
        if not isinstance(value, dict) or key not in value:
            problems.append(
                Problem(
                    file,
                    f"has no key {key!r}",
                    record=pointer,
                    expected=f"records at {records!r} (the mapping's `records:`)",
                )
            )
            return None
        pointer, value = f"{pointer}/{_escape(key)}", value[key]
    return pointer, value


def _members(records: Any, pointer: str) -> list[tuple[str, Any]]:
    """(pointer, record) for each record; an object's members carry their name as `key`."""
    if isinstance(records, list):
        return [(f"{pointer}/{i}", item) for i, item in enumerate(records)]
    if isinstance(records, dict) and pointer:
        return [(f"{pointer}/{_escape(k)}", {"key": k, **_named(v)}) for k, v in records.items()]
    return [(pointer, records)]


def _named(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {"value": value}


def _fields(record: Any) -> dict[str, str]:
    if not isinstance(record, dict):
        return {"value": _scalar(record)} if _is_scalar(record) else {}
    fields: dict[str, str] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            fields.update({f"{key}/{k}": v for k, v in _fields(value).items()})
        elif _is_scalar(value):
            fields[key] = _scalar(value)
        elif all(_is_scalar(item) for item in value):  # a list of scalars: several values
            fields[key] = SEVERAL.join(filter(None, map(_scalar, value)))
    return fields


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")

"""The keys of a mapping that say how its source is read, as a `lcgraph.sources.ReadSpec`.

`format` (csv, fixed-width, xlsx, json), `encoding`, `delimiter`, `fields`, `sheet`,
`records`, `skip`, `only`, `literals` and `derive` (docs/mapping.md); and the value maps (`map:`)
of derived fields and columns. A key of another format, an unknown codec or a bad
field layout raises MappingError naming the mapping file.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from lcgraph.errors import MappingError
from lcgraph.sources import FORMATS, UNMAPPED, Derived, ReadSpec, ValueMap

# The keys that say how a file is read (a value map's file may have them too).
_READ_KEYS = {"format", "encoding", "delimiter", "fields", "sheet", "records", "skip", "only"}
# The keys that only one format reads.
_FORMAT_KEYS = {"delimiter": "csv", "fields": "fixed-width", "sheet": "xlsx", "records": "json"}


def read_spec(spec: dict[str, Any], where: str) -> ReadSpec:
    """How the source is read; a key of another format, or a bad value, is refused."""
    form = str(spec.get("format", "csv"))
    if form not in FORMATS:
        raise MappingError(f"{where}: format {form!r} is not one of {list(FORMATS)}")
    for key, owner in _FORMAT_KEYS.items():
        if key in spec and form != owner:
            raise MappingError(f"{where}: {key!r} is read only with format {owner}")
    encoding = str(spec.get("encoding", "utf-8"))
    try:
        codecs.lookup(encoding)
    except LookupError as err:
        raise MappingError(f"{where}: encoding {encoding!r} is not a Python codec") from err
    delimiter = str(spec.get("delimiter", ","))
    if len(delimiter) != 1:
        raise MappingError(f"{where}: delimiter {delimiter!r} must be one character")
    if form == "fixed-width" and not spec.get("fields"):
        raise MappingError(f"{where}: format fixed-width needs `fields: {{name: [start, length]}}`")
    skip = spec.get("skip") or {}
    if not isinstance(skip, dict):
        raise MappingError(f"{where}: skip must be `{{field: value}}` or `{{field: [values]}}`")
    only = spec.get("only") or {}
    if not isinstance(only, dict):
        raise MappingError(f"{where}: only must be `{{field: [values]}}`")
    literals = spec.get("literals") or []
    if not isinstance(literals, list) or not all(isinstance(n, str) for n in literals):
        raise MappingError(f"{where}: literals must be a list of field names")
    return ReadSpec(
        format=form,
        encoding=encoding,
        delimiter=delimiter,
        fields=_fields(spec.get("fields") or {}, where),
        sheet=str(spec["sheet"]) if "sheet" in spec else None,
        records=str(spec["records"]).strip("/") if "records" in spec else None,
        skip=tuple((str(k), _values(v, f"{where}: skip {k!r}")) for k, v in skip.items()),
        only=tuple((str(k), _values(v, f"{where}: only {k!r}")) for k, v in only.items()),
        literals=tuple(literals),
        derive=_derived(spec.get("derive") or {}, where),
    )


def _values(value: Any, where: str) -> frozenset[str]:
    return frozenset(_text(v, where) for v in (value if isinstance(value, list) else [value]))


def _text(value: Any, where: str) -> str:
    """A code as written; YAML reads `0457` as a number (octal!), so codes must be quoted."""
    if not isinstance(value, str):
        raise MappingError(f'{where}: {value!r} must be written as quoted text, e.g. "0457"')
    return value


def _derived(rules: Any, where: str) -> tuple[Derived, ...]:
    if not isinstance(rules, dict):
        raise MappingError(
            f"{where}: derive must be `{{name: {{from: field, pattern: ..., map: ...}}}}`"
        )
    derived = []
    for name, rule in rules.items():
        if (
            not isinstance(rule, dict)
            or "from" not in rule
            or set(rule) - {"from", "pattern", "map", "unmapped", "template"}
        ):
            raise MappingError(
                f"{where}: derive {name!r} needs `from:` and may have `pattern:`, `map:`, "
                "`unmapped:`, `template:`"
            )
        pattern = _pattern(rule.get("pattern"), f"{where}: derive {name!r}")
        vmap = value_map(rule.get("map"), rule.get("unmapped"), f"{where}: derive {name!r}")
        template = str(rule["template"]) if "template" in rule else None
        derived.append(Derived(str(name), str(rule["from"]), pattern, vmap, template))
    return tuple(derived)


def _pattern(text: Any, where: str) -> re.Pattern[str] | None:
    if text is None:
        return None
    try:
        return re.compile(str(text))
    except re.error as err:
        raise MappingError(f"{where}: pattern {text!r} is not a regular expression: {err}") from err


def value_map(spec: Any, unmapped: Any, where: str) -> ValueMap | None:
    """`map: {value: code, ...}` inline, or `map: {file: x.csv, from: col, to: col}`."""
    if spec is None:
        if unmapped is not None:
            raise MappingError(f"{where}: unmapped is read only with map")
        return None
    keep = str(unmapped or "error")
    if keep not in UNMAPPED:
        raise MappingError(f"{where}: unmapped {unmapped!r} is not one of {list(UNMAPPED)}")
    if not isinstance(spec, dict) or not spec:
        raise MappingError(f"{where}: map must be `{{value: code}}` or `{{file:, from:, to:}}`")
    if "file" in spec:
        reading = {k: v for k, v in spec.items() if k not in {"file", "from", "to"}}
        if not {"from", "to"} <= set(spec) or set(reading) - _READ_KEYS:
            raise MappingError(
                f"{where}: a map from a file needs file, from and to (and may have "
                f"{sorted(_READ_KEYS)} to say how the file is read)"
            )
        read = read_spec(reading, f"{where}: map") if reading else None
        return ValueMap((), str(spec["file"]), str(spec["from"]), str(spec["to"]), keep, read)
    pairs = tuple((_text(k, where), _text(v, where)) for k, v in spec.items())
    return ValueMap(pairs, unmapped=keep)


def _fields(fields: Any, where: str) -> tuple[tuple[str, int, int], ...]:
    if not isinstance(fields, dict):
        raise MappingError(f"{where}: fields must be `{{name: [start, length]}}`")
    layout = []
    for name, place in fields.items():
        good = isinstance(place, list) and len(place) == 2
        if not good or not all(isinstance(n, int) and n >= 1 for n in place):
            raise MappingError(
                f"{where}: field {name!r} needs [start, length] (whole numbers >= 1), not {place!r}"
            )
        layout.append((str(name), place[0], place[1]))
    return tuple(layout)

"""The keys of a mapping that say how its source is read, as a `lcgraph.sources.ReadSpec`.

`format` (csv, fixed-width, xlsx, json), `encoding`, `delimiter`, `fields`, `sheet`,
`records` and `skip` (docs/mapping.md). A key of another format, an unknown codec or a bad
field layout raises MappingError naming the mapping file.
"""

from __future__ import annotations

import codecs
from typing import Any

from lcgraph.errors import MappingError
from lcgraph.sources import FORMATS, ReadSpec

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
        raise MappingError(f"{where}: skip must be `{{field: value}}`")
    return ReadSpec(
        format=form,
        encoding=encoding,
        delimiter=delimiter,
        fields=_fields(spec.get("fields") or {}, where),
        sheet=str(spec["sheet"]) if "sheet" in spec else None,
        records=str(spec["records"]).strip("/") if "records" in spec else None,
        skip=tuple((str(k), str(v)) for k, v in skip.items()),
    )


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

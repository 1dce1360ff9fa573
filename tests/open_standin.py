"""A stand-in for the build's stakeholders step, for tests of the open-data mappings only.

It gives every organisation record the slug of its first identifier or else its name, and
writes it as `@organisation` on every row of the same file and record, as the contract of
issue 13 says the real step does; reference-only records get one only where another
record has the same identifier. It reconciles nothing: the real step is
src/lcgraph/stakeholders/ (branch reconcile).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lcgraph.mapping_spec import Mapping
from lcgraph.sources import SourceFile


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"


def fill(read: Iterable[tuple[Mapping, SourceFile]]) -> None:
    read = list(read)
    found: dict[tuple[str, str], str] = {}
    known_ids: dict[str, str] = {}
    for mapping, source in read:
        block = mapping.organisation
        if not block or block.get("reference_only"):
            continue
        for row in source.rows:
            ids = [f"{k}-{row.values.get(v, '')}" for k, v in block.get("identifiers", {}).items()]
            ids = [i for i in ids if not i.endswith("-")]
            name = row.values.get(block.get("name", ""), "")
            key = known_ids.get(ids[0]) if ids else None
            value = key or (slug(name) if name else (ids[0] if ids else None))
            if value is None:
                continue
            for i in ids:
                known_ids.setdefault(i, value)
            found[(row.file, row.fragment)] = value
    for mapping, source in read:
        block = mapping.organisation
        if block and block.get("reference_only"):
            for row in source.rows:
                ids = [f"{k}-{row.values.get(v, '')}" for k, v in block["identifiers"].items()]
                hit = next((known_ids[i] for i in ids if i in known_ids), None)
                if hit:
                    found[(row.file, row.fragment)] = hit
    for _, source in read:
        for row in source.rows:
            value = found.get((row.file, row.fragment))
            if value is not None:
                row.values["@organisation"] = value

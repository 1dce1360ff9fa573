"""Organisation records: what each row's `organisation:` block says about one organisation.

A mapping whose rows describe organisations declares which fields hold the name, the other
names, the municipality, the postcode, the identifiers and a type hint (docs/mapping.md,
docs/reconciliation.md). This module reads those fields into `OrgRecord`s, keyed by the
row's file and fragment, and reports a block or a cell that does not fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from lcgraph.errors import Problem
from lcgraph.iris import Iris
from lcgraph.mapping_spec import Mapping
from lcgraph.sources import Row, SourceFile

SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
BLOCK_KEYS = frozenset(
    {"name", "aliases", "separator", "municipality", "postcode", "identifiers", "type"}
    | {"reference_only", "id"}
)
# Identifier schemes, in the order of authority for the organisation's one Dutch name
# (skos:prefLabel@nl): Dutch registers first, then SIA, then the international registries.
SCHEMES = ("duo", "brin", "kvk", "sia", "ror", "openalex", "openaire")
_PREFIXES = {
    "ror": ("https://ror.org/", "http://ror.org/"),
    "openalex": ("https://openalex.org/", "http://openalex.org/"),
}
_MUNICIPALITY = re.compile(r"^(?:GM)?(\d{1,4})$", re.IGNORECASE)
_POSTCODE = re.compile(r"^(\d{4})(?:\s*[A-Za-z]{2})?$")

Key = tuple[str, str]  # (file, fragment): one record of one source file


@dataclass(frozen=True)
class OrgRecord:
    """One source's description of one organisation, with the place it came from."""

    file: str
    fragment: str
    where: str  # "row 5" or "record /a/0", for messages
    mapping: str  # the mapping file that declared the block
    name: str
    aliases: tuple[str, ...] = ()
    municipality: str | None = None  # CBS code, 4 digits
    postcode: str | None = None  # 4 digits
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, value), normalised
    types: tuple[str, ...] = ()  # class IRIs
    reference_only: bool = False
    curated_id: str | None = None  # a steward's id (organisations.csv): kept as the slug
    states_label: bool = False  # its mapping writes skos:prefLabel from the name itself

    @property
    def key(self) -> Key:
        return (self.file, self.fragment)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def problem(self, message: str, **details: Any) -> Problem:
        if self.fragment.startswith("row="):
            return Problem(self.file, message, row=int(self.fragment[4:]), **details)
        return Problem(self.file, message, record=self.fragment, **details)


def check_block(mapping: Mapping, iris: Iris) -> list[Problem]:
    """What is wrong with a mapping's `organisation:` block itself (keys, schemes, types)."""
    block = mapping.organisation or {}
    where = mapping.path.name
    problems = [
        Problem(where, "unknown key in organisation:", field=k, expected=", ".join(BLOCK_KEYS))
        for k in sorted(set(block) - BLOCK_KEYS)
    ]
    if not isinstance(block.get("name"), str):
        problems.append(Problem(where, "organisation: needs `name:`", expected="a field name"))
    schemes = block.get("identifiers") or {}
    if not isinstance(schemes, dict):
        problems.append(Problem(where, "identifiers: must map schemes to fields"))
        schemes = {}
    problems += [
        Problem(where, "unknown identifier scheme", field=s, expected=", ".join(SCHEMES))
        for s in schemes
        if s not in SCHEMES
    ]
    for curie in _type_curies(block.get("type")):
        try:
            iris.expand(curie)
        except KeyError:
            problems.append(
                Problem(where, "unknown prefix", field="type", value=curie, expected="a CURIE")
            )
    return problems


def _type_curies(hint: Any) -> list[str]:
    if isinstance(hint, str):
        return [hint]
    if isinstance(hint, dict):
        return [str(v) for v in (hint.get("map") or {}).values()]
    return []


def postcode_table(read: Iterable[tuple[Mapping, SourceFile]], iris: Iris) -> dict[str, str]:
    """Postcode -> municipality code, from the postcode areas the build reads: the rows of a
    mapping of `lc:PostcodeArea`s, by its key field and its `lc:withinRegion` column."""
    area, within = iris.expand("lc:PostcodeArea"), iris.expand("lc:withinRegion")
    table: dict[str, str] = {}
    for mapping, source in read:
        columns = [n for n, r in mapping.columns.items() if r.predicate == within]
        if area not in mapping.types or len(mapping.key) != 1 or not columns:
            continue
        for row in source.rows:
            code = _MUNICIPALITY.match(_cell(row, columns[0]))
            if code is not None:
                table[_cell(row, mapping.key[0])] = code.group(1).zfill(4)
    return table


def records_of(
    mapping: Mapping,
    source: SourceFile,
    iris: Iris,
    problems: list[Problem],
    postcodes: dict[str, str] | None = None,
) -> list[OrgRecord]:
    """The organisation record of every row of `source` (rows without a name have none)."""
    block = mapping.organisation or {}
    name_field = str(block["name"])
    rule = mapping.columns.get(name_field)
    states_label = rule is not None and rule.predicate == SKOS_PREF_LABEL
    records = []
    for row in source.rows:
        name = _cell(row, name_field)
        if not name:
            if not block.get("reference_only"):
                problems.append(
                    row.problem(
                        "is empty",
                        field=name_field,
                        value="",
                        expected="the organisation's name (organisation: name)",
                    )
                )
            continue
        record = _record(mapping, block, row, name, iris, states_label, problems)
        if record.municipality is None and record.postcode and postcodes:
            record = replace(record, municipality=postcodes.get(record.postcode))
        records.append(record)
    return records


def _record(
    mapping: Mapping,
    block: dict[str, Any],
    row: Row,
    name: str,
    iris: Iris,
    states_label: bool,
    problems: list[Problem],
) -> OrgRecord:
    separator = str(block.get("separator", ";"))
    aliases: tuple[str, ...] = ()
    if block.get("aliases"):
        cell = _cell(row, str(block["aliases"]))
        aliases = tuple(a.strip() for a in cell.split(separator) if a.strip() and a != name)
    curated = _cell(row, str(block["id"])) if block.get("id") else ""
    return OrgRecord(
        file=row.file,
        fragment=row.fragment,
        where=row.where,
        mapping=mapping.path.name,
        name=name,
        aliases=aliases,
        municipality=_code(row, block, "municipality", problems),
        postcode=_code(row, block, "postcode", problems),
        identifiers=tuple(_identifiers(row, block.get("identifiers") or {})),
        types=tuple(_types(row, block.get("type"), iris, problems)),
        reference_only=bool(block.get("reference_only", False)),
        curated_id=curated or None,
        states_label=states_label,
    )


def _cell(row: Row, name: str) -> str:
    return (row.values.get(name) or "").strip()


# The codes an `organisation:` block may name a field for: the pattern (its first group is
# the code's digits), and the problem a cell that does not match it is.
_CODES = {
    "municipality": (
        _MUNICIPALITY,
        "is not a municipality code",
        "a CBS municipality code of 4 digits, such as 0344 or GM0344",
    ),
    "postcode": (_POSTCODE, "is not a postcode", "a Dutch postcode such as 3584 or 3584 CS"),
}


def _code(row: Row, block: dict[str, Any], key: str, problems: list[Problem]) -> str | None:
    """The four digits of the code in the field `block[key]` names; None where the row has
    none, or a cell that is no such code (reported)."""
    name = block.get(key)
    cell = _cell(row, str(name)) if name else ""
    if not cell:
        return None
    pattern, message, expected = _CODES[key]
    match = pattern.match(cell)
    if match is None:
        problems.append(row.problem(message, field=str(name), value=cell, expected=expected))
        return None
    return match.group(1).zfill(4)


def _identifiers(row: Row, schemes: dict[str, str]) -> Iterable[tuple[str, str]]:
    for scheme, field_name in sorted(schemes.items()):
        value = normalise_identifier(scheme, _cell(row, str(field_name)))
        if value:
            yield scheme, value


def normalise_identifier(scheme: str, value: str) -> str:
    """One spelling per identifier: ROR without its https://ror.org/, BRIN in capitals, ..."""
    value = value.strip()
    for prefix in _PREFIXES.get(scheme, ()):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    if scheme == "ror":
        return value.lower()
    if scheme in ("brin", "duo", "openalex"):
        return value.upper()
    return value


def _types(row: Row, hint: Any, iris: Iris, problems: list[Problem]) -> list[str]:
    """The class the block's `type:` names: a CURIE, or `{field, map, separator}` per row."""
    if isinstance(hint, str):
        return [iris.expand(hint)]
    if not isinstance(hint, dict) or not hint.get("field"):
        return []
    table = {str(k): str(v) for k, v in (hint.get("map") or {}).items()}
    cell = _cell(row, str(hint["field"]))
    values = [v.strip() for v in cell.split(hint["separator"])] if hint.get("separator") else [cell]
    types = []
    for value in filter(None, values):
        if value in table:
            types.append(iris.expand(table[value]))
        elif "default" not in hint:
            problems.append(
                row.problem(
                    "is not a known organisation type",
                    field=str(hint["field"]),
                    value=value,
                    expected="one of " + ", ".join(sorted(table)),
                )
            )
    if not types and hint.get("default"):
        types.append(iris.expand(str(hint["default"])))
    return types

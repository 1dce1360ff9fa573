"""The mapping files (docs/mapping.md): `data/mappings/*.yaml` read into typed rules.

A mapping that does not fit the format (unknown key, unknown prefix, no predicate) raises
MappingError naming the file and the column; `lcgraph.mapping` applies the rules to rows.
How the source is read (format, encoding, ...) becomes a `ReadSpec` for `lcgraph.sources`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from lcgraph.errors import MappingError, Problem
from lcgraph.iris import XSD, Iris
from lcgraph.mapping_lines import Term, terms_of
from lcgraph.mapping_source import read_spec, value_map
from lcgraph.sources import ReadSpec, ValueMap, read_source

_IRI_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")
_COLUMN_KEYS = {
    "predicate",
    "datatype",
    "lang",
    "ref",
    "iri",
    "required",
    "separator",
    "pattern",
    "ignore",
    "number",
    "date",
    "map",
    "unmapped",
}
_KEYS = {
    "source",
    "graph",
    "subject",
    "columns",
    "types",
    "key",
    "static",
    "format",
    "encoding",
    "delimiter",
    "fields",
    "sheet",
    "records",
    "skip",
    "repairs",
    "organisation",
    "literals",
    "derive",
    "only",
    "merge",
}
ROW = "@row"  # a template field for the record's row number (RFC 7111), given by mapping itself
NUMBER_STYLES = {"nl": "a Dutch number such as 1.238.920 or 1.238.920,50"}


@dataclass(frozen=True)
class Template:
    """An IRI template such as `{base}/id/organisation/{id}`, with its prefix expanded."""

    text: str
    fields: tuple[str, ...]

    def fill(self, values: dict[str, str], value: str | None = None) -> str:
        cells = {name: values[name] for name in self.fields if name != "value"}
        if value is not None and "value" in self.fields:  # `ref: id:organisation/{@organisation}`
            cells["value"] = value
        for name, cell in cells.items():
            if not _IRI_SAFE.match(cell):
                raise ValueError(name)
        return self.text.format_map(cells)


@dataclass(frozen=True)
class ColumnRule:
    """How one column becomes objects of one predicate."""

    name: str
    predicate: str = ""
    ignore: bool = False
    datatype: str = XSD + "string"
    lang: str | None = None
    ref: Template | None = None
    iri: Template | None = None
    required: bool = False
    separator: str | None = None
    pattern: re.Pattern[str] | None = None
    number: str | None = None  # a key of NUMBER_STYLES: how the cell writes a number
    date: str | None = None  # a strptime format such as %d.%m.%Y: how the cell writes a date
    map: ValueMap | None = None  # the source's value -> the value the graph uses


@dataclass(frozen=True)
class Mapping:
    """A loaded mapping file: how each record of one source becomes triples."""

    path: Path
    source: str
    graph: Template
    subject: Template
    types: tuple[str, ...]
    key: tuple[str, ...]
    static: tuple[tuple[str, Template], ...]
    columns: dict[str, ColumnRule]
    read: ReadSpec = field(default_factory=ReadSpec)
    repairs: str | None = None  # the repair table, a path relative to the data folder
    organisation: dict[str, Any] | None = None  # for the build's reconciliation step
    # Rows that mint one subject: None (an error), "equal" (they must agree on every mapped
    # column) or "union" (their triples add up; SHACL's maxCount catches a conflict).
    merge: str | None = None
    terms: tuple[Term, ...] = ()

    @property
    def key_name(self) -> str:
        """The mapping's name: its YAML file's stem (several mappings may read one source)."""
        return self.path.stem

    @property
    def name(self) -> str:
        """What the mapping maps: its source, and `#/records` for JSON records (RFC 6901)."""
        if self.read.records is None:
            return self.source
        return f"{self.source}#/{self.read.records}"

    @property
    def computed_fields(self) -> frozenset[str]:
        """The `@` fields its templates use: values the build computes (e.g. `@organisation`)."""
        templates = [self.subject, self.graph, *(t for _, t in self.static)]
        templates += [t for r in self.columns.values() for t in (r.ref, r.iri) if t is not None]
        fields = {f for t in templates for f in t.fields if f.startswith("@")}
        return frozenset(fields - {ROW})

    def resolved(self, folder: Path, problems: list[Problem]) -> Mapping:
        """The mapping with the files of its value maps read (paths relative to `folder`)."""
        derive = tuple(
            replace(d, map=d.map.resolve(folder, problems, read_source)) if d.map is not None else d
            for d in self.read.derive
        )
        columns = {
            name: replace(r, map=r.map.resolve(folder, problems, read_source))
            if r.map is not None
            else r
            for name, r in self.columns.items()
        }
        return replace(self, read=replace(self.read, derive=derive), columns=columns)

    @property
    def mapped_fields(self) -> frozenset[str]:
        """The source fields this mapping reads: its columns and those of `organisation:`."""
        return frozenset(self.columns) | frozenset(_leaves(self.organisation))


def load_mappings(folder: Path, iris: Iris) -> dict[str, Mapping]:
    """Every `*.yaml` in `folder`, keyed by its file's stem (`corop_cbs_2017`): several
    mappings may read one source (a project, a participation and an organisation mapping
    of the EU file). Raises MappingError."""
    return {path.stem: _load_mapping(path, iris) for path in sorted(folder.glob("*.yaml"))}


def _load_mapping(path: Path, iris: Iris) -> Mapping:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise MappingError(f"{path.name}: not valid YAML: {err}") from err
    if not isinstance(spec, dict) or not {"source", "graph", "subject", "columns"} <= spec.keys():
        raise MappingError(f"{path.name}: needs keys source, graph, subject and columns")
    where = path.name
    unknown = set(spec) - _KEYS
    if unknown:
        raise MappingError(
            f"{where}: unknown keys {sorted(unknown)} (expected some of {sorted(_KEYS)})"
        )
    try:
        columns = {
            name: _column_rule(name, rule or {}, iris, where)
            for name, rule in spec["columns"].items()
        }
        return Mapping(
            path=path,
            source=str(spec["source"]),
            graph=_template(iris.graph_iri("{dataset}", str(spec["graph"])), iris),
            subject=_template(str(spec["subject"]), iris),
            types=tuple(iris.expand(t) for t in spec.get("types", [])),
            key=tuple(spec.get("key", [])),
            static=tuple(
                (iris.expand(p), _template(o["ref"], iris))
                for p, o in (spec.get("static") or {}).items()
            ),
            columns=columns,
            read=read_spec(spec, where),
            repairs=str(spec["repairs"]) if "repairs" in spec else None,
            organisation=_organisation(spec.get("organisation"), where),
            merge=_merge(spec.get("merge"), where),
            terms=terms_of(path, spec, iris),
        )
    except KeyError as err:
        raise MappingError(f"{where}: unknown prefix or key {err}") from err


def _organisation(block: Any, where: str) -> dict[str, Any] | None:
    if block is not None and not isinstance(block, dict):
        raise MappingError(f"{where}: organisation must be a block of keys (name, aliases, ...)")
    return block


MERGES = ("equal", "union")


def _merge(value: Any, where: str) -> str | None:
    if value is not None and value not in MERGES:
        raise MappingError(f"{where}: merge {value!r} is not one of {list(MERGES)}")
    return None if value is None else str(value)


def _leaves(value: Any) -> list[str]:
    """The strings in a block of keys (the source fields an `organisation:` block names)."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value] if isinstance(value, str) else []


def _column_rule(name: str, rule: dict[str, Any], iris: Iris, where: str) -> ColumnRule:
    unknown = set(rule) - _COLUMN_KEYS
    if unknown:
        raise MappingError(f"{where}: column {name!r} has unknown keys {sorted(unknown)}")
    if rule.get("ignore"):
        return ColumnRule(name=name, ignore=True)
    if "predicate" not in rule:
        raise MappingError(f"{where}: column {name!r} needs a predicate (or ignore: true)")
    number, date = rule.get("number"), rule.get("date")
    if number is not None and number not in NUMBER_STYLES:
        raise MappingError(
            f"{where}: column {name!r}: number {number!r} is not one of {sorted(NUMBER_STYLES)}"
        )
    if date is not None and "%" not in str(date):
        raise MappingError(
            f"{where}: column {name!r}: date {date!r} needs a format such as %d.%m.%Y"
        )
    default = "xsd:decimal" if number else "xsd:date" if date else "xsd:string"
    return ColumnRule(
        name=name,
        predicate=iris.expand(rule["predicate"]),
        datatype=iris.expand(rule.get("datatype", default)),
        lang=rule.get("lang"),
        ref=_template(rule["ref"], iris) if "ref" in rule else None,
        iri=_template(rule["iri"], iris) if "iri" in rule else None,
        required=bool(rule.get("required", False)),
        separator=rule.get("separator"),
        pattern=re.compile(rule["pattern"]) if "pattern" in rule else None,
        number=number,
        date=str(date) if date is not None else None,
        map=value_map(rule.get("map"), rule.get("unmapped"), f"{where}: column {name!r}"),
    )


def _template(text: str, iris: Iris) -> Template:
    expanded = text if text.startswith("{") else iris.expand(text)
    fields = tuple(name for _, name, _, _ in string.Formatter().parse(expanded) if name)
    return Template(expanded, fields)

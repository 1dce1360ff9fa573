"""The mapping files (docs/mapping.md): `data/mappings/*.yaml` read into typed rules.

A mapping that does not fit the format (unknown key, unknown prefix, no predicate) raises
MappingError naming the file and the column; `lcgraph.mapping` applies the rules to rows.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lcgraph.errors import MappingError
from lcgraph.iris import Iris

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
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
}


@dataclass(frozen=True)
class Template:
    """An IRI template such as `{base}/id/organisation/{id}`, with its prefix expanded."""

    text: str
    fields: tuple[str, ...]

    def fill(self, values: dict[str, str], value: str | None = None) -> str:
        cells = {name: values[name] for name in self.fields if name != "value"}
        if value is not None:
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


@dataclass(frozen=True)
class Mapping:
    """A loaded mapping file: how each row of one CSV becomes triples."""

    path: Path
    source: str
    graph: Template
    subject: Template
    types: tuple[str, ...]
    key: tuple[str, ...]
    static: tuple[tuple[str, Template], ...]
    columns: dict[str, ColumnRule]


def load_mappings(folder: Path, iris: Iris) -> dict[str, Mapping]:
    """Every `*.yaml` in `folder`, keyed by the CSV file name it maps. Raises MappingError."""
    mappings: dict[str, Mapping] = {}
    for path in sorted(folder.glob("*.yaml")):
        mapping = _load_mapping(path, iris)
        if mapping.source in mappings:
            raise MappingError(f"{path.name}: {mapping.source} is mapped twice")
        mappings[mapping.source] = mapping
    return mappings


def _load_mapping(path: Path, iris: Iris) -> Mapping:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise MappingError(f"{path.name}: not valid YAML: {err}") from err
    if not isinstance(spec, dict) or not {"source", "graph", "subject", "columns"} <= spec.keys():
        raise MappingError(f"{path.name}: needs keys source, graph, subject and columns")
    where = path.name
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
        )
    except KeyError as err:
        raise MappingError(f"{where}: unknown prefix or key {err}") from err


def _column_rule(name: str, rule: dict[str, Any], iris: Iris, where: str) -> ColumnRule:
    unknown = set(rule) - _COLUMN_KEYS
    if unknown:
        raise MappingError(f"{where}: column {name!r} has unknown keys {sorted(unknown)}")
    if rule.get("ignore"):
        return ColumnRule(name=name, ignore=True)
    if "predicate" not in rule:
        raise MappingError(f"{where}: column {name!r} needs a predicate (or ignore: true)")
    return ColumnRule(
        name=name,
        predicate=iris.expand(rule["predicate"]),
        datatype=iris.expand(rule.get("datatype", "xsd:string")),
        lang=rule.get("lang"),
        ref=_template(rule["ref"], iris) if "ref" in rule else None,
        iri=_template(rule["iri"], iris) if "iri" in rule else None,
        required=bool(rule.get("required", False)),
        separator=rule.get("separator"),
        pattern=re.compile(rule["pattern"]) if "pattern" in rule else None,
    )


def _template(text: str, iris: Iris) -> Template:
    expanded = text if text.startswith("{") else iris.expand(text)
    fields = tuple(name for _, name, _, _ in string.Formatter().parse(expanded) if name)
    return Template(expanded, fields)

"""Map source rows to N-Quads with the rules of their mapping (`lcgraph.mapping_spec`).

Terms are made and serialised by pyoxigraph (`NamedNode`, `Literal`), which also checks
that every minted IRI is valid. The output is N-Quads text for `Store.bulk_load`, the
fastest way into the store (benchmarks/build.py). Problems are collected per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from lcgraph.errors import Problem
from lcgraph.iris import RDF_TYPE, Iris
from lcgraph.mapping_checks import check_columns, duplicate_key
from lcgraph.mapping_spec import NUMBER_STYLES, ColumnRule, Mapping, Template
from lcgraph.sources import SEVERAL, Row, SourceFile
from lcgraph.values import check_value, date_example, dutch_number, formatted_date

RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
ORGANISATION = "@organisation"  # the stakeholders step's slug of a row's organisation


@dataclass
class MappedSource:
    """The result of mapping one source: N-Quads lines, the subjects minted, the refs to resolve."""

    file: str
    path: Path | None = None
    lines: list[str] = field(default_factory=list)
    subjects: dict[str, str] = field(default_factory=dict)  # IRI -> where it was minted
    graphs: set[str] = field(default_factory=set)
    refs: list[tuple[str, Row, str, str]] = field(default_factory=list)
    # The IRI-valued triples again, as strings, for inference in Python.
    links: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unmatched: int = 0  # reference-only records that no other source's organisation matched
    # merge: equal: the first row that described a subject, and its mapped cells
    described: dict[str, tuple[Row, dict[str, str]]] = field(default_factory=dict)


class _Terms:
    """N-Triples text of terms, cached: IRIs such as predicates repeat on every row."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}

    def iri(self, value: str) -> str:
        text = self._iris.get(value)
        if text is None:
            text = self._iris[value] = str(NamedNode(value))
        return text


def map_source(
    source: SourceFile,
    mapping: Mapping,
    dataset: str,
    iris: Iris,
    also_mapped: frozenset[str] = frozenset(),
) -> MappedSource:
    """Map every row of `source`; problems (bad cells, duplicate keys) are collected.

    `also_mapped`: the fields that other mappings of the same file map (every field needs
    a mapping in one of them). A source that could not be read at all maps to nothing (its
    reading problem says why).
    """
    out = MappedSource(file=source.name, path=source.path)
    if not source.readable:
        return out
    check_columns(source, mapping, out.problems, also_mapped)
    if out.problems:
        return out
    terms = _Terms()
    seen_keys: dict[tuple[str, ...], str] = {}
    provenance = terms.iri(iris.provenance_graph)
    derived = terms.iri("http://www.w3.org/ns/prov#wasDerivedFrom")
    comment = terms.iri(RDFS_COMMENT)
    file_iri = iris.source_iri(dataset, source.name)
    reference_only = bool((mapping.organisation or {}).get("reference_only"))
    for row in source.rows:
        if mapping.key and duplicate_key(row, mapping.key, seen_keys, out.problems):
            continue
        if reference_only and ORGANISATION not in row.values:
            out.unmatched += 1  # it enriches only organisations that other sources name
            continue
        subject = _map_row(row, mapping, dataset, terms, out)
        if subject is None:
            continue
        row_iri = terms.iri(f"{file_iri}#{row.fragment}")
        out.lines.append(f"{subject} {derived} {row_iri} {provenance} .\n")
        for note in row.notes:  # what was repaired, or left damaged, in this row's text
            out.lines.append(f"{row_iri} {comment} {Literal(note, language='en')} {provenance} .\n")
    return out


def _map_row(
    row: Row, mapping: Mapping, dataset: str, terms: _Terms, out: MappedSource
) -> str | None:
    """Append the triples of one row to `out`; returns its subject, or None on a problem."""
    values = {**row.values, "dataset": dataset, "@row": str(row.number)}
    try:
        subject_iri = mapping.subject.fill(values)
        graph = terms.iri(mapping.graph.fill(values))
        subject = str(NamedNode(subject_iri))
        statics = [(p, t.fill(values)) for p, t in mapping.static]
    except (ValueError, KeyError) as err:
        out.problems.append(_unsafe(row, str(err).strip("'\""), mapping))
        _check_cells(row, mapping, values, out)
        return None
    if subject_iri in out.subjects and mapping.merge != "union":
        if mapping.merge == "equal":
            return subject if _agrees(row, mapping, subject_iri, out) else None
        where = out.subjects[subject_iri]
        out.problems.append(row.problem(f"mints the same IRI {subject_iri} as {where}"))
        return None
    out.subjects.setdefault(subject_iri, row.where)
    if mapping.merge == "equal":
        out.described[subject_iri] = (row, _cells(row, mapping))
    out.graphs.add(graph[1:-1])
    lines, links = out.lines, out.links
    rdf_type = terms.iri(RDF_TYPE)
    for cls in mapping.types:
        lines.append(f"{subject} {rdf_type} {terms.iri(cls)} {graph} .\n")
        links.append((subject_iri, RDF_TYPE, cls))
    for predicate, target in statics:
        out.refs.append((target, row, predicate, target))
        lines.append(f"{subject} {terms.iri(predicate)} {terms.iri(target)} {graph} .\n")
        links.append((subject_iri, predicate, target))
    for rule in mapping.columns.values():
        if not rule.ignore:
            for obj in _objects(row, rule, values, terms, out):
                lines.append(f"{subject} {terms.iri(rule.predicate)} {obj} {graph} .\n")
                if obj[0] == "<":
                    links.append((subject_iri, rule.predicate, obj[1:-1]))
    return subject


def _cells(row: Row, mapping: Mapping) -> dict[str, str]:
    return {n: row.values.get(n, "") for n, r in mapping.columns.items() if not r.ignore}


def _agrees(row: Row, mapping: Mapping, subject: str, out: MappedSource) -> bool:
    """`merge: equal`: a row that describes a subject again must give the same values."""
    first, cells = out.described[subject]
    conflicts = [(n, v) for n, v in _cells(row, mapping).items() if v != cells[n]]
    for name, value in conflicts:
        out.problems.append(
            row.problem(
                f"describes {subject} as {first.where} does, with another value",
                field=name,
                value=value,
                expected=f"{cells[name]!r} as in {first.where} (merge: equal)",
            )
        )
    return not conflicts


def _check_cells(row: Row, mapping: Mapping, values: dict[str, str], out: MappedSource) -> None:
    """Report the cell problems of a row that cannot be mapped, without keeping its triples."""
    scratch = MappedSource(file=out.file)
    for rule in mapping.columns.values():
        if not rule.ignore:
            _objects(row, rule, values, _Terms(), scratch)
    out.problems.extend(scratch.problems)


def _objects(
    row: Row, rule: ColumnRule, values: dict[str, str], terms: _Terms, out: MappedSource
) -> list[str]:
    cell = row.values.get(rule.name)  # None: a JSON record without this field
    if not cell or not cell.strip(SEVERAL):
        if rule.required:
            out.problems.append(
                row.problem(
                    "is empty" if cell is not None else "is missing from the record",
                    field=rule.name,
                    value="",
                    expected="a value (required)",
                )
            )
        return []
    items = [
        part.strip()
        for value in cell.split(SEVERAL)
        for part in (value.split(rule.separator) if rule.separator else [value])
    ]
    objects = []
    for item in filter(None, items):
        obj = _object(row, rule, values, item, terms, out)
        if obj is not None:
            objects.append(obj)
    return objects


def _object(
    row: Row,
    rule: ColumnRule,
    values: dict[str, str],
    item: str,
    terms: _Terms,
    out: MappedSource,
) -> str | None:
    def problem(message: str, expected: str) -> None:
        out.problems.append(row.problem(message, field=rule.name, value=item, expected=expected))

    if rule.map is not None:
        mapped = rule.map.apply(item)
        if mapped is None:
            problem("is not in the column's value map", rule.map.describe())
            return None
        if not mapped:  # unmapped: skip
            return None
        item = mapped
    if rule.pattern is not None and not rule.pattern.fullmatch(item):
        problem("does not match the column's pattern", f"/{rule.pattern.pattern}/")
        return None
    template = rule.ref or rule.iri
    if template is not None:
        return _iri_object(row, rule, template, values, item, terms, out, problem)
    if rule.lang is not None:
        return str(Literal(item, language=rule.lang))
    read = _read(rule, item)
    if read is None:
        problem("cannot be read", _written(rule))
        return None
    item = read
    expected = check_value(rule.datatype, item)
    if expected is not None:
        problem("is not a valid value", expected)
        return None
    return str(Literal(item, datatype=NamedNode(rule.datatype)))


def _read(rule: ColumnRule, item: str) -> str | None:
    """The value in XSD's lexical form, from the way the column writes it (`number`, `date`)."""
    if rule.number is not None:
        return dutch_number(item)
    if rule.date is not None:
        return formatted_date(item, rule.date)
    return item


def _written(rule: ColumnRule) -> str:
    if rule.number is not None:
        return NUMBER_STYLES[rule.number]
    return f"a date written {rule.date} such as {date_example(str(rule.date))}"


def _iri_object(
    row: Row,
    rule: ColumnRule,
    template: Template,
    values: dict[str, str],
    item: str,
    terms: _Terms,
    out: MappedSource,
    problem: Callable[[str, str], None],
) -> str | None:
    try:
        target = item if template.text == "{value}" else template.fill(values, item)
        text = terms.iri(target)
    except KeyError as err:  # a field the build computes (`{@organisation}`) has no value
        name = str(err.args[0])
        if not name.startswith("@"):
            problem(f"names field {name!r}, which the record lacks", "a value in that field")
            return None
        out.problems.append(
            row.problem(
                "has no value computed by the build",
                field=name,
                expected=f"a value for {name} before mapping (column {rule.name!r})",
            )
        )
        return None
    except ValueError:
        problem("cannot be used in an IRI", "letters, digits, '-', '_', '.' or '~'")
        return None
    if rule.ref is not None:
        out.refs.append((target, row, rule.name, item))
    return text


def _unsafe(row: Row, name: str, mapping: Mapping) -> Problem:
    if name.startswith("@") and name not in row.values:
        return row.problem(
            "has no value computed by the build",
            field=name,
            expected=f"a value for {name} before mapping ({mapping.path.name})",
        )
    return row.problem(
        "cannot be used in the subject IRI",
        field=name,
        value=row.values.get(name, ""),
        expected=f"letters, digits, '-', '_', '.' or '~' ({mapping.path.name})",
    )

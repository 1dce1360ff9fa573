"""Map CSV rows to N-Quads with the rules of their mapping (`lcgraph.mapping_spec`).

Terms are made and serialised by pyoxigraph (`NamedNode`, `Literal`), which also checks
that every minted IRI is valid. The output is N-Quads text for `Store.bulk_load`, the
fastest way into the store (benchmarks/build.py). Problems are collected per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from lcgraph.errors import Problem
from lcgraph.iris import Iris
from lcgraph.mapping_spec import RDF_TYPE, ColumnRule, Mapping, Template
from lcgraph.sources import Row, SourceFile
from lcgraph.values import check_value


@dataclass
class MappedSource:
    """The result of mapping one CSV: N-Quads lines, the subjects minted, the refs to resolve."""

    file: str
    lines: list[str] = field(default_factory=list)
    subjects: dict[str, int] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)
    refs: list[tuple[str, Row, str, str]] = field(default_factory=list)
    # The IRI-valued triples again, as strings, for inference in Python.
    links: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Terms:
    """N-Triples text of terms, cached: IRIs such as predicates repeat on every row."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}

    def iri(self, value: str) -> str:
        text = self._iris.get(value)
        if text is None:
            text = self._iris[value] = str(NamedNode(value))
        return text


def map_source(source: SourceFile, mapping: Mapping, dataset: str, iris: Iris) -> MappedSource:
    """Map every row of `source`; problems (bad cells, duplicate keys) are collected."""
    out = MappedSource(file=source.name)
    _check_columns(source, mapping, out.problems)
    if out.problems:
        return out
    terms = _Terms()
    seen_keys: dict[tuple[str, ...], int] = {}
    provenance = terms.iri(iris.provenance_graph)
    derived = terms.iri("http://www.w3.org/ns/prov#wasDerivedFrom")
    for row in source.rows:
        if mapping.key and _duplicate_key(row, mapping.key, seen_keys, out.problems):
            continue
        subject = _map_row(row, mapping, dataset, terms, out)
        if subject is None:
            continue
        row_iri = terms.iri(iris.source_iri(dataset, source.name, row.number))
        out.lines.append(f"{subject} {derived} {row_iri} {provenance} .\n")
    return out


def _map_row(
    row: Row, mapping: Mapping, dataset: str, terms: _Terms, out: MappedSource
) -> str | None:
    """Append the triples of one row to `out`; returns its subject, or None on a problem."""
    values = {**row.values, "dataset": dataset}
    try:
        subject_iri = mapping.subject.fill(values)
        graph = terms.iri(mapping.graph.fill(values))
        subject = str(NamedNode(subject_iri))
    except (ValueError, KeyError) as err:
        out.problems.append(_unsafe(row, str(err).strip("'"), mapping))
        _check_cells(row, mapping, values, out)
        return None
    if subject_iri in out.subjects:
        out.problems.append(
            Problem(
                row.file,
                f"mints the same IRI {subject_iri} as row {out.subjects[subject_iri]}",
                row=row.number,
            )
        )
        return None
    out.subjects[subject_iri] = row.number
    out.graphs.add(graph[1:-1])
    lines, links = out.lines, out.links
    rdf_type = terms.iri(RDF_TYPE)
    for cls in mapping.types:
        lines.append(f"{subject} {rdf_type} {terms.iri(cls)} {graph} .\n")
        links.append((subject_iri, RDF_TYPE, cls))
    for predicate, template in mapping.static:
        target = template.fill(values)
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
    cell = row.values[rule.name]
    if not cell:
        if rule.required:
            out.problems.append(
                Problem(
                    row.file,
                    "is empty",
                    row=row.number,
                    field=rule.name,
                    value="",
                    expected="a value (required)",
                )
            )
        return []
    items = [v.strip() for v in cell.split(rule.separator)] if rule.separator else [cell]
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
        out.problems.append(
            Problem(
                row.file, message, row=row.number, field=rule.name, value=item, expected=expected
            )
        )

    if rule.pattern is not None and not rule.pattern.fullmatch(item):
        problem("does not match the column's pattern", f"/{rule.pattern.pattern}/")
        return None
    template = rule.ref or rule.iri
    if template is not None:
        return _iri_object(row, rule, template, values, item, terms, out, problem)
    if rule.lang is not None:
        return str(Literal(item, language=rule.lang))
    expected = check_value(rule.datatype, item)
    if expected is not None:
        problem("is not a valid value", expected)
        return None
    return str(Literal(item, datatype=NamedNode(rule.datatype)))


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
    except (ValueError, KeyError):
        problem("cannot be used in an IRI", "letters, digits, '-', '_', '.' or '~'")
        return None
    if rule.ref is not None:
        out.refs.append((target, row, rule.name, item))
    return text


def _check_columns(source: SourceFile, mapping: Mapping, problems: list[Problem]) -> None:
    for name in source.header:
        if name not in mapping.columns:
            problems.append(
                Problem(
                    source.name,
                    "has no mapping",
                    row=1,
                    field=name,
                    expected=f"an entry under columns: in {mapping.path.name}",
                )
            )
    for name in mapping.columns:
        if name not in source.header:
            problems.append(
                Problem(
                    source.name,
                    "is missing from the header",
                    row=1,
                    field=name,
                    expected=f"the column {mapping.path.name} maps",
                )
            )


def _duplicate_key(
    row: Row, key: tuple[str, ...], seen: dict[tuple[str, ...], int], problems: list[Problem]
) -> bool:
    value = tuple(row.values[name] for name in key)
    if value in seen:
        problems.append(
            Problem(
                row.file,
                f"duplicates row {seen[value]}",
                row=row.number,
                field=",".join(key),
                value=",".join(value),
                expected="a unique value",
            )
        )
        return True
    seen[value] = row.number
    return False


def _unsafe(row: Row, name: str, mapping: Mapping) -> Problem:
    return Problem(
        row.file,
        "cannot be used in the subject IRI",
        row=row.number,
        field=name,
        value=row.values.get(name, ""),
        expected=f"letters, digits, '-', '_', '.' or '~' ({mapping.path.name})",
    )

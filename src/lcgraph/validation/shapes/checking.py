"""Run the compiled checks on a store; each violation becomes a Problem located by its row."""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

import pyoxigraph as ox

from lcgraph.errors import Problem
from lcgraph.validation.shapes.model import (
    DEFAULT_PREFIXES,
    SOURCE_ROW,
    VIOLATION,
    CompiledCheck,
    Queryable,
    Violation,
    compact,
)

# ---- running on the store ------------------------------------------------------------------


def check_store(
    store: Queryable,
    checks: Iterable[CompiledCheck],
    provenance_graph: str,
    prefixes: Mapping[str, str] = DEFAULT_PREFIXES,
    severities: Collection[str] = frozenset({VIOLATION}),
) -> list[Problem]:
    """The violations of the compiled checks in `store`, located by the focus node's source row.

    Queries see the union of all graphs (so the materialised types of `{base}/graph/inferred`
    count); file and row come from `prov:wasDerivedFrom` in `provenance_graph`. The store is
    only read. Only checks whose sh:severity is in `severities` run: by default sh:Violation,
    what fails a build; pass ALL_SEVERITIES for warnings too (their message says "warning:").
    """
    chosen = [c for c in checks if c.severity in severities]
    violations = find_violations(store, chosen, provenance_graph)
    return [to_problem(v, prefixes) for v in violations]


def find_violations(
    store: Queryable, checks: Iterable[CompiledCheck], provenance_graph: str
) -> list[Violation]:
    """The violations of each check, one per (check, focus, value), in check order."""
    substitutions = {ox.Variable("provenance"): ox.NamedNode(provenance_graph)}

    def run(check: CompiledCheck) -> list[Violation]:
        rows = store.query(
            check.query, use_default_graph_as_union=True, substitutions=substitutions
        )
        assert isinstance(rows, ox.QuerySolutions)
        return _first_source_per_violation(check, rows)

    # The engine releases the GIL while it evaluates, so checks run on every core at once.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return [v for found in pool.map(run, checks) for v in found]


def _first_source_per_violation(check: CompiledCheck, rows: ox.QuerySolutions) -> list[Violation]:
    """One violation per (focus, value), with its lowest source IRI (several rows may share one)."""
    sources: dict[tuple[str, str | None], str | None] = {}
    for row in rows:
        key = (str(row["focus"]), None if row["value"] is None else str(row["value"]))
        source = None if row["source"] is None else str(row["source"].value)
        old = sources.get(key)
        sources[key] = source if old is None or (source is not None and source < old) else old
    return [
        Violation(focus, check.path, check.component, value, source, check)
        for (focus, value), source in sources.items()
    ]


def to_problem(v: Violation, prefixes: Mapping[str, str] = DEFAULT_PREFIXES) -> Problem:
    """A violation as a located Problem: source file and row when the focus has provenance."""
    focus = _show(v.focus, prefixes)
    file, row = _source_location(v.source)
    check = v.check
    severity = VIOLATION if check is None else check.severity
    text = "violates " + compact(v.component, prefixes)
    if check is not None and check.message:
        text = check.message
    if severity != VIOLATION:
        text = f"{compact(severity, prefixes).removeprefix('sh:').lower()}: {text}"
    return Problem(
        file=file or focus,
        row=row,
        field=None if v.path is None else v.path.local_name,
        value=None if v.value is None else _show(v.value, prefixes),
        expected=None if check is None else check.expected,
        message=f"{focus}: {text}",
    )


def _source_location(source: str | None) -> tuple[str | None, int | None]:
    """`…/source/curated/organisations.csv#row=5` → ("organisations.csv", 5)."""
    match = SOURCE_ROW.search(source or "")
    if match is None:
        return (source, None)
    row = match.group("row")
    return (unquote(match.group("file")), None if row is None else int(row))


def _show(term: str, prefixes: Mapping[str, str]) -> str:
    """N-Triples text made readable: IRIs compacted, plain strings bare."""
    if term.startswith("<") and term.endswith(">"):
        return compact(term[1:-1], prefixes)
    match = re.fullmatch(r'"(.*)"(\^\^<(.*)>)?', term, flags=re.S)
    if match is not None:
        datatype = match.group(3)
        if datatype is None:
            return match.group(1)
        return f"{match.group(1)}^^{compact(datatype, prefixes)}"
    return term

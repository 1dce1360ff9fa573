"""The build's sources step: read what each mapping declares, reconcile, map, infer from text.

Every source is read once per way of reading it, the stakeholders step joins the records
that name one organisation (docs/reconciliation.md), each mapping maps its rows, the
steward's rule tables infer from the projects' text (docs/mentions.md), and every `ref` must
name something defined. All problems come back at once, as one ValidationFailed.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from lcgraph.config import Settings
from lcgraph.errors import Problem, ValidationFailed
from lcgraph.iris import Iris
from lcgraph.mapping import ORGANISATION, MappedSource, map_source
from lcgraph.mapping_spec import Mapping, load_mappings
from lcgraph.mapping_terms import Vocabulary, undeclared_terms
from lcgraph.sources import SourceFile, read_repairs, read_source
from lcgraph.sources.damage import KINDS as DAMAGE_KINDS
from lcgraph.sources.damage import damage_kinds
from lcgraph.stakeholders import DECISIONS, Stakeholders, reconcile
from lcgraph.stakeholders.text_rules import text_inferences

# Files in a data folder that are sources and so need a mapping.
SOURCE_SUFFIXES = (".csv", ".asc", ".xlsx", ".json")
# The steward's rule tables for what is inferred from text, beside the data folder.
RULES = Path("..") / "rules"


@dataclass
class SourceNotes:
    """What the sources step found that the build's report lists (`lcgraph.build.BuildReport`
    is one, with what the later steps add): declared here once for both."""

    dataset: str = "curated"
    warnings: list[Problem] = field(default_factory=list)  # damaged text only, repaired or marked
    skipped: dict[str, int] = field(default_factory=dict)  # "file: why" -> records skipped
    # Organisation records the stakeholders step left for a steward (docs/reconciliation.md)
    stakeholders: list[Problem] = field(default_factory=list)

    def notes(self) -> list[str]:
        """One line per file with damaged text, per reason records were skipped, and for the
        organisation records left to a steward (a count, then one line each): these are not
        damaged text but ambiguous names, settled in decisions.csv (docs/reconciliation.md)."""
        per_file = Counter(w.file for w in self.warnings)
        kinds: dict[str, Counter[str]] = {f: Counter() for f in per_file}
        for w in self.warnings:  # a cell counts once per kind of damage it holds
            kinds[w.file].update(damage_kinds(w.value or ""))
        lines = [
            f"warning: {f}: {n:,} cell(s) with damaged text" + _kinds(kinds[f])
            for f, n in per_file.items()
        ]
        lines += [f"skipped: {why}: {n:,} record(s)" for why, n in self.skipped.items()]
        if self.stakeholders:
            lines.append(
                f"stakeholders: {len(self.stakeholders):,} ambiguous organisation record(s)"
                " joined to none (a steward decides in decisions.csv)"
            )
        return lines + [f"stakeholders: {problem}" for problem in self.stakeholders]


def _kinds(counts: Counter[str]) -> str:
    """` (lost characters: 700, HTML character references: 217)`; "" for none."""
    found = [f"{kind}: {counts[kind]:,}" for kind in DAMAGE_KINDS.values() if counts[kind]]
    return f" ({', '.join(found)})" if found else ""


@dataclass
class Sourced(SourceNotes):
    """What the sources step made: its notes, and each source's mapped result."""

    mapped: list[MappedSource] = field(default_factory=list)


def map_sources(
    settings: Settings,
    iris: Iris,
    dataset: str,
    ontology: rdflib.Graph,
    mapped_one: Callable[[MappedSource], None] = lambda result: None,
) -> Sourced:
    """Read and map every source the mappings name; raise with all problems at once.

    `mapped_one` sees each source's result as soon as it is made (the build streams its
    lines into the store meanwhile); a result with problems too, as the raise comes last.
    """
    report = Sourced(dataset)
    mappings = load_mappings(settings.mappings, iris)
    problems = undeclared_terms(mappings.values(), Vocabulary(ontology, iris.expand("lc:")))
    problems.extend(_unmapped_files(settings.data, mappings.values()))
    read = _read_all(settings.data, mappings.values(), problems, report)
    # The stakeholders step: writes `@organisation` on the rows that name an organisation.
    stakeholders = reconcile(read, iris, report.dataset, settings.data / DECISIONS)
    problems.extend(stakeholders.problems)
    # When the step failed, the rows are mapped still (for their own problems: a duplicate
    # key, a bad amount), without the `@organisation` ones, which would only repeat its.
    failed = bool(stakeholders.problems)
    report.stakeholders.extend(stakeholders.warnings)
    report.skipped.update(stakeholders.skipped)
    mapped: list[MappedSource] = [stakeholders.mapped]
    mapped_one(stakeholders.mapped)
    fields: dict[Path, set[str]] = {}  # what the mappings of each file map, together
    for mapping, source in read:
        fields.setdefault(source.path, set()).update(mapping.mapped_fields, mapping.columns)
    for mapping, source in read:
        also = frozenset(fields[source.path])
        result = map_source(source, mapping, report.dataset, iris, also)
        problems.extend(p for p in result.problems if not (failed and p.field == ORGANISATION))
        if result.unmatched:
            why = f"{source.name}: reference only, no other source names it ({mapping.path.name})"
            report.skipped[why] = result.unmatched
        mapped.append(result)
        mapped_one(result)
    try:  # partners named in summaries and topsectors by rule, once organisations are known
        mapped.append(_text_inferences(settings, iris, report.dataset, read, stakeholders, mapped))
        mapped_one(mapped[-1])
    except ValidationFailed as failed:  # a bad rule table, reported with the rest
        problems.extend(failed.problems)
    problems.extend(_unresolved_refs(mapped, ontology))
    if problems:
        raise ValidationFailed(problems, stage="sources")
    report.mapped = mapped
    return report


def _text_inferences(
    settings: Settings,
    iris: Iris,
    dataset: str,
    read: list[tuple[Mapping, SourceFile]],
    stakeholders: Stakeholders,
    mapped: list[MappedSource],
) -> MappedSource:
    """What the steward's tables in data/rules infer from the projects' text (docs/mentions.md)."""
    orgs = stakeholders.organisations
    names = {o.slug: [n for r in o.records for n in r.names] for o in orgs}
    types = {o.slug: frozenset(o.types) for o in orgs}
    subjects = [s for m in mapped for s in m.subjects]
    return text_inferences(read, dataset, iris, settings.data / RULES, names, types, subjects)


def _read_all(
    data: Path, mappings: Iterable[Mapping], problems: list[Problem], report: Sourced
) -> list[tuple[Mapping, SourceFile]]:
    """Each mapping's source, read as it declares (a path relative to the data folder).

    A file is read once per way of reading it (read spec and repair table): mappings that
    read it alike share its rows, so what the build computes for a row (`@organisation`)
    is seen by all of them. A mapping whose source is not in this data folder maps
    nothing, so one set of mappings serves the curated data and a synthetic folder alike.
    """
    read: list[tuple[Mapping, SourceFile]] = []
    sources: dict[tuple[Path, object, str | None], SourceFile] = {}
    for mapping in mappings:
        path = (data / mapping.source).resolve()
        if not path.is_file():
            continue
        mapping = mapping.resolved(data, problems)
        once = (path, mapping.read, mapping.repairs)
        source = sources.get(once)
        if source is None:
            repairs = read_repairs(data / mapping.repairs, problems) if mapping.repairs else None
            source = sources[once] = read_source(data / mapping.source, mapping.read, repairs)
            problems.extend(source.problems)
            if all(s.path != source.path for s in sources.values() if s is not source):
                report.warnings.extend(source.warnings)  # once per file, however often read
            for why, count in source.skipped.items():
                report.skipped[f"{source.name}: {why}"] = count
        read.append((mapping, source))
    return read


def _unmapped_files(data: Path, mappings: Iterable[Mapping]) -> list[Problem]:
    """A source file in the data folder that no mapping names is refused."""
    named = {(data / m.source).resolve() for m in mappings}
    return [
        Problem(path.name, "has no mapping", expected=f"a mapping with `source: {path.name}`")
        for path in sorted(data.iterdir())
        if path.suffix in SOURCE_SUFFIXES and path.resolve() not in named
    ]


def _unresolved_refs(mapped: list[MappedSource], ontology: rdflib.Graph) -> list[Problem]:
    """A `ref` must name something defined: a subject of some source or an ontology term.

    An unknown code comes with the nearest defined codes of the same kind (difflib).
    """
    defined = {str(s) for s in ontology.subjects() if isinstance(s, rdflib.URIRef)}
    for result in mapped:
        defined.update(result.subjects)
    return [
        row.problem(
            "refers to something that is not defined",
            field=field_name,
            value=value,
            expected=f"a defined resource <{target}>{_nearest(target, value, defined)}",
        )
        for result in mapped
        for target, row, field_name, value in result.refs
        if target not in defined
    ]


def _nearest(target: str, value: str, defined: set[str]) -> str:
    """`; did you mean "students"?`: defined IRIs that differ from `target` only near `value`."""
    if not value or not target.endswith(value):
        return ""
    stem = target[: -len(value)]
    codes = [iri[len(stem) :] for iri in defined if iri.startswith(stem)]
    near = difflib.get_close_matches(value, codes, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(map(repr, near))}?" if near else ""

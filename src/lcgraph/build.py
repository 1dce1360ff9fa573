"""The pipeline, all-or-nothing: sources → mapping → staged store → inference → validation → swap.

`build()` either makes a complete, validated graph live or raises with every problem it
found and leaves the live graph as it was (the store's `stage()` guarantees the swap).
"""

from __future__ import annotations

import difflib
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib
import yaml
from pyoxigraph import RdfFormat

from lcgraph import __version__, inference, search
from lcgraph.config import Settings
from lcgraph.errors import MappingError, Problem, ValidationFailed
from lcgraph.iris import Iris
from lcgraph.mapping import ORGANISATION, MappedSource, map_source
from lcgraph.mapping_spec import Mapping, load_mappings
from lcgraph.mapping_terms import Vocabulary, undeclared_terms
from lcgraph.provenance import SourceRecord, describe_build
from lcgraph.releases.history_graph import history_quads
from lcgraph.sources import SourceFile, read_repairs, read_source
from lcgraph.sources.damage import KINDS as DAMAGE_KINDS
from lcgraph.sources.damage import damage_kinds
from lcgraph.stakeholders import DECISIONS, Stakeholders, reconcile
from lcgraph.stakeholders.text_rules import text_inferences
from lcgraph.store import GraphStore, Staging, open_store
from lcgraph.validation import ontology as ontology_checks
from lcgraph.validation import shapes as shape_checks

Step = Callable[[str], None]
STEPS = ("ontology", "mapping", "inference", "loading", "validation", "search", "switch")
# Files in a data folder that are sources and so need a mapping.
SOURCE_SUFFIXES = (".csv", ".asc", ".xlsx", ".json")
# The steward's rule tables for what is inferred from text, beside the data folder.
RULES = Path("..") / "rules"


@dataclass
class BuildReport:
    """What a build made: its revision, triple counts per graph and seconds per step."""

    revision: str | None = None
    dataset: str = "curated"
    graphs: dict[str, int] = field(default_factory=dict)
    inferred: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # damaged text only, repaired or marked
    skipped: dict[str, int] = field(default_factory=dict)  # "file: why" -> records skipped
    # Organisation records the stakeholders step left for a steward (docs/reconciliation.md)
    stakeholders: list[Problem] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

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


def dataset_name(data: Path) -> str:
    """`name:` in the data folder's dataset.yaml; `curated` when there is none."""
    meta = data / "dataset.yaml"
    if not meta.exists():
        return "curated"
    name = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("name")
    if not isinstance(name, str) or not name.isidentifier():
        raise MappingError(f"{meta}: needs `name:` with a simple identifier")
    return name


def build(
    settings: Settings, step: Step = lambda name: None, store: GraphStore | None = None
) -> BuildReport:
    """Build the graph from `settings.data` into `store` (default: `settings.store`).

    Raises ValidationFailed with every problem found; the live graph is then untouched.
    """
    if store is None:  # a store of our own, closed when done (a remote one holds connections)
        with closing(open_store(settings.store, settings)) as own:
            return build(settings, step, own)
    report = BuildReport(dataset=dataset_name(settings.data))
    iris = Iris(settings.base_iri)
    started = datetime.now(UTC)
    with _timed(report, "ontology", step):
        ontology = _checked_ontology(settings)
        vocabularies = ontology_checks.load_service_vocabularies(settings.ontology)
    with _timed(report, "mapping", step):
        mapped = _map_all(settings, iris, report, ontology)
    with _timed(report, "inference", step):
        axioms = inference.Axioms.of(ontology)
        stated = [link for result in mapped for link in result.links]
        inferred = inference.infer(stated, [], axioms)
    with store.stage() as staging:
        with _timed(report, "loading", step), tempfile.TemporaryDirectory() as tmp:
            # One bulk load for everything (each bulk load writes and merges new files), read
            # from a file so the text is never held twice in memory.
            nquads = Path(tmp) / "graph.nq"
            with nquads.open("wb") as out:
                out.write(_ontology_nquads(ontology, iris))
                out.write(_ontology_nquads(vocabularies, iris))  # /def/search dereferences
                out.write(_provenance_nquads(settings, iris, mapped, report.dataset, started))
                out.write(inference.nquads(inferred, iris.inferred_graph))
                for result in mapped:
                    out.write("".join(result.lines).encode("utf-8"))
                    result.lines.clear()
            staging.load(nquads)
            report.inferred = len(inferred) + _apply_rules(
                staging, settings, iris, stated, inferred, axioms
            )
            staging.extend(history_quads(settings, iris, staging))  # for SPARQL: what changed
        with _timed(report, "validation", step):
            _validate(staging, settings, iris)
        with _timed(report, "search", step):  # issue 15: the index goes live with the graph
            search.index_staging(staging, store, iris.inferred_graph)
        report.graphs = _graph_sizes(staging)
        staging.set_meta(
            dataset=report.dataset,
            graphs=report.graphs,
            built_at=started.isoformat(),
            version=__version__,
        )
        step("switch")  # the block's end makes the graph live (a remote store uploads it)
        switching = time.perf_counter()
    report.timings["switch"] = round(time.perf_counter() - switching, 3)
    report.revision = store.revision()
    return report


@contextmanager
def _timed(report: BuildReport, name: str, step: Step) -> Iterator[None]:
    step(name)
    start = time.perf_counter()
    yield
    report.timings[name] = round(time.perf_counter() - start, 3)


def _checked_ontology(settings: Settings) -> rdflib.Graph:
    """The ontology with its imports, after its quality gates passed."""
    problems = ontology_checks.check_ontology(settings.ontology, reasoner=settings.reasoner)
    if problems:
        raise ValidationFailed(problems, stage="ontology")
    return ontology_checks.load_ontology(settings.ontology / "lcgraph-edit.ttl")


def _map_all(
    settings: Settings, iris: Iris, report: BuildReport, ontology: rdflib.Graph
) -> list[MappedSource]:
    """Read and map every source the mappings name; raise with all problems at once."""
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
    try:  # partners named in summaries and topsectors by rule, once organisations are known
        mapped.append(_text_inferences(settings, iris, report.dataset, read, stakeholders, mapped))
    except ValidationFailed as failed:  # a bad rule table, reported with the rest
        problems.extend(failed.problems)
    problems.extend(_unresolved_refs(mapped, ontology))
    if problems:
        raise ValidationFailed(problems, stage="sources")
    return mapped


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
    data: Path, mappings: Iterable[Mapping], problems: list[Problem], report: BuildReport
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


def _ontology_nquads(ontology: rdflib.Graph, iris: Iris) -> bytes:
    return _nquads(ontology_checks.ontology_quads(ontology, iris.ontology_graph))


def _provenance_nquads(
    settings: Settings, iris: Iris, mapped: list[MappedSource], dataset: str, started: datetime
) -> bytes:
    sources = [SourceRecord(r.path, dataset, frozenset(r.graphs)) for r in mapped if r.path]
    build_id = started.strftime("%Y%m%dT%H%M%S")
    return _nquads(describe_build(iris, build_id, started, sources, __version__))


def _nquads(quads: Iterable[pyoxigraph.Quad]) -> bytes:
    return pyoxigraph.serialize(quads, format=RdfFormat.N_QUADS) or b""


def _apply_rules(
    staging: Staging,
    settings: Settings,
    iris: Iris,
    stated: list[inference.Link],
    inferred: set[inference.Link],
    axioms: inference.Axioms,
) -> int:
    """Run `ontology/rules/*.rq` on the loaded data and load what they add, closed too."""
    derived = inference.rule_links(staging, settings.ontology / "rules")
    if not derived:
        return 0
    added = inference.infer([*stated, *inferred], derived, axioms)
    staging.load(inference.nquads(added, iris.inferred_graph))
    return len(added)


def _validate(staging: Staging, settings: Settings, iris: Iris) -> None:
    shapes = shape_checks.load_shapes(settings.ontology / "shapes" / "lcgraph.shacl.ttl")
    checks = shape_checks.compile_shapes(shapes)
    problems = shape_checks.check_store(staging, checks, iris.provenance_graph)
    if problems:
        raise ValidationFailed(problems, stage="shapes")


def _graph_sizes(staging: Staging) -> dict[str, int]:
    rows = staging.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, pyoxigraph.QuerySolutions)  # a SELECT
    sizes: dict[str, Any] = {row["g"].value: int(row["n"].value) for row in rows}
    return dict(sorted(sizes.items()))

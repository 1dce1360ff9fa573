"""The pipeline, all-or-nothing: sources → mapping and inference, loaded into a staged store
as they go (`store.bulk_feed`) → validation → search index → swap.

`build()` either makes a complete, validated graph live or raises with every problem it
found and leaves the live graph as it was (the store's `stage()` guarantees the swap).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib
import yaml
from pyoxigraph import RdfFormat

from lcgraph import __version__, inference, search
from lcgraph.build_sources import SourceNotes, map_sources
from lcgraph.config import Settings
from lcgraph.errors import MappingError, ValidationFailed
from lcgraph.iris import Iris
from lcgraph.mapping import MappedSource
from lcgraph.ontology.load import (
    EDIT_FILE,
    load_ontology,
    load_service_vocabularies,
    ontology_quads,
)
from lcgraph.provenance import SourceRecord, describe_build
from lcgraph.releases.history_graph import history_quads
from lcgraph.steps import Step, timed, without_cycle_collection
from lcgraph.store import Feed, GraphStore, Staging, open_store
from lcgraph.validation import ontology as ontology_checks
from lcgraph.validation import shapes as shape_checks

STEPS = ("ontology", "mapping", "inference", "loading", "validation", "search", "switch")


@dataclass
class BuildReport(SourceNotes):
    """What a build made: its revision, triple counts per graph and seconds per step, and
    what its sources step found (`SourceNotes`: damaged text, skipped records, ...)."""

    revision: str | None = None
    graphs: dict[str, int] = field(default_factory=dict)
    inferred: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


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
    with without_cycle_collection():
        return _build(settings, step, store)


def _build(settings: Settings, step: Step, store: GraphStore) -> BuildReport:
    report = BuildReport(dataset=dataset_name(settings.data))
    iris = Iris(settings.base_iri)
    started = datetime.now(UTC)
    with timed(report.timings, "ontology", step):
        ontology = _checked_ontology(settings)
        vocabularies = load_service_vocabularies(settings.ontology)
    with store.stage() as staging, ExitStack() as stack:
        # One bulk load for everything (each bulk load writes and merges new files), fed
        # while the sources are mapped and the links closed: the load runs on the other core
        out = stack.enter_context(staging.loading())
        with timed(report.timings, "mapping", step):
            out.write(_ontology_nquads(ontology, iris))
            out.write(_ontology_nquads(vocabularies, iris))  # /def/search dereferences
            sourced = map_sources(
                settings, iris, report.dataset, ontology, lambda result: _write(out, result)
            )
        mapped = sourced.mapped
        report.warnings, report.skipped = sourced.warnings, sourced.skipped
        report.stakeholders = sourced.stakeholders
        with timed(report.timings, "inference", step):
            closure = inference.Closure(inference.Axioms.of(ontology))
            links = (link for result in mapped for link in result.links)
            inferred = closure.add(links, stated=True)
            out.write(inference.nquads(inferred, iris.inferred_graph))
        with timed(report.timings, "loading", step):  # what the load has left to do
            out.write(_provenance_nquads(settings, iris, mapped, report.dataset, started))
            stack.close()  # the end of the file: waits until all of it is loaded
            report.inferred = len(inferred) + _apply_rules(staging, settings, iris, closure)
            staging.extend(history_quads(settings, iris, staging))  # for SPARQL: what changed
        with timed(report.timings, "validation", step):
            _validate(staging, settings, iris)
        with timed(report.timings, "search", step):  # issue 15: the index goes live with the graph
            search.index_staging(staging, store, _known(iris, mapped, closure))
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


def _known(iris: Iris, mapped: list[MappedSource], closure: inference.Closure) -> search.Known:
    """The closure's links, which are every IRI link of the mapped graphs and the inferred
    one; not of the provenance graph, where the build writes more (rows, evidence, history)."""
    graphs = {graph for result in mapped for graph in result.graphs} | {iris.inferred_graph}
    return search.Known(closure.added, closure.implied, frozenset(graphs - {iris.provenance_graph}))


def _checked_ontology(settings: Settings) -> rdflib.Graph:
    """The ontology with its imports, after its quality gates passed."""
    problems = ontology_checks.check_ontology(settings.ontology, reasoner=settings.build.reasoner)
    if problems:
        raise ValidationFailed(problems, stage="ontology")
    return load_ontology(settings.ontology / EDIT_FILE)


def _ontology_nquads(ontology: rdflib.Graph, iris: Iris) -> bytes:
    return _nquads(ontology_quads(ontology, iris.ontology_graph))


def _write(out: Feed, result: MappedSource) -> None:
    """A source's lines into the load, then out of memory (the text is never held twice)."""
    out.write("".join(result.lines).encode("utf-8"))
    result.lines.clear()


def _provenance_nquads(
    settings: Settings, iris: Iris, mapped: list[MappedSource], dataset: str, started: datetime
) -> bytes:
    sources = [SourceRecord(r.path, dataset, frozenset(r.graphs)) for r in mapped if r.path]
    build_id = started.strftime("%Y%m%dT%H%M%S")
    return _nquads(describe_build(iris, build_id, started, sources, __version__))


def _nquads(quads: Iterable[pyoxigraph.Quad]) -> bytes:
    return pyoxigraph.serialize(quads, format=RdfFormat.N_QUADS) or b""


def _apply_rules(
    staging: Staging, settings: Settings, iris: Iris, closure: inference.Closure
) -> int:
    """Run `ontology/rules/*.rq` on the loaded data and load what they add, closed too."""
    derived = inference.rule_links(staging, settings.ontology / "rules")
    if not derived:
        return 0
    added = closure.add(derived)
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

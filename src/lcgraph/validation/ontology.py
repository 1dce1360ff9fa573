"""The ontology's quality gates: it parses, imports resolve, QC finds nothing, HermiT agrees.

The ontology is read by `lcgraph.ontology.load` (the edit file, its imports through the
Protégé catalog). QC checks are `qc/*-violation.rq` SELECT queries: every result row is a
failure and names the offending term in its first column. Consistency is checked with HermiT through
owlready2, which needs Java; `reasoner=False` skips it.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from lcgraph.errors import Problem, ValidationFailed, relative
from lcgraph.iris import LC
from lcgraph.ontology.load import (
    CATALOG_FILE,
    EDIT_FILE,
    imports,
    load_ontology,
    ontology_quads,
    read_catalog,
    unresolved_import,
)
from lcgraph.ontology.parse import parse_turtle

QC_DIR = "qc"

__all__ = [
    "OntologyCheck",
    "ReasonerReport",
    "catalog_problems",
    "check_ontology",
    "inspect_ontology",
    "qc_problems",
    "run_reasoner",
]


def catalog_problems(ontology_dir: Path) -> list[Problem]:
    """Drift between the catalog and the imports: missing entries, stale entries, missing files."""
    edit = ontology_dir / EDIT_FILE
    catalog_path = ontology_dir / CATALOG_FILE
    imported = set(imports(parse_turtle(edit)))
    catalog = read_catalog(catalog_path)
    problems = [
        unresolved_import(edit, iri, catalog.get(iri))
        for iri in sorted(imported)
        if iri not in catalog or not catalog[iri].is_file()
    ]
    problems += [
        Problem(file=relative(catalog_path), value=iri, message="stale catalog entry: not imported")
        for iri in sorted(set(catalog) - imported)
    ]
    return problems


def check_ontology(ontology_dir: Path, reasoner: bool = True) -> list[Problem]:
    """Every problem of the ontology in `ontology_dir`; an empty list means it passes.

    Runs, in order: parsing (a syntax error stops here), the catalog drift check, the
    `qc/*-violation.rq` queries, and, if `reasoner`, the HermiT consistency check.
    """
    return inspect_ontology(ontology_dir, reasoner).problems


@dataclass(frozen=True)
class OntologyCheck:
    """What `check_ontology` looked at, so that a person can see it: the problems; each QC
    query (file stem, what it checks, rows found); HermiT's report (None: not run); and
    the size of what was checked (triples, classes, properties, import modules)."""

    problems: list[Problem]
    qc: list[tuple[str, str, int]] = field(default_factory=list)
    reasoner: ReasonerReport | None = None
    counts: dict[str, int] = field(default_factory=dict)


def inspect_ontology(ontology_dir: Path, reasoner: bool = True) -> OntologyCheck:
    """`check_ontology` with what it checked; a syntax error stops at parsing."""
    edit = ontology_dir / EDIT_FILE
    try:
        graph = load_ontology(edit)
    except ValidationFailed as failure:
        return OntologyCheck(list(failure.problems))
    problems = catalog_problems(ontology_dir)
    qc = []
    for check in sorted((ontology_dir / QC_DIR).glob("*-violation.rq")):
        found = qc_problems(graph, [check], edit)
        qc.append((check.stem, _description(check).split(". ", 1)[0], len(found)))
        problems += found
    report = run_reasoner(graph) if reasoner else None
    problems += report.problems(edit) if report else []
    return OntologyCheck(problems, qc, report, _counts(graph))


def _counts(graph: Graph) -> dict[str, int]:
    def typed(kind: URIRef) -> int:
        return sum(isinstance(s, URIRef) for s in set(graph.subjects(RDF.type, kind)))

    return {
        "triples": len(graph),
        "classes": typed(OWL.Class),
        "object properties": typed(OWL.ObjectProperty),
        "datatype properties": typed(OWL.DatatypeProperty),
        "import modules": len(imports(graph)),
    }


def qc_problems(graph: Graph, checks: list[Path], edit_file: Path) -> list[Problem]:
    """One Problem per result row of each QC query, located at the offending term's line."""
    store = ox.Store()
    store.bulk_extend(ontology_quads(graph, None))
    lines = _term_lines(edit_file)
    problems: list[Problem] = []
    for check in checks:
        description = _description(check)
        solutions = store.query(check.read_text(encoding="utf-8"))
        if not isinstance(solutions, ox.QuerySolutions):
            problems.append(
                Problem(file=relative(check), message="a QC check must be a SELECT query")
            )
            continue
        variables = [v.value for v in solutions.variables]
        for solution in solutions:
            values = [_show(solution[v]) for v in variables]
            term = values[0] if values else None
            problems.append(
                Problem(
                    file=relative(edit_file),
                    row=lines.get(term or ""),
                    field=check.stem,
                    value=term,
                    message=" ".join([description, *(v for v in values[1:] if v)]),
                )
            )
    return problems


@dataclass(frozen=True)
class ReasonerReport:
    """What HermiT said: consistent or not, the unsatisfiable classes, how long it took."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    def problems(self, edit_file: Path) -> list[Problem]:
        """The report as Problems located at the edit file; none when all is well."""
        where = relative(edit_file)
        if self.error is not None:
            return [
                Problem(file=where, field="reasoner", message=f"HermiT could not run: {self.error}")
            ]
        if not self.consistent:
            return [
                Problem(
                    file=where,
                    field="reasoner",
                    message=(
                        "HermiT: the ontology is inconsistent (it has no model); look for an"
                        " individual in disjoint classes or axioms that contradict each other"
                    ),
                )
            ]
        return [
            Problem(
                file=where,
                field="reasoner",
                value=_curie(iri),
                message="HermiT: unsatisfiable class (equivalent to owl:Nothing)",
            )
            for iri in self.unsatisfiable
        ]


def run_reasoner(graph: Graph) -> ReasonerReport:
    """Classify `graph` with HermiT (owlready2, Java) in a fresh World; never touches the web.

    owlready2 does not read Turtle, so the graph goes over as N-Triples, without its
    owl:imports (already merged in `graph`). HermiT refuses datatypes outside the OWL 2
    datatype map (xsd:gYear, say), which keeps the ontology inside OWL 2 DL.
    """
    # Imported here: owlready2 is slow to import and only this check needs it.
    import owlready2

    world = owlready2.World()
    data = graph.serialize(format="nt", encoding="utf-8")
    kept = b"\n".join(line for line in data.splitlines() if f"<{OWL.imports}>".encode() not in line)
    with tempfile.NamedTemporaryFile(suffix=".nt") as source:
        source.write(kept)
        source.flush()
        world.get_ontology(f"file://{source.name}").load(format="ntriples")
    started = time.perf_counter()
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return ReasonerReport(consistent=False, seconds=time.perf_counter() - started)
    except (owlready2.OwlReadyJavaError, OSError) as error:
        return ReasonerReport(
            consistent=False, error=_first_line(str(error)), seconds=time.perf_counter() - started
        )
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))
    return ReasonerReport(True, unsatisfiable, time.perf_counter() - started)


def _description(check: Path) -> str:
    """The leading `#` comment of a QC query: what it checks, shown with each failure."""
    lines = check.read_text(encoding="utf-8").splitlines()
    comment = []
    for line in lines:
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("# ").strip())
    return " ".join(c for c in comment if c) or check.stem


def _term_lines(edit_file: Path) -> dict[str, int]:
    """CURIE → the line where the edit file starts describing it (normalized layout)."""
    found: dict[str, int] = {}
    for number, line in enumerate(edit_file.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.match(r"^(lc:[A-Za-z0-9_-]+|<[^>]+>)\s", line)
        if match:
            found.setdefault(_curie(match.group(1).strip("<>")), number)
    return found


def _show(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _curie(term.value)
    return str(term.value) if isinstance(term, ox.Literal) else str(term)


def _curie(iri: str) -> str:
    return "lc:" + iri[len(LC) :] if iri.startswith(LC) else iri


def _first_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0] if lines else text

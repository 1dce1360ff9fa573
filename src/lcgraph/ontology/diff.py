"""What changed between two versions of an ontology file, term by term.

A term is a named subject: the ontology header, a class, a property, a SKOS concept or
another named thing. It is added or removed when it is a subject in only one version, and
changed when it is a subject in both with different triples; a change names the
predicates whose values differ. Restrictions and unions hanging off a term compare by
their canonical text (normalize.TurtleWriter), so blank-node ids never show up as a
change. Anonymous axioms (owl:AllDisjointClasses...) are listed as added or removed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from lcgraph.ontology.normalize import TurtleWriter
from lcgraph.ontology.parse import parse_turtle

#: Section headings in the order they are rendered, and the types that put a term in each.
KINDS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("ontology", (OWL.Ontology,)),
    ("classes", (OWL.Class, RDFS.Class)),
    (
        "properties",
        (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property),
    ),
    ("concepts", (SKOS.Concept, SKOS.ConceptScheme)),
    ("other terms", ()),
)

Description = dict[str, frozenset[str]]


@dataclass(frozen=True)
class TermChange:
    """One term that was added, removed or changed; `predicates` lists what changed."""

    kind: str
    term: str
    change: str
    predicates: tuple[str, ...] = ()


@dataclass(frozen=True)
class OntologyDiff:
    """The differences between two ontology files, grouped by kind of term."""

    changes: list[TermChange] = field(default_factory=list)
    axioms_added: list[str] = field(default_factory=list)
    axioms_removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes or self.axioms_added or self.axioms_removed)

    def of(self, change: str, kind: str | None = None) -> list[str]:
        """The terms with this change ("added", "removed", "changed"), optionally of one kind."""
        return [c.term for c in self.changes if c.change == change and kind in (None, c.kind)]

    def render(self) -> str:
        """Plain text for the CLI: `+` added, `-` removed, `~` changed (with predicates)."""
        if not self:
            return "no differences"
        lines: list[str] = []
        for kind, _ in KINDS:
            entries = [c for c in self.changes if c.kind == kind]
            if entries:
                lines.append(kind)
                lines += [_line(c) for c in entries]
        if self.axioms_added or self.axioms_removed:
            lines.append("axioms")
            lines += [f"  + {a}" for a in self.axioms_added]
            lines += [f"  - {a}" for a in self.axioms_removed]
        return "\n".join(lines)


def diff(old: Path, new: Path) -> OntologyDiff:
    """Compare two Turtle ontology files; raises ValidationFailed if either does not parse."""
    old_graph, new_graph = parse_turtle(old), parse_turtle(new)
    old_writer, new_writer = TurtleWriter(old_graph), TurtleWriter(new_graph)
    before, after = _descriptions(old_writer), _descriptions(new_writer)
    changes = []
    for term in sorted(set(before) | set(after)):
        graph, writer = (new_graph, new_writer) if term in after else (old_graph, old_writer)
        kind = _kind(graph, term)
        name = writer.iri(term)
        if term not in before:
            changes.append(TermChange(kind, name, "added"))
        elif term not in after:
            changes.append(TermChange(kind, name, "removed"))
        elif before[term] != after[term]:
            changes.append(
                TermChange(kind, name, "changed", _changed(before[term], after[term], writer))
            )
    order = {kind: i for i, (kind, _) in enumerate(KINDS)}
    changes.sort(key=lambda c: (order[c.kind], c.term))
    old_axioms, new_axioms = _axioms(old_writer), _axioms(new_writer)
    return OntologyDiff(changes, sorted(new_axioms - old_axioms), sorted(old_axioms - new_axioms))


def _descriptions(writer: TurtleWriter) -> dict[URIRef, Description]:
    """Named subject → predicate IRI → canonical texts of its objects."""
    found: dict[URIRef, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in writer.graph:
        if isinstance(s, URIRef):
            found[s][str(p)].add(writer.term(o, ""))
    return {s: {p: frozenset(v) for p, v in preds.items()} for s, preds in found.items()}


def _changed(before: Description, after: Description, writer: TurtleWriter) -> tuple[str, ...]:
    predicates = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    return tuple(sorted(writer.iri(URIRef(p)) for p in predicates))


def _kind(graph: Graph, term: Node) -> str:
    types = set(graph.objects(term, RDF.type))
    for kind, marks in KINDS:
        if types & set(marks):
            return kind
    return "other terms"


def _axioms(writer: TurtleWriter) -> set[str]:
    return {re.sub(r"\s+", " ", writer.term(node, "")) for node in writer.axioms()}


def _line(change: TermChange) -> str:
    mark = {"added": "+", "removed": "-", "changed": "~"}[change.change]
    detail = f" ({', '.join(change.predicates)})" if change.predicates else ""
    return f"  {mark} {change.term}{detail}"

"""Rewrite a Turtle ontology in one deterministic order, so that diffs show real changes.

Protégé and rdflib both write triples in an order that changes from save to save. The
order written here depends only on the triples and the declared prefixes:

* `@prefix` lines sorted by prefix;
* the ontology header (subjects typed owl:Ontology) first, then subjects grouped by kind
  (classes, object properties, datatype properties, annotation properties, individuals,
  other named subjects, then anonymous axioms such as owl:AllDisjointClasses), each group
  sorted by IRI;
* predicates: rdf:type, labels, definitions, comments, then the rest sorted by IRI;
* objects sorted (IRIs, then literals by language and text, then blank nodes);
* blank nodes used once are written inline (`[ ... ]`), RDF lists as `( ... )`.

Terms are written with rdflib's `.n3()`; IRIs use a declared prefix when the local name is
a plain name (letters, digits, `_`, `-`), else the full `<IRI>`. A blank node used as the
object of two triples cannot be written inline and raises OntologyError.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from lcgraph.errors import OntologyError, relative
from lcgraph.ontology.parse import parse_turtle

INDENT = "    "
MAX_LINE = 100
_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")

PREDICATE_ORDER: tuple[URIRef, ...] = (
    RDF.type,
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.definition,
    RDFS.comment,
)

#: Subject groups in the order they are written: (heading, the rdf:type that puts a subject in it).
KINDS: tuple[tuple[str, URIRef | None], ...] = (
    ("Ontology", OWL.Ontology),
    ("Classes", OWL.Class),
    ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
    ("Annotation properties", OWL.AnnotationProperty),
    ("Individuals", OWL.NamedIndividual),
    ("Other subjects", None),
)


def normalize(path: Path) -> bool:
    """Rewrite the Turtle file `path` in canonical order; return whether its text changed.

    The file is written only when the new text differs and parses back to an isomorphic
    graph; otherwise it is left untouched. Raises ValidationFailed on a syntax error and
    OntologyError when the graph cannot be written inline (a shared blank node).
    """
    graph = parse_turtle(path)
    text = render(graph)
    _check_round_trip(graph, text, path)
    old = path.read_text(encoding="utf-8")
    if old == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def render(graph: Graph) -> str:
    """The canonical Turtle text of `graph`, using the prefixes bound in it."""
    return TurtleWriter(graph).document()


def _check_round_trip(graph: Graph, text: str, path: Path) -> None:
    """Refuse to write text that does not parse back to the same triples."""
    again = Graph(bind_namespaces="none")
    again.parse(data=text, format="turtle")
    if not isomorphic(graph, again):
        raise OntologyError(f"{relative(path)}: normalising would change the triples; not written")


@dataclass(frozen=True)
class _Prefix:
    name: str
    namespace: str


class TurtleWriter:
    """Writes one graph canonically; holds the prefix table and the blank-node bookkeeping.

    `document()` is the whole file; `term()` one term, which diff.py uses to compare
    blank-node descriptions (restrictions, unions) by their canonical text.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.prefixes = sorted(
            (_Prefix(name, str(ns)) for name, ns in graph.namespaces()), key=lambda p: p.name
        )
        self.uses = _blank_node_uses(graph)

    def document(self) -> str:
        sections = ["\n".join(f"@prefix {p.name}: <{p.namespace}> ." for p in self.prefixes)]
        for heading, subjects in self._groups():
            blocks = [self._subject_block(s) for s in subjects]
            sections.append("\n\n".join([f"# {heading}", *blocks]))
        return "\n\n".join(s for s in sections if s) + "\n"

    def _groups(self) -> Iterable[tuple[str, Sequence[Node]]]:
        """Subjects grouped by kind (first matching kind wins), each group sorted."""
        named = sorted({s for s in self.graph.subjects() if isinstance(s, URIRef)})
        placed: set[Node] = set()
        for heading, kind in KINDS:
            members = [s for s in named if s not in placed and (kind is None or self._is(s, kind))]
            placed.update(members)
            if members:
                yield heading, members
        roots = self.axioms()
        if roots:
            yield "Axioms", sorted(roots, key=lambda b: self._bnode(b, ""))

    def _is(self, subject: Node, kind: URIRef) -> bool:
        if (subject, RDF.type, kind) in self.graph:
            return True
        return (
            kind == OWL.ObjectProperty
            and any(
                (subject, RDF.type, t) in self.graph
                for t in (OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty)
            )
            and (subject, RDF.type, OWL.DatatypeProperty) not in self.graph
        )

    def _subject_block(self, subject: Node) -> str:
        head = "[]" if isinstance(subject, BNode) else self.term(subject, "")
        body = self._predicate_lines(subject, INDENT)
        if isinstance(subject, BNode):
            return "[\n" + " ;\n".join(INDENT + line for line in body) + "\n] ."
        first, *rest = body
        return " ;\n".join([f"{head} {first}", *(INDENT + line for line in rest)]) + " ."

    def _predicate_lines(self, subject: Node, indent: str) -> list[str]:
        lines = []
        for predicate in _ordered_predicates(self.graph.predicates(subject, None, unique=True)):
            name = "a" if predicate == RDF.type else self.term(predicate, indent)
            objects = self._objects(subject, predicate, indent + INDENT)
            lines.append(f"{name} {self._join(objects, indent + INDENT)}")
        return lines

    def _objects(self, subject: Node, predicate: Node, indent: str) -> list[str]:
        objects = list(self.graph.objects(subject, predicate))
        return [self.term(o, indent) for o in sorted(objects, key=self._object_key)]

    def _object_key(self, node: Node) -> tuple[int, str, str, str]:
        if isinstance(node, URIRef):
            return (0, str(node), "", "")
        if isinstance(node, Literal):
            return (1, node.language or "", str(node.datatype or ""), str(node))
        return (2, self._bnode(node, ""), "", "")

    @staticmethod
    def _join(objects: list[str], indent: str) -> str:
        one_line = ", ".join(objects)
        if len(one_line) <= MAX_LINE and "\n" not in one_line:
            return one_line
        return (",\n" + indent).join(objects)

    def term(self, node: Node, indent: str) -> str:
        """Turtle syntax of one term; blank nodes inline, indented to `indent`."""
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return self._literal(node)
        return self._bnode(node, indent)

    def axioms(self) -> list[Node]:
        """Blank nodes that are subjects but nobody's object (owl:AllDisjointClasses...)."""
        subjects = set(self.graph.subjects())
        return [s for s in subjects if isinstance(s, BNode) and not self.uses[s]]

    def iri(self, iri: URIRef) -> str:
        """`prefix:local` when a declared prefix fits and the local name is plain, else `<IRI>`."""
        matches = [
            p
            for p in self.prefixes
            if iri.startswith(p.namespace) and _LOCAL_NAME.match(iri[len(p.namespace) :])
        ]
        if not matches:
            return iri.n3()
        best = max(matches, key=lambda p: (len(p.namespace), [-ord(c) for c in p.name]))
        return f"{best.name}:{iri[len(best.namespace) :]}"

    def _literal(self, literal: Literal) -> str:
        if literal.datatype is None:
            return literal.n3()
        datatype = self.iri(URIRef(literal.datatype))
        lexical = Literal(str(literal)).n3()
        return f"{lexical}^^{datatype}"

    def _bnode(self, node: Node, indent: str) -> str:
        if self.uses.get(node, 0) > 1:
            raise OntologyError(
                f"blank node {node.n3()} is used {self.uses[node]} times; cannot inline"
            )
        items = _list_items(self.graph, node, self.uses)
        if items is not None:
            return "( " + " ".join(self.term(i, indent) for i in items) + " )"
        body = self._predicate_lines(node, indent + INDENT)
        inner = (" ;\n" + indent + INDENT).join(body)
        return f"[\n{indent}{INDENT}{inner}\n{indent}]"


def _ordered_predicates(predicates: Iterable[Node]) -> list[Node]:
    """rdf:type, labels, definitions, comments first, then the rest by IRI."""

    def key(p: Node) -> tuple[int, str]:
        rank = PREDICATE_ORDER.index(p) if p in PREDICATE_ORDER else len(PREDICATE_ORDER)
        return (rank, str(p))

    return sorted(set(predicates), key=key)


def _blank_node_uses(graph: Graph) -> dict[Node, int]:
    """How often each blank node is the object of a triple (0 for an axiom root)."""
    uses: dict[Node, int] = {}
    for s, _, o in graph:
        if isinstance(s, BNode):
            uses.setdefault(s, 0)
        if isinstance(o, BNode):
            uses[o] = uses.get(o, 0) + 1
    return uses


def _list_items(graph: Graph, node: Node, uses: dict[Node, int]) -> list[Node] | None:
    """The members of a well-formed RDF list starting at `node`, or None if it is not one."""
    items: list[Node] = []
    seen: set[Node] = set()
    while node != RDF.nil:
        if not isinstance(node, BNode) or node in seen or (items and uses.get(node) != 1):
            return None
        if set(graph.predicates(node, None)) != {RDF.first, RDF.rest}:
            return None
        firsts, rests = list(graph.objects(node, RDF.first)), list(graph.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            return None
        seen.add(node)
        items.append(firsts[0])
        node = rests[0]
    return items

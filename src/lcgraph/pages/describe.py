"""What the graph says about one resource: its statements, their graphs, and who links to it.

Read straight from the live Oxigraph database by quad pattern (no SPARQL parsing), so a page
costs a few index lookups. A description holds every graph a statement occurs in, which is
what tells a page "stated" from "inferred"; its `triples()` are the RDF twins' content: the
resource's own statements plus those of the blank nodes they reach (a concise bounded
description, so `owl:unionOf` lists of a domain come along).

Incoming links are read up to `MAX_INCOMING` quads: a hub (a class with 180,000 instances)
took 2.8 s and a few hundred MB per page variant when all were read, and a crawler following
its 3,600 page links would pay that on each. Past the cut a page says so and links to the
SPARQL query for all of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, Triple

from lcgraph.iris import W3C_PREFIXES
from lcgraph.store import Reader

Subject = NamedNode | BlankNode
Term = NamedNode | BlankNode | Literal
RDF = W3C_PREFIXES["rdf"]
RDFS = W3C_PREFIXES["rdfs"]
SKOS = W3C_PREFIXES["skos"]
LABEL_PREDICATES = tuple(
    NamedNode(p)
    for p in (
        SKOS + "prefLabel",
        RDFS + "label",
        W3C_PREFIXES["dct"] + "title",
        W3C_PREFIXES["foaf"] + "name",
    )
)
DEFINITION_PREDICATES = tuple(
    NamedNode(p)
    for p in (SKOS + "definition", RDFS + "comment", W3C_PREFIXES["dct"] + "description")
)
# the change history's activities (releases.history_graph) name every resource as their
# object: links of the history, not of the resource, so its page does not list them
AS_OBJECT = NamedNode("https://www.w3.org/ns/activitystreams#object")
MAX_BLANK_DEPTH = 8
MAX_INCOMING = 5_000  # incoming quads read for a page: 100 pages of 50


@dataclass(frozen=True)
class Statement:
    """`subject predicate object`, with every named graph that holds it (sorted)."""

    subject: Subject
    predicate: NamedNode
    object: Term
    graphs: tuple[str, ...]


@dataclass
class Description:
    """One resource: its statements, the blank nodes they reach, and incoming links."""

    iri: str
    statements: list[Statement]
    blank_nodes: dict[BlankNode, list[Statement]] = field(default_factory=dict)
    incoming: list[Statement] = field(default_factory=list)
    incoming_cut: bool = False  # more incoming links exist than `incoming` holds

    def triples(self) -> list[Triple]:
        """The RDF twin: own statements and reachable blank nodes, each triple once."""
        seen: dict[Triple, None] = {}
        for statement in self.statements + [s for b in self.blank_nodes.values() for s in b]:
            seen.setdefault(Triple(statement.subject, statement.predicate, statement.object))
        return list(seen)

    def values(self, predicate: str) -> list[Term]:
        return [s.object for s in self.statements if s.predicate.value == predicate]


def select(store: Reader, query: str, **options: object) -> list[list[str]]:
    """The string values of a SELECT's rows (unbound: ""), over the union of the graphs."""
    result = store.query(query, use_default_graph_as_union=True, **options)  # type: ignore[arg-type]
    if not isinstance(result, QuerySolutions):
        raise TypeError(f"not a SELECT query: {query}")
    return [[term.value if term is not None else "" for term in row] for row in result]


def exists(store: Reader, iri: str) -> bool:
    """True when `iri` occurs as a subject or an object anywhere in the store."""
    node = NamedNode(iri)
    return any(True for _ in store.quads_for_pattern(node, None, None, None)) or any(
        True for _ in store.quads_for_pattern(None, None, node, None)
    )


def describe(store: Reader, iri: str, max_incoming: int | None = None) -> Description | None:
    """The description of `iri`, or None when the store does not mention it; at most
    `max_incoming` (default MAX_INCOMING; 0 for none, as the RDF twins need) incoming quads."""
    node = NamedNode(iri)
    limit = MAX_INCOMING if max_incoming is None else max_incoming
    statements = _merge(store.quads_for_pattern(node, None, None, None))
    linked = (
        q for q in store.quads_for_pattern(None, None, node, None) if q.predicate != AS_OBJECT
    )
    quads = list(islice(linked, limit + 1))
    if not statements and not quads:
        return None
    incoming = _merge(quads[:limit])
    blank_nodes = _blank_closure(store, statements)
    return Description(iri, statements, blank_nodes, incoming, len(quads) > limit)


def _merge(quads: Iterable[Quad]) -> list[Statement]:
    """Quads → statements, one per triple, with their graphs; in a stable order."""
    graphs: dict[Triple, set[str]] = defaultdict(set)
    for quad in quads:
        name = quad.graph_name
        graphs[quad.triple].add(name.value if isinstance(name, NamedNode) else "")
    statements = [
        Statement(t.subject, t.predicate, t.object, tuple(sorted(g)))  # type: ignore[arg-type]
        for t, g in graphs.items()
    ]
    return sorted(statements, key=_order)


def _order(statement: Statement) -> tuple[str, str, str]:
    return (statement.predicate.value, str(statement.subject), str(statement.object))


def _blank_closure(store: Reader, statements: list[Statement]) -> dict[BlankNode, list[Statement]]:
    closure: dict[BlankNode, list[Statement]] = {}
    todo = [(s.object, 0) for s in statements if isinstance(s.object, BlankNode)]
    while todo:
        node, depth = todo.pop()
        if node in closure or depth > MAX_BLANK_DEPTH or not isinstance(node, BlankNode):
            continue
        closure[node] = _merge(store.quads_for_pattern(node, None, None, None))
        todo.extend((s.object, depth + 1) for s in closure[node] if isinstance(s.object, BlankNode))
    return closure


def rdf_list(description: Description, head: Term) -> list[Term] | None:
    """The members of an RDF collection that starts at blank node `head`, or None."""
    members: list[Term] = []
    while isinstance(head, BlankNode) and head in description.blank_nodes:
        by_predicate = {s.predicate.value: s.object for s in description.blank_nodes[head]}
        if RDF + "first" not in by_predicate:
            return None
        members.append(by_predicate[RDF + "first"])
        head = by_predicate.get(RDF + "rest", NamedNode(RDF + "nil"))
    return members if head == NamedNode(RDF + "nil") else None


def texts(
    store: Reader, iris: Iterable[str], predicates: tuple[NamedNode, ...]
) -> dict[str, dict[str, str]]:
    """IRI → language → text, from the first of `predicates` that has any (language "" = none)."""
    found: dict[str, dict[str, str]] = {}
    for iri in dict.fromkeys(iris):
        node = NamedNode(iri)
        for predicate in predicates:
            values = {
                q.object.language or "": q.object.value
                for q in store.quads_for_pattern(node, predicate, None, None)
                if isinstance(q.object, Literal)
            }
            if values:
                found[iri] = values
                break
    return found


def pick(values: dict[str, str] | None, lang: str) -> str | None:
    """The text in `lang`, else English, Dutch, no language, or any."""
    if not values:
        return None
    for choice in (lang, "en", "nl", ""):
        if choice in values:
            return values[choice]
    return next(iter(values.values()))

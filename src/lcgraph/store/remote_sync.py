"""The one SPARQL Update request that makes a remote build live (`lcgraph.store.remote`),
and what it is made from: the staged graphs' names and digests, the meta graph's statements.

Per built graph: `MOVE` its first chunk graph onto the live graph (MOVE drops the target
first), `ADD` the other chunk graphs and drop them. Then drop the graphs the previous build
owned that this one did not build, and rewrite the meta graph. Sent as a single request, so
a server that runs an update request as one transaction switches everything at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pyoxigraph import DefaultGraph, Literal, NamedNode, RdfFormat

from lcgraph.iris import W3C_PREFIXES
from lcgraph.store.embedded import EmbeddedStaging
from lcgraph.store.sparql_text import drop_silent

DCT = W3C_PREFIXES["dct"]

DEFAULT = "DEFAULT"  # the default graph's key among graph names


@dataclass
class GraphPlan:
    """One live graph of the new build: kept as it is, or replaced from its chunk graphs."""

    graph: str
    keep: bool = False
    chunks: list[str] = field(default_factory=list)


def _target(graph: str) -> str:
    return DEFAULT if graph == DEFAULT else str(NamedNode(graph))


def _drop(graph: str) -> str:
    return drop_silent(None if graph == DEFAULT else graph)


def _replace(plan: GraphPlan) -> list[str]:
    if plan.keep:
        return []
    if not plan.chunks:
        return [_drop(plan.graph)]
    first, *rest = (str(NamedNode(chunk)) for chunk in plan.chunks)
    target = _target(plan.graph)
    operations = [f"MOVE {first} TO {target}"]
    for chunk in rest:
        operations += [f"ADD {chunk} TO {target}", f"DROP SILENT GRAPH {chunk}"]
    return operations


def switch_update(
    plans: list[GraphPlan],
    previous: Iterable[str],
    meta_graph: str,
    meta: list[tuple[str, Literal]],
) -> str:
    """The update text: replace every planned graph, drop orphans, rewrite `meta_graph`."""
    built = {plan.graph for plan in plans}
    operations = [op for plan in plans for op in _replace(plan)]
    operations += [_drop(graph) for graph in previous if graph not in built]
    node = NamedNode(meta_graph)
    statements = " ".join(f"{node} {NamedNode(p)} {value} ." for p, value in meta)
    operations += [_drop(meta_graph), f"INSERT DATA {{ GRAPH {node} {{ {statements} }} }}"]
    return " ;\n".join(operations)


def graph_names(staging: EmbeddedStaging) -> list[str]:
    names = sorted(str(g.value) for g in staging.store.named_graphs() if isinstance(g, NamedNode))
    has_default = (
        next(iter(staging.store.quads_for_pattern(None, None, None, DefaultGraph())), None)
        is not None
    )
    return [DEFAULT, *names] if has_default else names


def graph_term(graph: str) -> NamedNode | DefaultGraph:
    return DefaultGraph() if graph == DEFAULT else NamedNode(graph)


def graph_triples(staging: EmbeddedStaging, graph: str) -> Iterator[Any]:
    for quad in staging.store.quads_for_pattern(None, None, None, graph_term(graph)):
        yield quad.triple


def graph_digest(staging: EmbeddedStaging, graph: str) -> str:
    """A digest of one graph's content, to tell which graphs a from_live stage changed."""
    data = staging.store.dump(format=RdfFormat.N_TRIPLES, from_graph=graph_term(graph))
    return hashlib.sha256(data or b"").hexdigest()


def meta_triples(meta: dict[str, Any]) -> list[tuple[str, Literal]]:
    """The meta graph's statements about itself: revision, time, and the meta as JSON."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return [
        (DCT + "identifier", Literal(str(meta["revision"]))),
        (DCT + "modified", Literal(now, datatype=NamedNode(W3C_PREFIXES["xsd"] + "dateTime"))),
        (
            W3C_PREFIXES["rdf"] + "value",
            Literal(
                json.dumps(meta, sort_keys=True, default=str),
                datatype=NamedNode(W3C_PREFIXES["rdf"] + "JSON"),
            ),
        ),
    ]

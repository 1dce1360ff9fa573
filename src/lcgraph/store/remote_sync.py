"""The one SPARQL Update request that makes a remote build live (`lcgraph.store.remote`).

Per built graph: `MOVE` its first chunk graph onto the live graph (MOVE drops the target
first), `ADD` the other chunk graphs and drop them. Then drop the graphs the previous build
owned that this one did not build, and rewrite the meta graph. Sent as a single request, so
a server that runs an update request as one transaction switches everything at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from lcgraph.store.sparql_text import drop_silent

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

"""Upload a build's graphs to a remote store in chunks, each idempotent and retried on failure.

Every request of the Graph Store Protocol reads its blank nodes afresh, so a blank node
split over two requests would become two nodes. `chunks()` therefore keeps each connected
group of blank-node triples in one chunk. Each chunk is PUT into a graph of its own, so a
retried request replaces what a half-failed one may have written instead of adding to it;
the switch then gathers the chunk graphs into the live graph (`lcgraph.store.remote`).
`upload_graphs` sends the graphs that changed and returns the switch's plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pyoxigraph import BlankNode, RdfFormat, Triple, serialize

from lcgraph.store.embedded import EmbeddedStaging
from lcgraph.store.remote_protocol import SparqlClient, TransientError
from lcgraph.store.remote_sync import GraphPlan, graph_digest, graph_names, graph_triples

BACKOFF_S = 0.5  # first wait before a retry; doubles each time


@dataclass(frozen=True)
class UploadProgress:
    """One chunk sent: what the progress callback receives after every request."""

    graph: str
    chunk: int
    triples: int
    sent: int
    total: int
    attempts: int


Progress = Callable[[UploadProgress], None]


def chunks(triples: Iterable[Triple], size: int) -> Iterator[list[Triple]]:
    """`triples` in lists of at most `size`; triples that share blank nodes stay together.

    A group of triples linked by blank nodes bigger than `size` goes as one larger chunk.
    Triples without blank nodes stream through; blank-node groups are held until the end.
    """
    current: list[Triple] = []
    linked = _BlankGroups()
    for triple in triples:
        if isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode):
            linked.add(triple)
            continue
        current.append(triple)
        if len(current) >= size:
            yield current
            current = []
    for group in linked.groups():
        if current and len(current) + len(group) > size:
            yield current
            current = []
        current.extend(group)
    if current:
        yield current


class _BlankGroups:
    """Union-find over blank nodes: triples that share a blank node, directly or not."""

    def __init__(self) -> None:
        self._parent: dict[BlankNode, BlankNode] = {}
        self._triples: list[tuple[BlankNode, Triple]] = []

    def _root(self, node: BlankNode) -> BlankNode:
        parent = self._parent.setdefault(node, node)
        while parent != node:
            self._parent[node] = self._parent[parent]
            node, parent = parent, self._parent[parent]
        return node

    def add(self, triple: Triple) -> None:
        nodes = [t for t in (triple.subject, triple.object) if isinstance(t, BlankNode)]
        first = self._root(nodes[0])
        for other in nodes[1:]:
            self._parent[self._root(other)] = first
        self._triples.append((nodes[0], triple))

    def groups(self) -> list[list[Triple]]:
        grouped: dict[BlankNode, list[Triple]] = {}
        for node, triple in self._triples:
            grouped.setdefault(self._root(node), []).append(triple)
        return list(grouped.values())


def put_chunk(client: SparqlClient, graph: str, triples: list[Triple], retries: int) -> int:
    """PUT `triples` as the whole of `graph`, retrying transient failures with backoff.

    Returns the number of attempts. PUT replaces the graph, so a retry never duplicates.
    Raises the last TransientError after `retries` retries; other errors at once.
    """
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    for attempt in range(retries):
        try:
            client.put_graph(graph, data)
            return attempt + 1
        except TransientError:
            time.sleep(BACKOFF_S * 2**attempt)
    client.put_graph(graph, data)
    return retries + 1


def upload_graphs(
    client: SparqlClient,
    staging: EmbeddedStaging,
    prefix: str,
    unchanged: dict[str, str],
    created: list[str],
    *,
    chunk_triples: int,
    retries: int,
    progress: Progress,
) -> list[GraphPlan]:
    """Put every graph of `staging` that changed into chunk graphs under `prefix`: the plan
    of the switch (`remote_sync.switch_update`).

    `unchanged`: graph -> its digest as downloaded; a graph still so stays as it is live.
    `created` gets each chunk graph's name before it is sent, for the cleanup of a failure.
    """
    total, sent = len(staging.store), 0
    plans: list[GraphPlan] = []
    for index, graph in enumerate(graph_names(staging)):
        if graph in unchanged and unchanged[graph] == graph_digest(staging, graph):
            plans.append(GraphPlan(graph, keep=True))
            continue
        plan = GraphPlan(graph)
        for number, chunk in enumerate(chunks(graph_triples(staging, graph), chunk_triples)):
            target = f"{prefix}/{index}/{number}"
            created.append(target)
            attempts = put_chunk(client, target, chunk, retries)
            plan.chunks.append(target)
            sent += len(chunk)
            progress(UploadProgress(graph, number + 1, len(chunk), sent, total, attempts))
        plans.append(plan)
    return plans

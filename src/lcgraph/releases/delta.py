"""What changed between two graphs: quads added and removed per named graph, and per resource
whether it was created, changed or removed (issue 17).

Both sides are N-Quads lines, as the release's `lcgraph.nq.gz` holds them or a store
serialises them, so a delta is two set differences over lines, cheaper than writing the dump
(`benchmarks/release.py`). Blank nodes are skolemised by content: each becomes
`{base}/.well-known/genid/{hash}` (RDF 1.1 §3.5), the hash taken over its own statements with
nested blank nodes replaced by theirs, so the `owl:unionOf` list of an unchanged domain is
the same node in both builds. Every other node of the graph is an IRI minted from the sources
(docs/model.md), so a delta is exactly what changed in the sources and what follows from it.

A resource is a subject with a page (`/id/…`, `/def/…`, the ontology's terms); statements in
the provenance graph (which names every build) do not make a resource change.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse

from lcgraph.iris import Iris
from lcgraph.pages.urls import Urls

ADDED, REMOVED, CHANGES = "delta-added.nq.gz", "delta-removed.nq.gz", "changes.json"
GENID = "/.well-known/genid/"


@dataclass
class Delta:
    """Lines added and removed (sorted), counts per named graph, resources by kind."""

    added: list[bytes]
    removed: list[bytes]
    graphs: dict[str, dict[str, int]] = field(default_factory=dict)  # graph -> added/removed
    resources: dict[str, list[str]] = field(default_factory=dict)  # created/changed/removed

    def summary(self) -> dict[str, Any]:
        """The JSON of `changes.json` and `lcgraph diff --format json` (without release ids)."""
        return {"graphs": self.graphs, "resources": self.resources}


def lines(nquads: bytes, iris: Iris) -> set[bytes]:
    """The lines of an N-Quads document, blank nodes skolemised by content."""
    every = set(nquads.splitlines())  # in C: a loop over a million lines costs a second
    every.discard(b"")
    special = _special(nquads)
    every.difference_update(special)
    return every | set(_skolemised([s for s in special if not s.startswith(b"#")], iris))


def _special(nquads: bytes) -> list[bytes]:
    """The lines with `_:` (a blank node, or those characters in a literal) or a comment,
    found by searching the text for them rather than testing every line."""
    found: dict[int, bytes] = {}
    for needle, skip in ((b"_:", 0), (b"\n#", 1)):
        at = nquads.find(needle)
        while at >= 0:
            start = nquads.rfind(b"\n", 0, at + skip) + 1
            end = nquads.find(b"\n", at + skip)
            end = len(nquads) if end < 0 else end
            found[start] = nquads[start:end]
            at = nquads.find(needle, end)
    if nquads.startswith(b"#"):
        found[0] = nquads.split(b"\n", 1)[0]
    return list(found.values())


def compare(old: set[bytes], new: set[bytes], iris: Iris) -> Delta:
    """The delta from `old` to `new` (sets of N-Quads lines, see `lines`)."""
    delta = Delta(sorted(new - old), sorted(old - new))
    touched: dict[str, set[str]] = {"added": set(), "removed": set()}
    provenance = iris.provenance_graph
    for kind, side in (("added", delta.added), ("removed", delta.removed)):
        for quad in _quads(side):
            graph = quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else ""
            counts = delta.graphs.setdefault(graph, {"added": 0, "removed": 0})
            counts[kind] += 1
            if graph != provenance and isinstance(quad.subject, NamedNode):
                touched[kind].add(quad.subject.value)
    delta.graphs = dict(sorted(delta.graphs.items()))
    delta.resources = _resources(old & new, touched, iris)
    return delta


def _resources(
    unchanged: set[bytes], touched: dict[str, set[str]], iris: Iris
) -> dict[str, list[str]]:
    """A touched resource had statements before when some were removed or some stayed,
    and has some after when some were added or some stayed: one scan of the lines that
    stayed, not one of each side."""
    urls, candidates = Urls(iris), touched["added"] | touched["removed"]
    paged = {iri for iri in candidates if urls.page_path(iri) is not None}
    stayed = _subjects(unchanged, iris, paged - (touched["added"] & touched["removed"]))
    before = (touched["removed"] & paged) | stayed
    after = (touched["added"] & paged) | stayed
    return {
        "created": sorted(after - before),
        "changed": sorted(before & after),
        "removed": sorted(before - after),
    }


def _subjects(side: set[bytes], iris: Iris, wanted: set[str]) -> set[str]:
    """Which of `wanted` are subjects of `side` outside the provenance graph."""
    if not wanted:
        return set()
    provenance = f" <{iris.provenance_graph}> .".encode()
    keys = {f"<{iri}>".encode() for iri in wanted}
    found = {line[: line.find(b">") + 1] for line in side if not line.endswith(provenance)}
    return {key[1:-1].decode() for key in found & keys}


def release_files(delta: Delta, header: dict[str, Any], with_quads: bool) -> dict[str, bytes]:
    """The delta's files in a release: `changes.json` (with `header`: release, previous,
    issued) and, when `with_quads`, the added and removed quads as gzipped N-Quads."""
    files = {CHANGES: (json.dumps({**header, **delta.summary()}, indent=1) + "\n").encode()}
    if with_quads:
        files[ADDED] = gzip.compress(b"".join(line + b"\n" for line in delta.added), mtime=0)
        files[REMOVED] = gzip.compress(b"".join(line + b"\n" for line in delta.removed), mtime=0)
    return files


def _quads(side: Iterable[bytes]) -> list[Quad]:
    data = b"".join(line + b"\n" for line in side)
    return list(parse(data, format=RdfFormat.N_QUADS)) if data else []


def _skolemised(blank: list[bytes], iris: Iris) -> list[bytes]:
    """Lines with blank nodes, each blank node replaced by its content's skolem IRI; a
    line whose `_:` is only inside a literal is kept as it is."""
    quads = list(zip(blank, _quads(blank), strict=True))
    statements: dict[str, list[Quad]] = {}
    for _, quad in quads:
        if isinstance(quad.subject, BlankNode):
            statements.setdefault(quad.subject.value, []).append(quad)
    names: dict[str, str] = {}

    def name(node: BlankNode, path: frozenset[str] = frozenset()) -> str:
        if node.value not in names:
            if node.value in path:  # a cycle: the node is described by its place in it
                return "cycle"
            parts = sorted(
                f"{q.predicate} {_key(q.object, name, path | {node.value})} {q.graph_name}"
                for q in statements.get(node.value, [])
            )
            digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
            names[node.value] = f"{iris.base}{GENID}{digest}"
        return names[node.value]

    out = []
    for line, quad in quads:
        terms = (quad.subject, quad.predicate, quad.object, quad.graph_name)
        if not any(isinstance(t, BlankNode) for t in terms):
            out.append(line)
            continue
        s, p, o, g = (NamedNode(name(t)) if isinstance(t, BlankNode) else t for t in terms)
        out.append(f"{Quad(s, p, o, g)} .".encode())  # type: ignore[arg-type]
    return out


def _key(term: object, name: Any, path: frozenset[str]) -> str:
    return f"<{name(term, path)}>" if isinstance(term, BlankNode) else str(term)

"""The release files: the whole graph as N-Quads (gzip) and JSON-LD, Turtle per named graph.

Files are produced from the live store by name (`release_files`), so the service can serve
`/dumps/{release}/{name}` and `lcgraph publish` can write the same bytes; output is
deterministic for one store revision (gzip without a timestamp), so checksums are stable.
The release name is `{version}-{revision}`: a new build is a new release; its date is the
build's (`release_date`).

Making a whole-graph file takes seconds and about 1 GB per million triples (every quad
sorted), so the service makes each file once per release on disk (`on_disk`) and serves it
from there.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from lcgraph import __version__, formats
from lcgraph.iris import Iris
from lcgraph.store import Reader

DUMPS = "dumps"


@dataclass(frozen=True)
class DumpFile:
    """One file of a release: its name under the release folder and how to make it."""

    name: str
    media_type: str
    title: str
    make: Callable[[], bytes]
    graph: str | None = None

    def path(self, release: str) -> str:
        return f"/{DUMPS}/{release}/{self.name}"


def release_name(revision: str) -> str:
    return f"{__version__}-{revision}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release_files(store: Reader, iris: Iris) -> list[DumpFile]:
    """The data files of a release, whole-graph files first, then one per named graph."""
    files = [
        DumpFile(
            "lcgraph.nq.gz",
            formats.BY_NAME["nquads"].media_type,
            "All named graphs (N-Quads, gzip)",
            lambda: _nquads_gz(store),
        ),
        DumpFile(
            "lcgraph.jsonld",
            formats.BY_NAME["jsonld"].media_type,
            "All named graphs (JSON-LD)",
            lambda: _dataset(store, RdfFormat.JSON_LD, iris),
        ),
    ]
    for graph in graph_names(store):
        files.append(
            DumpFile(
                f"graphs/{graph_file(graph, iris)}.ttl",
                formats.BY_NAME["turtle"].media_type,
                f"Named graph {graph} (Turtle)",
                _graph_maker(store, graph, iris),
                graph,
            )
        )
    return files


def graph_names(store: Reader) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, NamedNode))


def graph_file(graph: str, iris: Iris) -> str:
    """`{base}/graph/curated/provinces` → `curated-provinces`."""
    return graph.removeprefix(iris.graph_iri("")).replace("/", "-") or "default"


def _nquads_gz(store: Reader) -> bytes:
    data = serialize(_sorted_quads(store), format=RdfFormat.N_QUADS) or b""
    return gzip.compress(data, mtime=0)


def _sorted_quads(store: Reader) -> list[Quad]:
    return sorted(store.quads_for_pattern(None, None, None, None), key=str)


def _dataset(store: Reader, fmt: RdfFormat, iris: Iris) -> bytes:
    return serialize(_sorted_quads(store), format=fmt) or b""


def _graph_maker(store: Reader, graph: str, iris: Iris) -> Callable[[], bytes]:
    def make() -> bytes:
        triples = sorted(
            (q.triple for q in store.quads_for_pattern(None, None, None, NamedNode(graph))), key=str
        )
        return serialize(triples, format=RdfFormat.TURTLE, prefixes=iris.prefixes) or b""

    return make


def on_disk(file: DumpFile, releases: Path, release: str) -> Path:
    """`releases/{release}/{file.name}`, made by the first caller while the others wait (a
    lock file, so across the service's processes too); older releases are removed."""
    target = releases / release / file.name
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(releases / release / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.is_file():
            part = target.with_name(target.name + ".part")
            part.write_bytes(file.make())
            os.replace(part, target)
    for old in releases.iterdir():
        if old.name != release:
            shutil.rmtree(old, ignore_errors=True)  # no longer served: the route 404s
    return target


def checksums(files: dict[str, bytes]) -> bytes:
    """A `sha256sum -c` file for `files` (name → bytes)."""
    return "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(files.items())).encode()


def release_date(store: Reader, iris: Iris) -> str | None:
    """When the live graph was built: the latest `prov:endedAtTime` in its provenance graph
    (ISO 8601), None for a graph without one. A release's dates are this, never the clock."""
    ended = NamedNode("http://www.w3.org/ns/prov#endedAtTime")
    graph = NamedNode(iris.provenance_graph)
    times = [
        q.object.value
        for q in store.quads_for_pattern(None, ended, None, graph)
        if isinstance(q.object, Literal)
    ]
    return max(times, default=None)

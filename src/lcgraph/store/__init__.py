"""The store: one small interface, chosen by the `store` setting.

A folder path opens the embedded Oxigraph store (`store.embedded`); an `http(s)://` URL
opens a remote SPARQL 1.1 server (`store.remote`, issue #7). Both answer queries with
pyoxigraph result types, and both load a new graph through `stage()`: all-or-nothing,
readers see the old graph or the new one, never a mix.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    Variable,
)

if TYPE_CHECKING:
    from lcgraph.config import Settings
    from lcgraph.store.target import Target

QueryResult = QuerySolutions | QueryBoolean | QueryTriples
Term = NamedNode | BlankNode | Literal | Triple
GraphName = NamedNode | BlankNode | DefaultGraph


class Feed(Protocol):
    """What `Staging.loading` hands out: each write ends at a line's end."""

    def write(self, data: bytes) -> int: ...


class Staging(Protocol):
    """A store being built; becomes live only when its `stage()` block ends without error."""

    revision: str | None  # the revision it will have when live (names its search index)

    def load(
        self, data: bytes | Path, format: RdfFormat = RdfFormat.N_QUADS, graph: str | None = None
    ) -> None:
        """Bulk-load RDF (bytes, or a file for big loads); triple formats go into `graph`."""
        ...

    def loading(self) -> AbstractContextManager[Feed]:
        """Where to write N-Quads that load while more are written (the build streams in)."""
        ...

    def extend(self, quads: list[Quad]) -> None: ...

    def update(self, sparql: str, base_iri: str | None = None) -> None: ...

    def query(self, sparql: str, **options: Any) -> QueryResult: ...

    def set_meta(self, **meta: Any) -> None: ...


class Reader(Protocol):
    """The read methods of `pyoxigraph.Store` that readers (query workers, pages, dumps) use.

    The embedded store hands out a read-only `pyoxigraph.Store`; a remote store an adapter.
    """

    def query(
        self,
        /,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[NamedNode | BlankNode] | None = None,
        substitutions: dict[Variable, Term] | None = None,
    ) -> QueryResult: ...

    def quads_for_pattern(
        self,
        /,
        subject: NamedNode | BlankNode | Triple | None,
        predicate: NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[Quad]: ...

    def named_graphs(self, /) -> Iterator[NamedNode | BlankNode]: ...


class GraphStore(Protocol):
    """What the build, the CLI and the service need of a store."""

    location: str

    def revision(self) -> str | None:
        """An id of the live graph that changes on every build; None before the first."""
        ...

    def meta(self) -> dict[str, Any]:
        """What the build recorded about the live graph (counts, time, sources)."""
        ...

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[Any, Any] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        """Run a read query on the live graph; the default graph is the union of all graphs."""
        ...

    def reader(self) -> Reader:
        """Read access with pyoxigraph's `Store` methods, on the live graph."""
        ...

    def target(self) -> Target:
        """What queries of the live revision run against (`lcgraph.store.target`).

        Raises StoreError before the first build. Cheap: the service asks per request.
        """
        ...

    def releases_folder(self) -> Path:
        """Where files made from this store's graphs (release dumps) are kept."""
        ...

    def search_folder(self) -> Path:
        """Where the full-text indexes of this store's revisions are kept (`lcgraph.search`)."""
        ...

    def close(self) -> None:
        """Release what the store holds open (file handles, HTTP connections)."""
        ...

    def stage(self, from_live: bool = False) -> AbstractContextManager[Staging]:
        """A new graph, empty or a copy of the live one, made live when the block ends."""
        ...


def open_store(location: str, settings: Settings | None = None) -> GraphStore:
    """The store at `location`: a folder (embedded Oxigraph) or an http(s) URL (remote).

    A remote store takes its endpoint paths, credentials and time limit from `settings`
    (read from the environment when not given); see docs/remote-store.md.
    """
    if location.startswith(("http://", "https://")):
        from lcgraph.config import Settings
        from lcgraph.store.remote import RemoteStore

        return RemoteStore(location, settings if settings is not None else Settings(store=location))
    from lcgraph.store.embedded import EmbeddedStore

    return EmbeddedStore(location)

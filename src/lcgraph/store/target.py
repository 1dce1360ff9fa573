"""What a query of one revision runs against: the store's answer to "where do I read?".

A store hands out a target for its live revision (`GraphStore.target()`); the query
service keys its cache on `revision`, puts the target into each job, and a worker process
calls `open()` on its side of the process boundary. So a target is a small frozen
dataclass that pickles: where to read and how, plus what its reader supports. Nothing
above the store needs to know which kind of store it came from.

In the process that made it, a target keeps a reference to its store (not pickled), so
`open()` there reuses the store's own read handle instead of opening a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pyoxigraph import Store

from lcgraph.errors import StoreError

if TYPE_CHECKING:
    from lcgraph.config import Settings
    from lcgraph.store import Reader


class Target(Protocol):
    """One revision of a store, as a query sees it."""

    @property
    def revision(self) -> str:
        """The revision queries on this target answer for (what ETags and caches key on)."""
        ...

    # whether reads are index lookups in this process: a bounded query is then answered
    # here (`lcgraph.querying.inline`); a remote server answers those itself
    local: ClassVar[bool]
    # what the reader's `query` honours (it raises rather than ignore one it does not)
    union_default_graph: ClassVar[bool]
    base_iri: ClassVar[bool]
    substitutions: ClassVar[bool]
    # whether `open()` keeps reading this revision after another went live (a generation
    # folder), or reads whatever graph is live when it is read (a server)
    pinned: ClassVar[bool]

    def open(self) -> Reader:
        """A reader on this revision; raises StoreError when it cannot be opened."""
        ...


@dataclass(frozen=True)
class EmbeddedTarget:
    """A generation folder of the embedded store, opened read-only."""

    revision: str
    path: str
    store: Any = field(default=None, compare=False, repr=False)  # EmbeddedStore, not pickled
    local: ClassVar[bool] = True
    union_default_graph: ClassVar[bool] = True
    base_iri: ClassVar[bool] = True
    substitutions: ClassVar[bool] = True
    pinned: ClassVar[bool] = True

    def __reduce__(self) -> tuple[Any, ...]:
        return EmbeddedTarget, (self.revision, self.path)

    def open(self) -> Reader:
        if self.store is not None:
            reader: Reader = self.store.reader_at(self.revision)
            return reader
        try:
            return Store.read_only(self.path)
        except OSError as err:
            raise StoreError(f"{self.path}: cannot open the store: {err}") from err


@dataclass(frozen=True)
class RemoteTarget:
    """A SPARQL server; `settings` say how to reach it (endpoints, credentials, limit)."""

    revision: str
    location: str
    settings: Settings = field(repr=False)
    store: Any = field(default=None, compare=False, repr=False)  # RemoteStore, not pickled
    local: ClassVar[bool] = False
    union_default_graph: ClassVar[bool] = True
    base_iri: ClassVar[bool] = True
    substitutions: ClassVar[bool] = True
    pinned: ClassVar[bool] = False

    def __reduce__(self) -> tuple[Any, ...]:
        return RemoteTarget, (self.revision, self.location, self.settings)

    def open(self) -> Reader:
        if self.store is not None:
            reader: Reader = self.store.reader()
            return reader
        from lcgraph.store.remote import RemoteStore

        return RemoteStore(self.location, self.settings).reader()

"""Where each revision's index lives, how it is made, and the searcher of a revision.

    <store.search_folder()>/format-<F>/<revision>/

The store says where (`GraphStore.search_folder`): an embedded store beside its
generations, a remote store in var/search/<digest of the URL>/ on this machine. Search
never asks which kind of store it has: it reads a revision through the store's target.

F is `indexing.FORMAT`: after an upgrade that changed the index, the live revision's index
is made again on its first search (as for a revision without one), never misread.

An index is named by the revision of the graph it was built from, so whoever reads graph
revision R searches index R: never graph A with index B. The build writes it after
validation and before the switch (`index_staging`), so it is there when R goes live, and a
failed build leaves the old one. A revision without one (a write that copied the live
graph, a remote store built elsewhere) gets it on its first search, from the store itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lcgraph.errors import StoreError
from lcgraph.lru import LRU
from lcgraph.search import indexing, reading
from lcgraph.search.searching import Searcher
from lcgraph.steps import without_cycle_collection
from lcgraph.store import GraphStore, Staging

KEEP_INDEXES = 4  # like the store's generations: the live one and those readers may hold
CACHED_SEARCHERS = 4
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_cache: LRU[tuple[str, str], Searcher] = LRU(CACHED_SEARCHERS)  # (location, revision)
_cache_lock = threading.Lock()
_build_lock = threading.Lock()


def index_root(store: GraphStore) -> Path:
    """The folder that holds the indexes of `store`, one subfolder per revision."""
    return store.search_folder() / f"format-{indexing.FORMAT}"


def index_path(store: GraphStore, revision: str) -> Path:
    name = revision if _SAFE.match(revision) else hashlib.sha256(revision.encode()).hexdigest()
    return index_root(store) / name


def searcher_for(store: GraphStore, revision: str | None = None) -> Searcher:
    """The searcher of `revision` (default: the live one), building its index if missing.

    Only the live revision's index can be made here (from the store's target): for
    another revision without one, StoreError.
    """
    if revision is None:
        revision = store.revision()
        if revision is None:
            raise StoreError(f"{store.location}: no graph has been built yet (run `lcgraph build`)")
    found = cached_searcher(store, revision)
    if found is not None:
        return found
    folder = index_path(store, revision)
    if not folder.is_dir():
        _build_missing(store, revision, folder)
    searcher = Searcher(folder, revision)
    with _cache_lock:
        _cache.put((store.location, revision), searcher)
    return searcher


def cached_searcher(store: GraphStore, revision: str) -> Searcher | None:
    """The searcher of `revision` if one is open already (cheap: for every web request)."""
    key = (store.location, revision)
    with _cache_lock:
        return _cache.get(key)


def index_staging(staging: Staging, store: GraphStore, known: reading.Known | None = None) -> Path:
    """Index the graph being built in `staging`, under the revision it will go live as.

    `known`: the links the build holds, whose graphs' facets are not read back.
    """
    if staging.revision is None:
        raise StoreError("the staging store does not know its revision; cannot name its index")
    folder = index_path(store, staging.revision)
    with _writing(index_root(store)):
        resources = reading.collect(lambda sparql: staging.query(sparql), known)
        indexing.write(resources, folder)
        _prune(store, keep=folder)
    return folder


def _build_missing(store: GraphStore, revision: str, folder: Path) -> None:
    with _writing(index_root(store)), without_cycle_collection():  # as a build's (steps.py)
        if folder.is_dir():  # another thread or process made it meanwhile
            return
        target = store.target()
        if target.revision != revision:
            raise StoreError(f"{store.location}: revision {revision} is not live; cannot index it")
        reader = target.open()
        # GRAPH patterns only, but a server whose default graph is the union refuses a
        # query that does not ask for it (`RemoteReader.query`)
        resources = reading.collect(
            lambda sparql: reader.query(sparql, use_default_graph_as_union=True)
        )
        if not target.pinned and store.revision() != revision:
            # a graph that changed while it was read is not revision `revision`
            raise StoreError(f"{store.location}: revision {revision} stopped being live")
        indexing.write(resources, folder)
        _prune(store, keep=folder)


@contextmanager
def _writing(root: Path) -> Iterator[None]:
    """One index writer at a time: threads by a lock, processes by flock on root/.lock."""
    root.mkdir(parents=True, exist_ok=True)
    with _build_lock, open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for partial in root.glob(".*.partial"):  # left by a killed writer
            shutil.rmtree(partial, ignore_errors=True)
        yield


def _prune(store: GraphStore, keep: Path) -> None:
    """Delete all but the newest KEEP_INDEXES indexes; never `keep` or the live one's."""
    root = index_root(store)
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    live = store.revision()
    for path in folders[:-KEEP_INDEXES]:
        if path != keep and path.name != live:
            shutil.rmtree(path, ignore_errors=True)


def clear_cache() -> None:
    """Forget the open searchers (tests; a process that must release the files)."""
    with _cache_lock:
        _cache.clear()

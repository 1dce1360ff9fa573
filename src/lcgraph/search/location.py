"""Where each revision's index lives, how it is made, and the searcher of a revision.

    <embedded store>/search/format-<F>/<revision>/        beside generations/<revision>/
    <project>/var/search/<digest of the URL>/format-<F>/<revision>/  for a remote store

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
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lcgraph.errors import StoreError
from lcgraph.search import indexing
from lcgraph.search.searching import Searcher
from lcgraph.store import GraphStore, Staging
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.store.remote import RemoteStore

KEEP_INDEXES = 4  # like the store's generations: the live one and those readers may hold
CACHED_SEARCHERS = 4
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_cache: OrderedDict[tuple[str, str], Searcher] = OrderedDict()  # (location, revision)
_cache_lock = threading.Lock()
_build_lock = threading.Lock()


def index_root(store: GraphStore) -> Path:
    """The folder that holds the indexes of `store`, one subfolder per revision."""
    format_ = f"format-{indexing.FORMAT}"
    if isinstance(store, EmbeddedStore):
        return store.root / "search" / format_
    # on this machine, in the project folder of the settings the remote store was opened with
    project = store.settings.project if isinstance(store, RemoteStore) else Path.cwd()
    digest = hashlib.sha256(store.location.encode()).hexdigest()[:16]
    return project / "var" / "search" / digest / format_


def index_path(store: GraphStore, revision: str) -> Path:
    name = revision if _SAFE.match(revision) else hashlib.sha256(revision.encode()).hexdigest()
    return index_root(store) / name


def searcher_for(store: GraphStore, revision: str | None = None) -> Searcher:
    """The searcher of `revision` (default: the live one), building its index if missing."""
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
        _cache[(store.location, revision)] = searcher
        while len(_cache) > CACHED_SEARCHERS:
            _cache.popitem(last=False)
    return searcher


def cached_searcher(store: GraphStore, revision: str) -> Searcher | None:
    """The searcher of `revision` if one is open already (cheap: for every web request)."""
    key = (store.location, revision)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def index_staging(staging: Staging, store: GraphStore, inferred_graph: str | None = None) -> Path:
    """Index the graph being built in `staging`, under the revision it will go live as.

    `inferred_graph`: where the build put inferred triples (`Iris.inferred_graph`); its
    types are then made again from the class hierarchy instead of read (faster).
    """
    if staging.revision is None:
        raise StoreError("the staging store does not know its revision; cannot name its index")
    folder = index_path(store, staging.revision)
    with _writing(index_root(store)):
        resources = indexing.collect(lambda sparql: staging.query(sparql), inferred_graph)
        indexing.write(resources, folder)
        _prune(store, keep=folder)
    return folder


def _build_missing(store: GraphStore, revision: str, folder: Path) -> None:
    with _writing(index_root(store)):
        if folder.is_dir():  # another thread or process made it meanwhile
            return
        query = _query_at(store, revision)
        resources = indexing.collect(query)
        if store.revision() != revision and not isinstance(store, EmbeddedStore):
            # a remote graph that changed while it was read is not revision `revision`
            raise StoreError(f"{store.location}: revision {revision} stopped being live")
        indexing.write(resources, folder)
        _prune(store, keep=folder)


def _query_at(store: GraphStore, revision: str) -> indexing.Query:
    if isinstance(store, EmbeddedStore):
        reader = store.reader_at(revision)
        return lambda sparql: reader.query(sparql)
    if store.revision() != revision:
        raise StoreError(f"{store.location}: revision {revision} is not live; cannot index it")
    return lambda sparql: store.query(sparql)


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
    """Delete all but the newest KEEP_INDEXES indexes, and those of deleted generations."""
    root = index_root(store)
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    live = store.revision() if isinstance(store, EmbeddedStore) else None
    for path in folders:
        stale = path in folders[:-KEEP_INDEXES] or (
            isinstance(store, EmbeddedStore) and not Path(store.generation_path(path.name)).exists()
        )
        if stale and path != keep and path.name != live:
            shutil.rmtree(path, ignore_errors=True)


def clear_cache() -> None:
    """Forget the open searchers (tests; a process that must release the files)."""
    with _cache_lock:
        _cache.clear()

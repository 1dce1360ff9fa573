"""The embedded Oxigraph store, kept as generations with an atomic switch.

Layout of the store folder:

    generations/<revision>/   one complete Oxigraph database per build (+ lcgraph-meta.json)
    current -> generations/<revision>   a symlink, replaced atomically by rename(2)

A build writes a new generation and only then repoints `current`, so a build that fails or
is killed (even by SIGKILL) leaves the previous graph live and complete. Readers open
`current` read-only; several processes may do so at once, since no writer ever touches a
live generation.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad, RdfFormat, Store

from lcgraph.errors import StoreError
from lcgraph.store import QueryResult
from lcgraph.store.bulk_feed import BulkFeed
from lcgraph.store.target import EmbeddedTarget

META = "lcgraph-meta.json"
KEEP_GENERATIONS = 3  # the live one and two before it, which running readers may still hold


class EmbeddedStaging:
    """A writable Oxigraph database in a generation that is not live yet."""

    def __init__(self, path: Path, revision: str | None = None) -> None:
        self.path = path
        self.revision = revision  # what the store's revision() will say once this is live
        self._store: Store | None = Store(str(path))
        self.meta: dict[str, Any] = {}

    @property
    def store(self) -> Store:
        if self._store is None:
            raise StoreError(f"{self.path}: this staging store is closed (its build ended)")
        return self._store

    def close(self) -> None:
        """Release the writer; pyoxigraph closes a store when its last reference goes.

        `stage()` calls this itself: a writer left open by a caller's `as` variable would
        keep compacting and delete files under the readers of the generation.
        """
        self._store = None

    def load(
        self, data: bytes | Path, format: RdfFormat = RdfFormat.N_QUADS, graph: str | None = None
    ) -> None:
        to_graph = NamedNode(graph) if graph is not None else None
        if isinstance(data, Path):
            self.store.bulk_load(path=str(data), format=format, to_graph=to_graph)
        else:
            self.store.bulk_load(data, format=format, to_graph=to_graph)

    @contextmanager
    def loading(self) -> Iterator[BulkFeed]:
        """Where to write N-Quads that load while more are written; all loaded at the block's end.

        Each write must end at a line's end (`store.bulk_feed`: why and what it measured).
        When the block raises, what is still queued is dropped and the block's error is
        raised; else a load's own error (a malformed line) is raised at the block's end.
        """
        feed = BulkFeed(self.store)
        try:
            yield feed
        except BaseException:
            feed.close(discard=True)
            raise
        feed.close()

    def extend(self, quads: list[Quad]) -> None:
        self.store.bulk_extend(quads)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self.store.update(sparql, base_iri=base_iri)

    def query(self, sparql: str, **options: Any) -> QueryResult:
        return self.store.query(sparql, **options)

    def set_meta(self, **meta: Any) -> None:
        self.meta.update(meta)


class EmbeddedStore:
    """The store folder at `location`; see the module docstring for its layout."""

    def __init__(self, location: str | Path) -> None:
        self.location = str(location)
        self.root = Path(location)
        self._current_link = str(self.root / "current")
        self._generations_dir = str(self.root / "generations")
        self._reader: tuple[str, Store] | None = None

    @property
    def _current(self) -> Path:
        return self.root / "current"

    def revision(self) -> str | None:
        try:  # per request in the service: one readlink, no Path objects
            return os.readlink(self._current_link).rpartition("/")[2]
        except FileNotFoundError:
            return None

    def generation_path(self, revision: str) -> str:
        """The folder of generation `revision` (a string: the service asks per request)."""
        return f"{self._generations_dir}/{revision}"

    def target(self) -> EmbeddedTarget:
        """The live generation as a query target (one readlink)."""
        revision = self.revision()
        if revision is None:
            raise StoreError("no graph has been built yet (run `lcgraph build`)")
        return EmbeddedTarget(revision, self.generation_path(revision), self)

    def releases_folder(self) -> Path:
        """Beside the generations, so a release's files go with the store folder."""
        return self.root / "releases"

    def search_folder(self) -> Path:
        """Beside the generations, so the indexes go with the store folder."""
        return self.root / "search"

    def live_path(self) -> Path:
        """The folder of the live generation. Raises StoreError before the first build."""
        revision = self.revision()
        if revision is None:
            raise StoreError(f"{self.location}: no graph has been built yet (run `lcgraph build`)")
        return self.root / "generations" / revision

    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = json.loads((self.live_path() / META).read_text())
        return meta

    def close(self) -> None:
        """Release the read-only handle (it is reopened on the next read)."""
        self._reader = None

    def reader(self) -> Store:
        """A read-only handle on the live generation, reopened when a build switched it."""
        return self.reader_at(self.live_path().name)

    def reader_at(self, revision: str) -> Store:
        """A read-only handle on generation `revision`; one is kept, reopened on a change."""
        if self._reader is None or self._reader[0] != revision:
            path = self.generation_path(revision)
            try:
                self._reader = (revision, Store.read_only(path))
            except OSError as err:
                raise StoreError(f"{path}: cannot open the store: {err}") from err
        return self._reader[1]

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[Any, Any] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        options: dict[str, Any] = {"substitutions": substitutions, "prefixes": prefixes}
        if default_graphs:
            options["default_graph"] = [NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [NamedNode(g) for g in named_graphs]
        return self.reader().query(sparql, **options)

    @contextmanager
    def stage(self, from_live: bool = False) -> Iterator[EmbeddedStaging]:
        """Build a new generation; on a clean exit make it live, on an error delete it.

        With `from_live`, the new generation starts as a copy of the live one (for writes
        such as analysis results or authorised updates); otherwise it starts empty.
        """
        # Microseconds first, so names sort in the order generations were made.
        revision = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + secrets.token_hex(3)
        path = self.root / "generations" / revision
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.root / "build.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as err:
                raise StoreError(f"{self.location}: another build is running") from err
            self._remove_unfinished()
            if from_live:
                shutil.copytree(self.live_path(), path, ignore=shutil.ignore_patterns(META, "LOCK"))
            yield from self._build_generation(path, revision)

    def _build_generation(self, path: Path, revision: str) -> Iterator[EmbeddedStaging]:
        staging = EmbeddedStaging(path, revision)
        try:
            yield staging
            staging.store.flush()
            staging.meta.update(revision=revision, previous=self.revision())
        except BaseException:
            staging.close()
            shutil.rmtree(path, ignore_errors=True)
            raise
        staging.close()  # before anyone opens the generation read-only
        (path / META).write_text(json.dumps(staging.meta, indent=2, sort_keys=True))
        self._switch_to(revision)
        self._prune()

    def _switch_to(self, revision: str) -> None:
        link = self.root / f"current.{revision}.tmp"
        os.symlink(Path("generations") / revision, link)
        os.replace(link, self._current)
        fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _generations(self) -> list[Path]:
        folder = self.root / "generations"
        return sorted(folder.iterdir()) if folder.exists() else []

    def _remove_unfinished(self) -> None:
        """Delete generations a killed build left behind (they have no meta file)."""
        live = self.revision()
        for path in self._generations():
            if path.name != live and not (path / META).exists():
                shutil.rmtree(path, ignore_errors=True)

    def _prune(self) -> None:
        """Delete all but the newest KEEP_GENERATIONS finished generations; never the live one.

        Ordered by when each was finished (its meta file), not by name alone: several
        writes may land in the same second.
        """
        live = self.revision()
        finished = sorted(
            (p for p in self._generations() if (p / META).exists()),
            key=lambda p: ((p / META).stat().st_mtime_ns, p.name),
        )
        for path in finished[:-KEEP_GENERATIONS]:
            if path.name != live:
                shutil.rmtree(path, ignore_errors=True)

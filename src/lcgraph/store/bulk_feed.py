"""A bulk load fed while it runs: the build writes N-Quads as it maps, threads load them.

pyoxigraph's `bulk_load` releases the GIL, so the writer's Python work (mapping sources,
closing links) and the load share the CPUs. Measured on benchmarks/build.py's 1.2M
synthetic triples, 2 cores:

- one bulk load of the whole file would not do: Oxigraph's loader does its work only once a
  million quads are read, so it would start after the mapping (mapping, inference and
  loading 17.2-18.1 s one after the other, 17.8 s with the file read from a pipe meanwhile);
- eight loads of an eighth each cost what one load of all does (8.3 s against 8.9 s), and
  two loads at once into one store take 5.1 s where one after the other take 7.6: each load
  parses on one thread;
- so: chunks of CHUNK bytes, two loaders (mapping, inference and loading 11.1 s).

Chunks are cut after a newline, so each write must end at a line's end; they load in any
order, which a set of quads allows.
"""

from __future__ import annotations

import queue
import threading

from pyoxigraph import RdfFormat, Store

from lcgraph.errors import StoreError


class BulkFeed:
    """N-Quads in, chunks of whole lines to loading threads (`EmbeddedStaging.loading`)."""

    CHUNK = 32 << 20  # bytes; ~150,000 quads
    QUEUED = 2  # chunks waiting at most: the writer waits rather than fill the memory
    LOADERS = 2  # loads at once

    def __init__(self, store: Store) -> None:
        self._store: Store | None = store
        self._parts: list[bytes] = []
        self._size = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(self.QUEUED)
        self._failed: list[BaseException] = []
        self._loaders = [
            threading.Thread(target=self._load, name=f"lcgraph-load-{i}", daemon=True)
            for i in range(self.LOADERS)
        ]
        for loader in self._loaders:
            loader.start()

    def write(self, data: bytes) -> int:
        self._parts.append(data)
        self._size += len(data)
        if self._size >= self.CHUNK:
            self._send()
        return len(data)

    def close(self, discard: bool = False) -> None:
        """Load what is left and wait for the loader; with `discard`, drop it instead."""
        if discard:
            self._failed.append(StoreError("the load was cut off"))  # the loader drains
        else:
            self._send()
        for _ in self._loaders:
            self._queue.put(None)  # one end for each
        for loader in self._loaders:
            loader.join()
        # Let go of the writer: one kept by the caller's `as` variable would compact under
        # the generation's readers (`EmbeddedStaging.close`).
        self._store = None
        if self._failed and not discard:
            raise self._failed[0]

    def _send(self) -> None:
        """Queue what was written, in pieces of about CHUNK bytes cut after a line's end (a
        large source in one piece would leave the other loader idle)."""
        data = b"".join(self._parts)
        self._parts, self._size = [], 0
        start = 0
        while start < len(data):
            end = data.find(b"\n", start + self.CHUNK) + 1 or len(data)
            self._queue.put(data[start:end])
            start = end

    def _load(self) -> None:
        while (chunk := self._queue.get()) is not None:  # chunks in any order: a set of quads
            if self._failed:
                continue  # keep taking chunks, so the writer never waits on a dead loader
            try:
                assert self._store is not None  # closed only once the loaders are done
                self._store.bulk_load(chunk, format=RdfFormat.N_QUADS)
            except BaseException as err:  # raised on the writer's side, at close
                self._failed.append(err)

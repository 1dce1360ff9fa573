"""A pool of query worker processes with admission control and a wall-clock limit that bites.

pyoxigraph has no query timeout and holds the GIL-free engine in native code, so the only
way to really stop a runaway query (and free its CPU) is to kill the process running it.
Each query runs in one of `size` spawned workers (`lcgraph.querying.worker`); at the
deadline the worker gets SIGKILL and a fresh one takes its place, while the other workers
keep serving. At most `max_admitted` queries are running or waiting at once; one more gets
`ServiceBusy` (503 + Retry-After) at once instead of queueing without bound.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

from lcgraph.errors import QueryError, QuerySyntaxError, QueryTimeout, StoreError
from lcgraph.querying import frames, worker

_CONTEXT = multiprocessing.get_context("spawn")


class ServiceBusy(QueryError):
    """Every query slot is taken; try again shortly."""

    status = 503
    retry_after_s = 1


class NotAcceptable(QueryError):
    """No format the client accepts can carry this kind of result."""

    status = 406


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, the generation to run on and how to write results."""

    query: str
    path: str
    formats: dict[str, list[str]]
    max_rows: int
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None
    substitutions: dict[str, dict[str, str]] = field(default_factory=dict)  # querying.terms
    remote_settings: str = ""  # Settings as JSON, when `path` is a remote store's URL
    prefixes: dict[str, str] = field(default_factory=dict)  # the project's, to write graphs

    def encode(self) -> bytes:
        return frames.encode_json(frames.JOB, self.__dict__)


class _Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self) -> None:
        parent, child = socket.socketpair()
        self.process: BaseProcess = _CONTEXT.Process(
            target=worker.main, args=(child,), daemon=True, name="lcgraph-query-worker"
        )
        self.process.start()
        child.close()
        self.sock = parent
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(sock=self.sock, limit=1 << 22)
        return self.streams

    def kill(self) -> None:
        self.process.kill()
        if self.streams is not None:
            self.streams[1].close()
        else:
            self.sock.close()
        self.process.join(1)


class WorkerPool:
    """`size` query workers; see the module docstring for the guarantees."""

    def __init__(self, size: int, max_admitted: int, timeout_s: float) -> None:
        self.size, self.max_admitted, self.timeout_s = size, max_admitted, timeout_s
        self.admitted = 0
        self.timeouts = 0
        self._idle: asyncio.LifoQueue[_Worker] = asyncio.LifoQueue()
        self._all: set[_Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Start the workers and wait until each has imported the engine and said READY."""
        for _ in range(self.size):
            self._add_worker()
        while self._idle.qsize() < self.size:
            await asyncio.sleep(0.02)

    def close(self) -> None:
        for task in list(self._starting):
            task.cancel()
        for w in list(self._all):
            w.kill()
        self._all.clear()

    def _add_worker(self) -> None:
        """Start a worker; it joins the idle queue once READY, so no query waits on a cold one."""
        w = _Worker()
        self._all.add(w)
        task = asyncio.get_running_loop().create_task(self._when_ready(w))
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _when_ready(self, w: _Worker) -> None:
        reader, _ = await w.connect()
        try:
            header = await reader.readexactly(frames.HEADER_SIZE)
        except (asyncio.IncompleteReadError, OSError):
            self._all.discard(w)
            return
        if frames.decode_header(header)[0] == frames.READY and w in self._all:
            self._idle.put_nowait(w)

    def _replace(self, w: _Worker) -> None:
        """Kill `w` (it may still be computing or writing) and start a fresh worker."""
        self._all.discard(w)
        w.kill()
        self._add_worker()

    async def submit(self, job: Job) -> QueryStream:
        """Admit `job`, hand it to an idle worker and return its result stream.

        Raises ServiceBusy when `max_admitted` queries are in already, QueryTimeout when no
        worker frees up before the deadline.
        """
        if self.admitted >= self.max_admitted:
            raise ServiceBusy("the service is at its limit of concurrent queries; retry shortly")
        self.admitted += 1
        deadline = time.monotonic() + self.timeout_s
        try:
            w = await self._idle_worker()
        except TimeoutError:
            self.admitted -= 1
            self.timeouts += 1
            raise QueryTimeout(self.timeout_message("waiting for a free worker")) from None
        stream = QueryStream(self, w, deadline)
        try:
            _, writer = await w.connect()
            writer.write(job.encode())
        except BaseException:
            stream.release()
            raise
        return stream

    async def _idle_worker(self) -> _Worker:
        """An idle worker, waiting at most `timeout_s`; no timer task when one is free now."""
        if not self._idle.empty():
            return self._idle.get_nowait()
        return await asyncio.wait_for(self._idle.get(), self.timeout_s)

    def timeout_message(self, what: str) -> str:
        return f"query stopped after the time limit of {self.timeout_s:g} s ({what})"

    def _finish(self, w: _Worker, clean: bool) -> None:
        self.admitted -= 1
        if clean:
            self._idle.put_nowait(w)
        else:
            self._replace(w)


class QueryStream:
    """The frames of one running query; `release()` must be called exactly once (idempotent)."""

    def __init__(self, pool: WorkerPool, w: _Worker, deadline: float) -> None:
        self.pool, self.worker, self.deadline = pool, w, deadline
        self.end: dict[str, Any] | None = None
        self.released = False

    async def _frame(self) -> tuple[bytes, bytes]:
        reader, _ = await self.worker.connect()
        try:
            async with asyncio.timeout_at(self._loop_deadline()):
                header = await reader.readexactly(frames.HEADER_SIZE)
                kind, size = frames.decode_header(header)
                return kind, await reader.readexactly(size)
        except TimeoutError:
            self.pool.timeouts += 1
            self.release()
            raise QueryTimeout(self.pool.timeout_message("running")) from None
        except (asyncio.IncompleteReadError, OSError):
            self.release()
            raise QueryError("the query worker died while running the query") from None

    def _loop_deadline(self) -> float:
        loop = asyncio.get_running_loop()
        return loop.time() + (self.deadline - time.monotonic())

    async def head(self) -> dict[str, Any]:
        """The chosen format and result kind; raises the query's error if it failed at once."""
        kind, payload = await self._frame()
        if kind == frames.ERROR:
            self._done_cleanly()
            raise _error_from(json.loads(payload))
        head: dict[str, Any] = json.loads(payload)
        return head

    async def chunks(self) -> AsyncIterator[bytes]:
        """DATA payloads until END (then `self.end` is set); an ERROR frame raises."""
        while True:
            kind, payload = await self._frame()
            if kind == frames.DATA:
                yield payload
            elif kind == frames.END:
                self.end = json.loads(payload)
                self._done_cleanly()
                return
            else:
                self._done_cleanly()
                raise _error_from(json.loads(payload))

    def _done_cleanly(self) -> None:
        if not self.released:
            self.released = True
            self.pool._finish(self.worker, clean=True)

    def release(self) -> None:
        """Give the worker back: reused if the query finished, killed and replaced if not."""
        if not self.released:
            self.released = True
            self.pool._finish(self.worker, clean=False)


def _error_from(payload: dict[str, Any]) -> QueryError | StoreError:
    kind, message = payload.get("type"), str(payload.get("message", "query failed"))
    if kind == "QuerySyntaxError":
        return QuerySyntaxError(message, payload.get("line"), payload.get("column"))
    if kind == "NotAcceptable":
        return NotAcceptable(f"{message}: the Accept header or format parameter rules out all")
    if kind == "StoreError":
        return StoreError(message)
    return QueryError(message)

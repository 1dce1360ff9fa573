"""A pool of query worker processes with admission control and limits that bite.

pyoxigraph has no query timeout and holds the GIL-free engine in native code, so the only
way to really stop a runaway query (and free its CPU and memory) is to kill the process
running it. Each query runs in one of `size` spawned workers (`lcgraph.querying.worker`);
at the deadline, or when the worker's resident memory passes `memory_limit_mb`
(`lcgraph.querying.memory`), the worker gets SIGKILL and a fresh one takes its place,
while the other workers keep serving.

Two lanes (docs/query-service.md): OPEN is SPARQL a client wrote, which may be arbitrarily
heavy; CHEAP is work whose cost the service knows to be small (named queries, its own
lookups). `reserved` workers take CHEAP jobs only; the others take both, and run at a lower
CPU priority (`OPEN_NICE`), so that on a busy machine heavy queries yield the CPU to the
reserved workers and the HTTP process. A CHEAP job takes a reserved worker if one is idle,
else any idle worker. Each lane admits at most
`max_admitted` jobs (running or waiting); one more gets `ServiceBusy` (503 + Retry-After)
at once instead of queueing without bound. An OPEN job that would have to wait for a
worker is first parsed by a syntax checker (a pool of one process with a short limit), so
a malformed query is answered 400 without waiting for a worker.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import time
from collections import deque
from dataclasses import replace
from multiprocessing.process import BaseProcess
from typing import Any

from lcgraph.errors import QueryError, QuerySyntaxError, QueryTimeout
from lcgraph.querying import frames, guard, memory, worker
from lcgraph.querying.job import Job
from lcgraph.querying.stream import MemoryLimitReached, NotAcceptable, QueryStream

__all__ = ["CHEAP", "OPEN", "Job", "MemoryLimitReached", "NotAcceptable", "QueryStream"]

_CONTEXT = multiprocessing.get_context("spawn")
OPEN, CHEAP = "open", "cheap"
CHECK_LIMIT_S = 0.5  # parsing takes microseconds; longer means the engine is evaluating
OPEN_NICE = 5  # the niceness of workers that run client SPARQL (0: the reserved ones)


class ServiceBusy(QueryError):
    """Every query slot is taken; try again shortly."""

    status = 503
    retry_after_s = 1


class _Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self, reserved: bool, nice: int) -> None:
        parent, child = socket.socketpair()
        self.process: BaseProcess = _CONTEXT.Process(
            target=worker.main, args=(child, nice), daemon=True, name="lcgraph-query-worker"
        )
        self.reserved = reserved
        self.process.start()
        child.close()
        self.sock = parent
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.lane = OPEN
        self.over_memory = False

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

    def __init__(
        self,
        size: int,
        max_admitted: int,
        timeout_s: float,
        reserved: int = 0,
        memory_limit_mb: int = 0,
        check_syntax: bool = False,
        open_nice: int = OPEN_NICE,
    ) -> None:
        self.size, self.max_admitted, self.timeout_s = size, max_admitted, timeout_s
        self.reserved = max(0, min(reserved, size - 1))
        self.memory_limit_mb, self.open_nice = memory_limit_mb, open_nice
        self.lanes = {OPEN: 0, CHEAP: 0}  # admitted per lane
        self.timeouts = 0
        self._idle: list[_Worker] = []
        self._waiters: deque[tuple[str, asyncio.Future[_Worker]]] = deque()
        self._all: set[_Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._watchdog: asyncio.Task[None] | None = None
        self.started = False
        self.checker = (
            WorkerPool(
                1, max_admitted, min(CHECK_LIMIT_S, timeout_s), 0, memory_limit_mb, open_nice=0
            )
            if check_syntax
            else None
        )

    @property
    def admitted(self) -> int:
        return self.lanes[OPEN] + self.lanes[CHEAP]

    async def start(self) -> None:
        """Start the workers and wait until each has imported the engine and said READY.

        `submit` calls this itself if nobody did: a one-shot caller (the CLI) that may never
        need a worker then never starts one."""
        if self.started:
            return
        self.started = True
        for i in range(self.size):
            self._add_worker(reserved=i < self.reserved)
        if self.checker is not None:
            await self.checker.start()
        while len(self._idle) < self.size:
            await asyncio.sleep(0.02)
        if self.memory_limit_mb and memory.measurable():
            limit = self.memory_limit_mb << 20
            self._watchdog = asyncio.get_running_loop().create_task(
                memory.watch(self._busy_workers, limit, self._over_limit)
            )

    def close(self) -> None:
        for task in [*self._starting, *([self._watchdog] if self._watchdog else [])]:
            task.cancel()
        for w in list(self._all):
            w.kill()
        self._all.clear()
        if self.checker is not None:
            self.checker.close()

    def _add_worker(self, reserved: bool) -> None:
        """Start a worker; it joins the idle set once READY, so no query waits on a cold one."""
        w = _Worker(reserved, 0 if reserved else self.open_nice)
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
            self._give(w)

    def _replace(self, w: _Worker) -> None:
        """Kill `w` (it may still be computing or writing) and start a fresh worker."""
        self._all.discard(w)
        w.kill()
        self._add_worker(w.reserved)

    def _busy_workers(self) -> list[tuple[int, Any]]:
        idle = set(self._idle)
        return [(w.process.pid or 0, w) for w in self._all if w not in idle]

    def _over_limit(self, w: _Worker) -> None:
        """The watchdog's verdict: stop the query; its stream reports MemoryLimitReached."""
        w.over_memory = True
        w.process.kill()

    async def submit(self, job: Job, lane: str = OPEN) -> QueryStream:
        """Admit `job` on `lane`, hand it to a worker and return its result stream.

        Raises QuerySyntaxError for an OPEN job the checker refuses, ServiceBusy when
        `max_admitted` jobs of the lane are in already, QueryTimeout when no worker the lane
        may take frees up before the deadline.
        """
        if not self.started:
            await self.start()
        if self.lanes[lane] >= self.max_admitted:
            raise ServiceBusy("the service is at its limit of concurrent queries; retry shortly")
        # with a worker free, that worker parses the query at once anyway: the check would
        # only add its round trip (0.35 ms measured); it pays when the query would wait
        if lane == OPEN and self.checker is not None and self._idle_for(OPEN) is None:
            await self.checker.check(job)
        self.lanes[lane] += 1
        deadline = time.monotonic() + self.timeout_s
        try:
            w = await self._idle_worker(lane)
        except BaseException as err:
            self.lanes[lane] -= 1
            if not isinstance(err, TimeoutError):
                raise
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

    async def check(self, job: Job) -> None:
        """Raise `job`'s QuerySyntaxError if it has one; pass when the check cannot tell in
        time (busy, slow, or a worker that died): the query's own worker parses it again."""
        if guard.mentions_remote(job.query):  # evaluating it could reach out: no check
            return
        try:
            stream = await self.submit(replace(job, check_only=True))
        except QueryError:
            return
        try:
            await stream.head()
        except QuerySyntaxError:
            raise
        except QueryError:
            return
        finally:
            stream.release()

    @staticmethod
    def _take(w: _Worker, lane: str) -> _Worker:
        w.lane = lane
        return w

    def _idle_for(self, lane: str) -> _Worker | None:
        """The idle worker `lane` should take: reserved first for CHEAP, never for OPEN."""
        for w in reversed(self._idle):  # the most recently used first: its caches are warm
            if w.reserved == (lane == CHEAP):
                return w
        return next((w for w in self._idle if not w.reserved), None) if lane == CHEAP else None

    async def _idle_worker(self, lane: str) -> _Worker:
        """A worker `lane` may take, waiting at most `timeout_s`; no timer when one is free."""
        if (w := self._idle_for(lane)) is not None:
            self._idle.remove(w)
            return self._take(w, lane)
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        entry = (lane, waiter)
        self._waiters.append(entry)
        try:
            return await asyncio.wait_for(waiter, self.timeout_s)
        except BaseException:
            if entry in self._waiters:
                self._waiters.remove(entry)
            if waiter.done() and not waiter.cancelled():  # handed over as the timer fired
                self._finish(waiter.result(), clean=True, admitted=False)
            raise

    def _give(self, w: _Worker) -> None:
        """A free worker: to the oldest waiter whose lane may take it, else to the idle set."""
        for entry in self._waiters:
            lane, waiter = entry
            if not waiter.done() and (lane == CHEAP or not w.reserved):
                self._waiters.remove(entry)
                waiter.set_result(self._take(w, lane))
                return
        self._idle.append(w)

    def timeout_message(self, what: str) -> str:
        return f"query stopped after the time limit of {self.timeout_s:g} s ({what})"

    def memory_message(self) -> str:
        return f"query stopped: its worker passed the memory limit of {self.memory_limit_mb} MB"

    def _finish(self, w: _Worker, clean: bool, admitted: bool = True) -> None:
        if admitted:
            self.lanes[w.lane] -= 1
        if clean and not memory.grown(w.process.pid, self.memory_limit_mb):
            self._give(w)
        else:
            self._replace(w)

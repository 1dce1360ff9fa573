"""The parent's side of one running query: the frames a worker sends, read under a deadline.

A query ends in one of four ways: END (the worker is reused), ERROR (reused: the worker
answered), the deadline (QueryTimeout), or the worker's death (killed by the memory
watchdog: MemoryLimitReached; otherwise a QueryError); in the last two the worker is killed
if need be and replaced (`lcgraph.querying.pool`).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from lcgraph.errors import QueryError, QuerySyntaxError, QueryTimeout, StoreError
from lcgraph.querying import frames

if TYPE_CHECKING:
    from lcgraph.querying.pool import WorkerPool, _Worker


class NotAcceptable(QueryError):
    """No format the client accepts can carry this kind of result."""

    status = 406


class MemoryLimitReached(QueryError):
    """The query's worker passed the per-worker memory limit and was stopped."""

    status = 503


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
            if self.worker.over_memory:
                raise MemoryLimitReached(self.pool.memory_message()) from None
            raise QueryError("the query worker died while running the query") from None

    def _loop_deadline(self) -> float:
        loop = asyncio.get_running_loop()
        return loop.time() + (self.deadline - time.monotonic())

    async def head(self) -> dict[str, Any]:
        """The chosen format and result kind; raises the query's error if it failed at once.

        A syntax check (`Job.check_only`) that passes answers END at once: its `end`."""
        kind, payload = await self._frame()
        if kind == frames.ERROR:
            self._done_cleanly()
            raise _error_from(json.loads(payload))
        head: dict[str, Any] = json.loads(payload)
        if kind == frames.END:
            self.end = head
            self._done_cleanly()
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

"""Run bounded queries (`lcgraph.querying.bounded`) in the service process, no worker.

A point lookup costs the engine ~50 µs; handing it to a worker process and reading the
answer back cost the service several times that. A bounded query's cost is proportional to
the rows pulled from it, so here at most `INLINE_ROWS` rows are pulled (a few milliseconds
at worst) on a read-only handle of the live generation. A result that turns out longer is
dropped and the caller sends the query to a worker, which streams it and enforces the time
limit as for any other query.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pyoxigraph import Store

from lcgraph.errors import QueryError, StoreError
from lcgraph.querying import results, worker
from lcgraph.querying.pool import Job, NotAcceptable

INLINE_ROWS = 500


@dataclass(frozen=True)
class InlineResult:
    """A complete result: what the worker would have sent as HEAD, DATA… and END."""

    kind: str
    format: str
    body: bytes
    truncated: bool


class InlineEngine:
    """One read-only handle on the live generation, reopened when a job names another."""

    def __init__(self) -> None:
        self._opened: tuple[str, Store] | None = None

    def run(self, job: Job) -> InlineResult | None:
        """The whole result of a bounded `job`, or None when it has over INLINE_ROWS rows."""
        store = self._store(job.path)
        result = worker.execute(store, job.__dict__)
        kind = results.kind_of(result)
        fmt = results.choose_format(kind, job.formats)
        if fmt is None:
            raise NotAcceptable(
                f"no acceptable {kind} format: the Accept header or format parameter rules out all"
            )
        limit = min(job.max_rows, INLINE_ROWS) if job.max_rows else INLINE_ROWS
        out = io.BytesIO()
        try:
            _, truncated = results.write_result(result, fmt, out, limit)
        except (OSError, RuntimeError, ValueError) as err:
            raise QueryError(str(err)) from err
        if truncated and limit < (job.max_rows or limit + 1):
            return None  # longer than we pull here: a worker streams it
        return InlineResult(kind, fmt, out.getvalue(), truncated)

    def _store(self, path: str) -> Store:
        if self._opened is None or self._opened[0] != path:
            self._opened = None  # drop the old generation's handle first
            try:
                self._opened = (path, Store.read_only(path))
            except OSError as err:
                raise StoreError(f"cannot open the store: {err}") from err
        return self._opened[1]

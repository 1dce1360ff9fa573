"""Answer a SPARQL query: guard, revision ETag, cache, in-process or worker, limits.

`QueryService.answer(request)` answers every query (/sparql, Graph Store reads, named
queries, the CLI) with plain dataclasses (`lcgraph.querying.answers`); the web renders them
(`lcgraph.web.answers`).

The order is chosen for cost: the SERVICE/LOAD guard and the ETag check need no engine; a
repeated query (what dashboards send) is answered from a small in-memory cache keyed by the
store revision, so a build invalidates it for free; a bounded query (one triple pattern, see
`lcgraph.querying.bounded`) on a target that reads locally runs here in this process; only
then does a worker run the query, under the time limit and the memory limit
(`lcgraph.querying.pool`). Results up to `PREFETCH_BYTES` are collected before the answer
is given, so it can say exactly whether the row cap cut them, and a query that runs into a
limit before then raises its error (the web's clean 503); longer results are handed over
as a `Streamed` answer, whose cut, if any, the body announces in band
(`lcgraph.web.streaming`). A result that cannot be closed early (JSON-LD, RDF/XML) is held
whole: the row cap bounds it.
Named queries and the service's own lookups take the pool's CHEAP lane, client SPARQL OPEN.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator

from pyoxigraph import NamedNode, Variable

from lcgraph.config import Settings
from lcgraph.formats import BY_NAME
from lcgraph.iris import Iris
from lcgraph.lru import LRU
from lcgraph.querying import bounded, guard, search_form, search_rewrite
from lcgraph.querying.answers import Answer, Complete, NotModified, QueryRequest, Streamed
from lcgraph.querying.inline import run_inline
from lcgraph.querying.job import Job
from lcgraph.querying.pool import CHEAP, NotAcceptable, WorkerPool
from lcgraph.querying.result_cache import ResultCache
from lcgraph.querying.terms import Term, Wire, decode_substitutions, encode_substitutions
from lcgraph.store import GraphStore, Reader
from lcgraph.store.target import Target

PREFETCH_BYTES = 1 << 20
IS_INSTANCE = "ASK { ?value a ?class }"
INSTANCE_MEMO = 4096  # (revision, class, value) answers kept; a revision's never change


class QueryService:
    """Answers queries on `store` with `pool`'s workers; see the module docstring."""

    def __init__(self, settings: Settings, store: GraphStore, pool: WorkerPool) -> None:
        self.store, self.pool = store, pool
        limits = settings.service
        self.max_rows, self.allowlist = limits.max_rows, limits.service_allowlist
        self.base_iri = settings.base_iri
        self.cache: ResultCache[Complete] = ResultCache(limits.result_cache_entries)
        self.prefixes = Iris(settings.base_iri).prefixes
        self._local: tuple[Target, Reader] | None = None
        self._instances: LRU[tuple[str, str, str], bool] = LRU(INSTANCE_MEMO)

    @classmethod
    def for_settings(
        cls,
        settings: Settings,
        store: GraphStore,
        timeout_s: float | None = None,
        check_syntax: bool = True,
    ) -> QueryService:
        """A service with the pool the settings describe, its workers started on first
        need; `timeout_s` overrides the setting `service.query_timeout_s`; `check_syntax` runs
        the syntax checker for queries that would wait for a worker."""
        limits = settings.service
        pool = WorkerPool(
            limits.query_workers,
            limits.max_concurrent_queries,
            limits.query_timeout_s if timeout_s is None else timeout_s,
            reserved=limits.query_reserved_workers,
            memory_limit_mb=limits.query_worker_memory_mb,
            check_syntax=check_syntax,
        )
        return cls(settings, store, pool)

    def revision(self) -> str:
        """The live revision; raises StoreError before the first build."""
        return self.store.target().revision

    async def answer(self, request: QueryRequest) -> Answer:
        """The answer to `request`; raises the query's error (QueryError, StoreError…)."""
        target = self.store.target()
        revision = target.revision
        # searches first (issue 15): they become VALUES, so the guard and the engine never
        # see the search SERVICE
        text = await self._searched(request.text, revision, request.substitutions)
        guard.check_remote_access(text, self.allowlist)
        if not any(request.formats.values()):
            raise NotAcceptable("none of the result formats fits the Accept header or format")
        max_rows = self.max_rows if request.max_rows is None else request.max_rows
        etag = _etag(revision, request, max_rows)
        if request.if_none_match and _if_none_match(request.if_none_match, etag):
            return NotModified(etag)
        cached = self.cache.get(etag)
        if cached is not None:
            return cached
        job = Job(
            text,
            target,
            request.formats,
            max_rows,
            request.default_graphs,
            request.named_graphs,
            request.base_iri,
            request.substitutions or {},
            self.prefixes,
            self.prefixes if request.project_prefixes else {},
        )
        answered = self._inline(job, etag)
        return answered if answered is not None else await self._run(job, etag, request.lane)

    async def _searched(self, text: str, revision: str, substitutions: Wire | None) -> str:
        """`text` with its full-text searches answered by the index of `revision`.

        In a thread: a search takes milliseconds, but the first one of a remote store's
        revision builds its index, and the event loop must not wait for that."""
        if not search_form.mentions_search(text):
            return text
        bindings = {v.value: t for v, t in decode_substitutions(substitutions or {}).items()}
        return await asyncio.to_thread(
            search_rewrite.rewrite_for_store,
            text,
            self.store,
            revision,
            self.base_iri,
            prefixes=self.prefixes,
            bindings=bindings,
        )

    def _inline(self, job: Job, etag: str) -> Complete | None:
        """A bounded query answered in this process; None leaves `job` to a worker."""
        if not job.target.local:  # a remote server answers bounded queries itself
            return None
        if (query := bounded.read_bounded(job.query)) is None:
            return None
        done = run_inline(self._reader(job.target), job, query)
        if done is None:
            return None
        # not cached: as cheap to answer again, and random lookups would evict the results
        # that are worth keeping
        return _complete(done.body, done.kind, done.format, done.truncated, etag, job)

    def _reader(self, target: Target) -> Reader:
        if self._local is None or self._local[0] != target:
            self._local = (target, target.open())
        return self._local[1]

    async def ask(self, text: str) -> bool:
        """Run an ASK on the live graph (no cache, no guard: for the service's own lookups)."""
        formats = {"solutions": [], "boolean": ["json"], "graph": []}
        stream = await self.pool.submit(Job(text, self.store.target(), formats, 0), CHEAP)
        try:
            await stream.head()
            body = b"".join([chunk async for chunk in stream.chunks()])
        finally:
            stream.release()
        return bool(json.loads(body)["boolean"])

    async def is_instance(self, value: Term, class_iri: str) -> bool:
        """Whether the live graph types `value` as `class_iri` (a named query's parameter
        check); remembered per revision, since a built graph never changes."""
        key = (self.revision(), class_iri, str(value))
        found = self._instances.get(key)
        if found is None:
            bindings = {Variable("value"): value, Variable("class"): NamedNode(class_iri)}
            formats = {"solutions": [], "boolean": ["json"], "graph": []}
            wire = encode_substitutions(bindings)
            asked = QueryRequest(IS_INSTANCE, formats, substitutions=wire, lane=CHEAP)
            answer = await self.answer(asked)
            assert isinstance(answer, Complete)  # a boolean: small, never streamed
            found = bool(json.loads(answer.body)["boolean"])
            self._instances.put(key, found)
        return found

    async def _run(self, job: Job, etag: str, lane: str) -> Complete | Streamed:
        stream = await self.pool.submit(job, lane)
        try:
            head = await stream.head()
            chunks = stream.chunks()
            kind, fmt = str(head["kind"]), str(head["format"])
            prefix = await _prefetch(chunks, PREFETCH_BYTES if BY_NAME[fmt].cuttable else None)
        except BaseException:
            stream.release()
            raise
        if stream.end is None:
            limit = _row_limit(kind, job.max_rows)
            return Streamed(stream, prefix, chunks, kind, fmt, etag, job.target.revision, limit)
        truncated = bool(stream.end["truncated"])
        done = _complete(b"".join(prefix), kind, fmt, truncated, etag, job)
        if not truncated:
            self.cache.put(etag, done)
        return done


def _complete(body: bytes, kind: str, fmt: str, truncated: bool, etag: str, job: Job) -> Complete:
    limit = _row_limit(kind, job.max_rows)
    return Complete(body, kind, fmt, etag, job.target.revision, limit, truncated)


def _row_limit(kind: str, max_rows: int) -> int:
    return 0 if kind == "boolean" else max_rows


async def _prefetch(chunks: AsyncIterator[bytes], limit: int | None) -> list[bytes]:
    """Collect chunks until the result ends or `limit` bytes are in hand (None: the end)."""
    prefix: list[bytes] = []
    size = 0
    while limit is None or size < limit:
        chunk = await anext(chunks, None)
        if chunk is None:
            break
        prefix.append(chunk)
        size += len(chunk)
    return prefix


def _etag(revision: str, request: QueryRequest, max_rows: int) -> str:
    """A strong validator: same revision, request, bindings and base IRI give the same bytes."""
    key = (
        revision,
        request.text,
        request.default_graphs,
        request.named_graphs,
        request.formats,
        max_rows,
        request.base_iri,
        request.project_prefixes,
    )
    # repr of str, int, list and dict is exact and stable, and cheaper than json.dumps
    text = repr((*key, request.substitutions) if request.substitutions else key)
    digest = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    return f'"{revision}-{digest}"'


def _if_none_match(header: str, etag: str) -> bool:
    """Whether If-None-Match matches (RFC 9110 13.1.2: weak comparison, `*` matches any)."""
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags

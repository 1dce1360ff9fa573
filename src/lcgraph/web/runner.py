"""Answer a SPARQL query over HTTP: guard, conditional request, cache, then the engine.

The order is chosen for cost: the SERVICE/LOAD guard and the ETag check need no engine; a
repeated query (what dashboards send) is answered from a small in-memory cache keyed by the
store revision, so a build invalidates it for free; a bounded query (one triple pattern, see
`lcgraph.querying.bounded`) runs here in the service process; only then does a worker run
the query.
Results up to `PREFETCH_BYTES` are collected before the response starts, so their headers
can say exactly whether the row limit cut them, and a query that runs into a limit before
then gets a clean error response (503); longer results stream, announcing the row limit up
front and any cut (row limit, time or memory limit) in the body, which always ends
well-formed (`lcgraph.web.streaming`). A result that cannot be closed early (JSON-LD,
RDF/XML) is held whole: the row limit bounds it.
Named queries and the server's own lookups run on the CHEAP lane of the pool, SPARQL a
client wrote on the OPEN one (`lcgraph.querying.pool`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from lcgraph.config import Settings
from lcgraph.errors import StoreError
from lcgraph.iris import Iris
from lcgraph.querying import bounded, guard, search_blocks, search_rewrite
from lcgraph.querying.inline import run_inline
from lcgraph.querying.pool import CHEAP, OPEN, Job, NotAcceptable, WorkerPool
from lcgraph.querying.terms import Wire, decode_substitutions
from lcgraph.store import GraphStore
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web import negotiation, streaming
from lcgraph.web.errors import HttpProblem
from lcgraph.web.protocol import SparqlRequest, request_iri

PREFETCH_BYTES = 1 << 20
REMOTE_REVISION_TTL_S = 1.0
CACHE_BODY_BYTES = 256 * 1024


@dataclass(frozen=True)
class Answer:
    """A complete result, as sent and as cached."""

    body: bytes
    headers: dict[str, str]


class ResultCache:
    """A small LRU of complete results; keys include the store revision."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[str, Answer] = OrderedDict()

    def get(self, key: str) -> Answer | None:
        answer = self._items.get(key)
        if answer is not None:
            self._items.move_to_end(key)
        return answer

    def put(self, key: str, answer: Answer) -> None:
        if self.entries <= 0 or len(answer.body) > CACHE_BODY_BYTES:
            return
        self._items[key] = answer
        self._items.move_to_end(key)
        while len(self._items) > self.entries:
            self._items.popitem(last=False)


class QueryRunner:
    """Runs protocol queries for the routes; one per app, built in the lifespan."""

    def __init__(self, settings: Settings, store: GraphStore, pool: WorkerPool) -> None:
        self.settings, self.store, self.pool = settings, store, pool
        self.cache = ResultCache(settings.result_cache_entries)
        self.prefixes = Iris(settings.base_iri).prefixes
        self._remote_revision: tuple[float, str | None] = (0.0, None)
        self._remote_settings = (
            "" if isinstance(store, EmbeddedStore) else settings.model_dump_json()
        )

    def _revision(self) -> str | None:
        """The live revision: one readlink locally; a remote one is asked at most once a second."""
        if isinstance(self.store, EmbeddedStore):
            return self.store.revision()
        asked, revision = self._remote_revision
        if time.monotonic() - asked > REMOTE_REVISION_TTL_S:
            revision = self.store.revision()
            self._remote_revision = (time.monotonic(), revision)
        return revision

    def live_path(self) -> tuple[str, str]:
        """(revision, folder) of the live generation, read per request (one readlink)."""
        revision = self._revision()
        if revision is None:
            raise StoreError("no graph has been built yet (run `lcgraph build`)")
        if isinstance(self.store, EmbeddedStore):
            return revision, self.store.generation_path(revision)
        return revision, self.settings.store

    async def respond(
        self,
        req: SparqlRequest,
        request: Request,
        substitutions: Wire | None = None,
        lane: str = OPEN,
    ) -> Response:
        """Answer `req`; `substitutions` (named-query parameters) bind variables as terms;
        `lane` is CHEAP for queries the service knows (named queries)."""
        revision, path = self.live_path()
        # searches first (issue 15): they become VALUES, so the guard and the engine never
        # see the search SERVICE
        text = await self._searched(req.text, revision, substitutions)
        guard.check_remote_access(text, self.settings.service_allowlist)
        formats = negotiation.ranked_formats(request.headers.get("accept"), req.format)
        if not any(formats.values()):
            raise NotAcceptable("none of the result formats fits the Accept header or format")
        base_iri = request_iri(request)
        etag = _etag(revision, req, formats, self.settings.max_rows, base_iri, substitutions)
        conditions = request.headers.get("if-none-match")
        if conditions and _if_none_match(conditions, etag):
            if request.method != "GET":  # HEAD arrives as GET (lcgraph.web.app)
                raise HttpProblem(412, f"If-None-Match matches the current result {etag}")
            return Response(status_code=304, headers={"ETag": etag, "Vary": "Accept"})
        cached = self.cache.get(etag)
        if cached is not None:
            return Response(cached.body, headers=cached.headers)
        job = Job(
            text,
            path,
            formats,
            self.settings.max_rows,
            req.default_graphs,
            req.named_graphs,
            base_iri,
            substitutions or {},
            self._remote_settings,
            self.prefixes,
        )
        answered = self._inline(job, etag, revision)
        return answered if answered is not None else await self._run(job, etag, revision, lane)

    async def _searched(self, text: str, revision: str, substitutions: Wire | None) -> str:
        """`text` with its full-text searches answered by the index of `revision`.

        In a thread: a search takes milliseconds, but the first one of a remote store's
        revision builds its index, and the event loop must not wait for that."""
        if not search_blocks.mentions_search(text):
            return text
        bindings = {v.value: t for v, t in decode_substitutions(substitutions or {}).items()}
        return await asyncio.to_thread(
            search_rewrite.rewrite_for_store,
            text,
            self.store,
            revision,
            self.settings.base_iri,
            prefixes=self.prefixes,
            bindings=bindings,
        )

    def _inline(self, job: Job, etag: str, revision: str) -> Response | None:
        """A bounded query answered in this process; None leaves `job` to a worker."""
        # an embedded store only: a remote server answers bounded queries itself
        if not isinstance(self.store, EmbeddedStore):
            return None
        if (query := bounded.read_bounded(job.query)) is None:
            return None
        done = run_inline(self.store.reader_at(revision), job, query)
        if done is None:
            return None
        head: dict[str, object] = {"kind": done.kind, "format": done.format}
        # not cached: as cheap to answer again, and random lookups would evict the results
        # that are worth keeping
        return self._complete(
            done.body, head, done.truncated, etag, revision, job.max_rows, cache=False
        )

    async def ask(self, text: str) -> bool:
        """Run an ASK on the live graph (no cache, no guard: for server-made queries only)."""
        _, path = self.live_path()
        formats = {"solutions": [], "boolean": ["json"], "graph": []}
        job = Job(text, path, formats, 0, remote_settings=self._remote_settings)
        stream = await self.pool.submit(job, CHEAP)
        try:
            await stream.head()
            body = b"".join([chunk async for chunk in stream.chunks()])
        finally:
            stream.release()
        return bool(json.loads(body)["boolean"])

    async def _run(self, job: Job, etag: str, revision: str, lane: str) -> Response:
        stream = await self.pool.submit(job, lane)
        try:
            head = await stream.head()
            chunks = stream.chunks()
            fmt = str(head["format"])
            prefix = await _prefetch(chunks, PREFETCH_BYTES if streaming.can_cut(fmt) else None)
        except BaseException:
            stream.release()
            raise
        if stream.end is None:
            headers = _headers(head, etag, revision, job.max_rows)
            return streaming.QueryStreamResponse(stream, prefix, chunks, fmt, headers)
        truncated = bool(stream.end["truncated"])
        return self._complete(b"".join(prefix), head, truncated, etag, revision, job.max_rows)

    def _complete(
        self,
        body: bytes,
        head: dict[str, object],
        truncated: bool,
        etag: str,
        revision: str,
        max_rows: int,
        cache: bool = True,
    ) -> Response:
        """A whole result: its headers say whether the row limit cut it; cached if not."""
        headers = _headers(head, etag, revision, max_rows)
        headers["X-Lcgraph-Truncated"] = "true" if truncated else "false"
        if cache and not truncated:
            self.cache.put(etag, Answer(body, headers))
        return Response(body, headers=headers)


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


def _headers(head: dict[str, object], etag: str, revision: str, max_rows: int) -> dict[str, str]:
    fmt = str(head["format"])
    headers = {
        "Content-Type": negotiation.media_type(fmt),
        "ETag": etag,
        "Vary": "Accept",
        "X-Lcgraph-Revision": revision,
    }
    if head["kind"] != "boolean" and max_rows:
        headers["X-Lcgraph-Row-Limit"] = str(max_rows)
    return headers


def _etag(
    revision: str,
    req: SparqlRequest,
    formats: dict[str, list[str]],
    max_rows: int,
    base: str,
    substitutions: Wire | None = None,
) -> str:
    """A strong validator: same revision, request, bindings and base IRI give the same bytes."""
    key = (revision, req.text, req.default_graphs, req.named_graphs, formats, max_rows, base)
    # repr of str, int, list and dict is exact and stable, and cheaper than json.dumps
    text = repr((*key, substitutions) if substitutions else key)
    digest = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    return f'"{revision}-{digest}"'


def _if_none_match(header: str, etag: str) -> bool:
    """Whether If-None-Match matches (RFC 9110 13.1.2: weak comparison, `*` matches any)."""
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags

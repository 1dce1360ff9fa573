"""The query service answered directly, no HTTP (issue 14): what every asker gets from it.

A real embedded store with a few hundred rows, and the real worker pool (one worker,
started only when a query needs it), in one event loop per test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from pyoxigraph import BlankNode, DefaultGraph

from lcgraph.config import Settings
from lcgraph.errors import QueryForbidden, QueryTimeout
from lcgraph.querying.answers import Complete, NotModified, QueryRequest
from lcgraph.querying.service import QueryService
from lcgraph.store.embedded import EmbeddedStore

EX = "http://example.org/service/"
ROWS = 300
SELECT_JSON = {"solutions": ["json"], "boolean": ["json"], "graph": ["ntriples"]}
LOOKUP = f"SELECT ?v WHERE {{ <{EX}item/7> <{EX}value> ?v }}"  # bounded: in this process
JOIN = f"SELECT ?s ?v WHERE {{ ?s <{EX}value> ?v FILTER(BOUND(?v)) }}"  # not bounded: a worker
RUNAWAY = (
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } "
    "ORDER BY DESC(?c) ?f ?i ?l ?o"
)
T = TypeVar("T")


def _data(extra: int = 0) -> bytes:
    rows = [f'<{EX}item/{i}> <{EX}value> "{i}" <{EX}graph> .' for i in range(ROWS + extra)]
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    with store.stage() as staging:
        staging.load(_data())
    return store


def _run(store: EmbeddedStore, use: Callable[[QueryService], Awaitable[T]], **options) -> T:
    settings = Settings(
        store=store.location,
        query_workers=1,
        query_reserved_workers=0,
        query_worker_memory_mb=0,
        max_rows=100,
        **{"query_timeout_s": 10.0, **options},
    )

    async def main() -> T:
        service = QueryService.for_settings(settings, store)
        try:
            return await use(service)
        finally:
            service.pool.close()

    return asyncio.run(main())


def test_a_repeated_query_is_answered_from_the_cache_with_the_same_etag(store) -> None:
    request = QueryRequest(JOIN, SELECT_JSON, max_rows=0)  # a cut result is not cached

    async def twice(service: QueryService) -> tuple[object, object]:
        return await service.answer(request), await service.answer(request)

    first, second = _run(store, twice)
    assert isinstance(first, Complete) and second is first  # the cached answer itself
    assert first.etag.startswith(f'"{first.revision}-')


def test_a_matching_validator_is_not_modified(store) -> None:
    async def conditional(service: QueryService) -> tuple[Complete, object]:
        first = await service.answer(QueryRequest(LOOKUP, SELECT_JSON))
        assert isinstance(first, Complete)
        again = QueryRequest(LOOKUP, SELECT_JSON, if_none_match=f'W/{first.etag}, "other"')
        return first, await service.answer(again)

    first, second = _run(store, conditional)
    assert second == NotModified(first.etag)


def test_a_new_revision_gives_a_new_etag_and_a_fresh_answer(store) -> None:
    async def across_a_build(service: QueryService) -> tuple[Complete, Complete]:
        before = await service.answer(QueryRequest(JOIN, SELECT_JSON, max_rows=0))
        with store.stage() as staging:
            staging.load(_data(extra=1))
        after = await service.answer(QueryRequest(JOIN, SELECT_JSON, max_rows=0))
        assert isinstance(before, Complete) and isinstance(after, Complete)
        return before, after

    before, after = _run(store, across_a_build)
    assert before.revision != after.revision and before.etag != after.etag
    assert after.body.count(b'"s":') == before.body.count(b'"s":') + 1


def test_the_guard_refuses_a_service_call_before_any_worker_starts(store) -> None:
    query = "SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }"

    async def refused(service: QueryService) -> bool:
        with pytest.raises(QueryForbidden):
            await service.answer(QueryRequest(query, SELECT_JSON))
        return service.pool.started

    assert _run(store, refused) is False


@pytest.mark.parametrize("query", [LOOKUP.replace("item/7", "item/1"), JOIN])
def test_the_row_cap_cuts_and_says_so(store, query: str) -> None:
    unbounded = query.replace("<http://example.org/service/item/1>", "?s")

    async def capped(service: QueryService) -> Complete:
        answer = await service.answer(QueryRequest(unbounded, SELECT_JSON, max_rows=5))
        assert isinstance(answer, Complete)
        return answer

    answer = _run(store, capped)
    assert answer.truncated and answer.row_limit == 5
    assert answer.body.count(b'"v":') == 5


def test_the_time_limit_stops_a_runaway(store) -> None:
    async def runaway(service: QueryService) -> None:
        await service.answer(QueryRequest(RUNAWAY, SELECT_JSON))

    with pytest.raises(QueryTimeout, match=r"time limit of 0\.5 s"):
        _run(store, runaway, query_timeout_s=0.5)


def test_a_bounded_query_runs_in_process_and_a_join_in_a_worker(store) -> None:
    async def both(service: QueryService) -> tuple[bool, bool]:
        await service.answer(QueryRequest(LOOKUP, SELECT_JSON))
        in_process = not service.pool.started
        await service.answer(QueryRequest(JOIN, SELECT_JSON))
        return in_process, service.pool.started

    assert _run(store, both) == (True, True)


# --- the target and the remote reader ------------------------------------------------------


def test_a_job_crosses_the_process_boundary_as_itself(store) -> None:
    """One typed form on both sides: the worker unpickles the Job the service wrote, and
    its target opens a reader there (without the store object, which stays behind)."""
    from lcgraph.querying import frames
    from lcgraph.querying.job import Job, decode

    job = Job(LOOKUP, store.target(), SELECT_JSON, 10, base_iri="http://localhost/sparql")
    header, payload = job.encode()[: frames.HEADER_SIZE], job.encode()[frames.HEADER_SIZE :]
    assert frames.decode_header(header)[0] == frames.JOB
    again = decode(payload)
    assert again == job and again.target.store is None
    assert len(list(again.target.open().quads_for_pattern(None, None, None))) == ROWS


@pytest.mark.parametrize(
    "options",
    [
        {"default_graph": [DefaultGraph()]},
        {"named_graphs": [BlankNode()]},
    ],
)
def test_the_remote_reader_refuses_what_it_cannot_send(options: dict[str, object]) -> None:
    """Honoured or refused, never dropped: no request is sent for these (no server here)."""
    from lcgraph.errors import QueryError
    from lcgraph.store.remote import RemoteStore

    url = "http://127.0.0.1:9/nowhere"
    reader = RemoteStore(url, Settings(store=url)).reader()
    with pytest.raises(QueryError, match="by IRI only"):
        reader.query("SELECT * WHERE { ?s ?p ?o }", **options)  # type: ignore[arg-type]


def test_a_base_is_sent_to_a_server_only_for_relative_iris() -> None:
    from lcgraph.store.sparql_text import with_base

    assert with_base("SELECT * { ?s ?p <x> }", "http://h/sparql").startswith("BASE <http://h/")
    assert with_base("SELECT * { ?s ?p <http://x/> }", "http://h/sparql").startswith("SELECT")


def test_a_class_check_is_a_lookup_in_process_remembered_per_revision(store) -> None:
    from pyoxigraph import NamedNode

    with store.stage(from_live=True) as staging:
        staging.update(f"INSERT DATA {{ GRAPH <{EX}graph> {{ <{EX}item/1> a <{EX}Thing> }} }}")

    async def checks(service: QueryService) -> tuple[bool, bool, int, bool]:
        item = NamedNode(f"{EX}item/1")
        typed = await service.is_instance(item, f"{EX}Thing")
        other = await service.is_instance(NamedNode(f"{EX}item/2"), f"{EX}Thing")
        return typed, other, len(service._instances), service.pool.started

    assert _run(store, checks) == (True, False, 2, False)

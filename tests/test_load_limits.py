"""The service under load (issue 14): no cut-off responses, a lane for cheap work that heavy
queries cannot fill, malformed queries answered without a worker, a memory limit per worker.

Every test runs the real service (uvicorn in a thread, real query workers) on a synthetic
store large enough that a cross join streams for longer than the time limit.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import EX, build_store, serve_app

from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore

ITEMS = 3000
CROSS = f"SELECT ?a ?x ?b ?y WHERE {{ ?a <{EX}value> ?x . ?b <{EX}value> ?y }}"
CROSS_GRAPH = f"CONSTRUCT {{ ?a <{EX}pair> ?y }} WHERE {{ ?a <{EX}value> ?x . ?b <{EX}value> ?y }}"
HEAVY_COUNT = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}value> ?x . ?b <{EX}value> ?y . ?c <{EX}value> ?z }}"
)
SORTED = f"{CROSS} ORDER BY ?y ?x"  # materialized before the first row: memory grows
JOIN = f"SELECT ?v WHERE {{ <{EX}item/7> <{EX}value> ?v FILTER(BOUND(?v)) }}"  # a worker
LOOKUP = f"SELECT ?v WHERE {{ <{EX}item/7> <{EX}value> ?v }}"  # bounded: in the service
NAMED = (
    "#+ title: {nl: Waarde, en: Value}\n#+ description: {nl: Een waarde., en: A value.}\n"
    f"#+ tags: [test]\n{JOIN}\n"
)
NAMED_CROSS = NAMED.replace(JOIN, CROSS)
ACCEPT = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml",
}


class Records(logging.Handler):
    """Every record of the loggers a traceback would go to (uvicorn's do not propagate)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[str]:
        return [
            r.getMessage()
            for r in self.records
            if r.exc_info or "Exception in ASGI" in r.getMessage()
        ]


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    loggers = [logging.getLogger(n) for n in ("uvicorn.error", "lcgraph", "")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    rows = [f'<{EX}item/{i}> <{EX}value> "{i}" <{EX}graph/items> .' for i in range(ITEMS)]
    return build_store(tmp_path_factory.mktemp("load") / "store", "\n".join(rows).encode())


def settings_for(store: EmbeddedStore, folder: Path, **changes: object) -> Settings:
    queries = folder / "queries"
    queries.mkdir(exist_ok=True)
    (queries / "value.rq").write_text(NAMED, encoding="utf-8")
    (queries / "cross.rq").write_text(NAMED_CROSS, encoding="utf-8")
    base = {
        "store": store.location,
        "query_timeout_s": 1.5,
        "query_workers": 2,
        "max_rows": 0,
        "query_worker_memory_mb": 0,
        "queries": queries,
    }
    return Settings(**{**base, **changes})


@pytest.fixture(scope="module")
def limited(big_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """No row limit, 1.5 s time limit: a cross join streams megabytes, then is cut."""
    from lcgraph.web.app import create_app

    settings = settings_for(big_store, tmp_path_factory.mktemp("limited"))
    with serve_app(create_app(settings)) as url:
        yield url


def _get(url: str, query: str, accept: str) -> httpx.Response:
    return httpx.get(
        f"{url}/sparql", params={"query": query}, headers={"Accept": accept}, timeout=30
    )


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_a_result_cut_by_the_time_limit_while_streaming_ends_well_formed(
    limited: str, records: Records, fmt: str
) -> None:
    response = _get(limited, CROSS, ACCEPT[fmt])  # httpx raises on an aborted transfer
    assert response.status_code == 200
    body = response.text
    assert len(body) > 1 << 20, "the cut came before streaming began"
    if fmt == "json":
        note = json.loads(body)["lcgraph"]
        assert note["truncated"] is True and note["reason"] == "QueryTimeout"
        assert "time limit of 1.5 s" in note["message"]
    elif fmt == "xml":
        root = ET.fromstring(body)
        assert root.find("{http://www.w3.org/2005/sparql-results#}results") is not None
        assert "lcgraph: truncated: query stopped after the time limit" in body[-300:]
    else:
        lines = body.splitlines()
        assert lines[-1].startswith("# lcgraph: truncated: query stopped after the time limit")
        rows = list(
            csv.reader(io.StringIO("\n".join(lines[:-1])), delimiter="," if fmt == "csv" else "\t")
        )
        assert {len(r) for r in rows} == {4}, "a row was cut in the middle"
    assert records.tracebacks() == []
    assert any("cut after streaming began" in r.getMessage() for r in records.records)


@pytest.mark.parametrize("accept", ["application/n-triples", "text/turtle"])
def test_a_graph_cut_by_the_time_limit_parses_up_to_the_cut(
    limited: str, records: Records, accept: str
) -> None:
    from pyoxigraph import RdfFormat, parse

    response = _get(limited, CROSS_GRAPH, accept)
    assert response.status_code == 200
    fmt = RdfFormat.N_TRIPLES if "n-triples" in accept else RdfFormat.TURTLE
    triples = list(parse(response.content, fmt))
    assert len(triples) > 1000
    assert "# lcgraph: truncated: query stopped after the time limit" in response.text[-200:]
    assert records.tracebacks() == []


def test_a_named_query_cut_while_streaming_ends_well_formed(limited: str, records: Records) -> None:
    response = httpx.get(f"{limited}/api/queries/cross.csv", timeout=30)
    assert response.status_code == 200
    assert response.text.splitlines()[-1].startswith("# lcgraph: truncated:")
    assert records.tracebacks() == []


def test_a_query_stopped_before_its_first_row_gets_a_clean_503(
    limited: str, records: Records
) -> None:
    for accept in (ACCEPT["json"], ACCEPT["csv"]):
        response = _get(limited, HEAVY_COUNT, accept)
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/")
        assert response.json()["type"] == "QueryTimeout"
        assert response.headers["retry-after"]
    assert records.tracebacks() == []


def test_a_malformed_query_is_refused_with_its_position_before_admission(limited: str) -> None:
    response = _get(limited, "SELECT ?s WHERE { ?s ?p }", ACCEPT["json"])
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "QuerySyntaxError"


def test_with_every_open_worker_held_cheap_work_still_gets_answers(
    big_store: EmbeddedStore, tmp_path: Path
) -> None:
    """Two workers, one reserved: heavy /sparql queries fill the other and queue behind it;
    a malformed query (the syntax checker), a named query (the reserved worker), a bounded
    lookup (the service itself) are answered at once all the same."""
    from lcgraph.web.app import create_app

    settings = settings_for(big_store, tmp_path, query_timeout_s=4, query_reserved_workers=1)
    with serve_app(create_app(settings)) as url:
        heavy = [
            threading.Thread(target=_get, args=(url, HEAVY_COUNT, ACCEPT["json"])) for _ in range(3)
        ]
        for thread in heavy:
            thread.start()
        time.sleep(0.5)
        started = time.monotonic()
        malformed = _get(url, "SELECT * WHERE { ?s ?p ?o", ACCEPT["json"])
        named = httpx.get(f"{url}/api/queries/value.json", timeout=10)
        lookup = _get(url, LOOKUP, ACCEPT["json"])
        took = time.monotonic() - started
        status = httpx.get(f"{url}/health", timeout=10)
        for thread in heavy:
            thread.join(30)
    assert malformed.status_code == 400 and malformed.json()["type"] == "QuerySyntaxError"
    assert named.status_code == 200
    assert named.json()["results"]["bindings"] == [{"v": {"type": "literal", "value": "7"}}]
    assert lookup.status_code == 200
    assert took < 2, "cheap work waited behind the heavy queries"
    assert status.status_code == 200


def test_a_query_over_the_memory_limit_is_stopped_and_its_worker_replaced(
    big_store: EmbeddedStore, tmp_path: Path
) -> None:
    from lcgraph.web.app import create_app

    settings = settings_for(
        big_store, tmp_path, query_timeout_s=20, query_worker_memory_mb=400, query_workers=1
    )
    with serve_app(create_app(settings)) as url:
        started = time.monotonic()
        response = _get(url, SORTED, ACCEPT["json"])
        took = time.monotonic() - started
        after = _get(url, JOIN, ACCEPT["json"])
    assert response.status_code == 503
    problem = response.json()
    assert problem["type"] == "MemoryLimitReached"
    assert "memory limit of 400 MB" in problem["error"]
    assert took < 15, "stopped by the time limit, not the memory limit"
    assert after.status_code == 200


def test_a_query_the_syntax_check_cannot_finish_does_not_stall_the_service(
    big_store: EmbeddedStore, tmp_path: Path
) -> None:
    """pyoxigraph evaluates part of a query even on an empty store (ORDER BY over nested
    `{} UNION {}` groups: 4^13 rows); the check runs in its own process, is stopped at its
    limit, and the query goes on to the workers' limits, while the HTTP process answers."""
    from lcgraph.web.app import create_app

    bomb = "SELECT * WHERE { " + " ".join(["{ {} UNION {} UNION {} UNION {} }"] * 13)
    bomb += " } ORDER BY ?x"
    settings = settings_for(
        big_store, tmp_path, query_timeout_s=3, query_reserved_workers=1, query_worker_memory_mb=300
    )
    outcome: dict[str, httpx.Response] = {}
    with serve_app(create_app(settings)) as url:
        heavy = threading.Thread(target=_get, args=(url, HEAVY_COUNT, ACCEPT["json"]))
        heavy.start()
        time.sleep(0.3)  # the open worker is taken: the bomb goes to the syntax check
        bombing = threading.Thread(
            target=lambda: outcome.update(bomb=_get(url, bomb, ACCEPT["json"]))
        )
        bombing.start()
        time.sleep(0.2)
        started = time.monotonic()
        lookup = _get(url, LOOKUP, ACCEPT["json"])
        named = httpx.get(f"{url}/api/queries/value.json", timeout=10)
        took = time.monotonic() - started
        bombing.join(30)
        heavy.join(30)
    assert lookup.status_code == 200 and named.status_code == 200
    assert took < 1.5, "the service stalled while the check ran"
    assert outcome["bomb"].status_code == 503
    assert outcome["bomb"].json()["type"] in ("QueryTimeout", "MemoryLimitReached")

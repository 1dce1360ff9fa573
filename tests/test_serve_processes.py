"""`lcgraph serve` with several HTTP processes: every process answers, /metrics counts all
of them, and a stop leaves no process behind (issue 3)."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from remote_servers import stop, wait_for
from support import EX, free_port

from lcgraph.web.metrics import Metrics

QUERY = f"SELECT ?v WHERE {{ <{EX}item/7> <{EX}value> ?v }}"


def test_metrics_of_several_processes_add_up(tmp_path: Path) -> None:
    mine, other = Metrics(tmp_path), Metrics()
    for seconds in (0.001, 0.02, 3.0):
        mine.record("GET", "/sparql", 200, seconds)
    other.record("GET", "/sparql", 200, 0.02)
    other.record("GET", "/sparql", 503, 0.001)
    (tmp_path / "1.json").write_text(json.dumps(other.snapshot(timeouts=2)))
    text = mine.render(timeouts=1)
    assert 'lcgraph_requests_total{method="GET",route="/sparql",status="200"} 4' in text
    assert 'lcgraph_requests_total{method="GET",route="/sparql",status="503"} 1' in text
    assert 'lcgraph_request_duration_seconds_bucket{route="/sparql",le="0.005"} 2' in text
    assert 'lcgraph_request_duration_seconds_bucket{route="/sparql",le="0.025"} 4' in text
    assert 'lcgraph_request_duration_seconds_bucket{route="/sparql",le="+Inf"} 5' in text
    assert "lcgraph_query_timeouts_total 3" in text
    assert 'lcgraph_rejections_total{reason="unavailable"} 1' in text


@contextmanager
def two_processes(
    store_location: str, queries: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`lcgraph serve` with 2 HTTP processes (1 query worker each), in its own process group."""
    port = free_port()
    env = {
        **os.environ,
        "LCGRAPH_HTTP_WORKERS": "2",
        "LCGRAPH_QUERY_WORKERS": "1",
        "LCGRAPH_QUERIES": str(queries),
    }
    command = [sys.executable, "-m", "lcgraph", "serve", "--store", store_location]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/health", process)
        yield url, process
    finally:
        stop(process)
        process.stderr.close()  # type: ignore[union-attr]
    assert process.returncode is not None
    deadline = time.monotonic() + 10
    with pytest.raises(ProcessLookupError):  # HTTP processes and query workers are all gone
        while time.monotonic() < deadline:
            os.killpg(process.pid, 0)
            time.sleep(0.2)


def test_serve_with_two_http_processes(protocol_store, tmp_path: Path) -> None:
    with two_processes(protocol_store.location, tmp_path) as (url, _):
        pids = set()
        with httpx.Client(base_url=url, timeout=10) as client:
            for _ in range(40):  # new connections, so both processes get some
                response = httpx.get(f"{url}/sparql", params={"query": QUERY}, timeout=10)
                assert response.status_code == 200
            for _ in range(20):
                pids.add(client.get("/health", headers={"Connection": "close"}).json()["process"])
            time.sleep(1.5)  # each process publishes its counts once a second
            text = client.get("/metrics").text
    assert len(pids) == 2
    line = 'lcgraph_requests_total{method="GET",route="/sparql",status="200"} 40'
    assert line in text


def test_connections_spread_over_the_processes(protocol_store, tmp_path: Path) -> None:
    """24 keep-alive clients land on both processes (each its own listener, so no process
    takes every pending connection as the first to wake did with one shared listener), and
    each connection stays with its process. The kernel picks by a hash of the addresses:
    all 24 on one process has odds of 2 in 2**24."""
    with two_processes(protocol_store.location, tmp_path) as (url, _):
        clients = [httpx.Client(base_url=url, timeout=10) for _ in range(24)]
        try:
            first = [c.get("/health").json()["process"] for c in clients]
            again = [c.get("/health").json()["process"] for c in clients]
        finally:
            for client in clients:
                client.close()
    assert len(Counter(first)) == 2
    assert again == first  # each connection stays with its process


def test_nagle_is_off_on_every_process(protocol_store, tmp_path: Path) -> None:
    """uvicorn writes an answer's head and body apart; with Nagle's algorithm on, the body
    waits for the client's delayed ACK of the head: a flat ~40 ms per request on a keep-alive
    connection (uvicorn issue #3149, where its several workers leave TCP_NODELAY off)."""
    with two_processes(protocol_store.location, tmp_path) as (url, _):
        clients = [httpx.Client(base_url=url, timeout=10) for _ in range(8)]
        try:
            latencies: dict[int, list[float]] = {}
            for client in clients:
                pid = client.get("/health").json()["process"]
                for _ in range(15):
                    start = time.perf_counter()
                    assert client.get("/sparql", params={"query": QUERY}).status_code == 200
                    latencies.setdefault(pid, []).append(time.perf_counter() - start)
        finally:
            for client in clients:
                client.close()
    assert len(latencies) == 2
    for pid, seconds in latencies.items():
        assert statistics.median(seconds) < 0.02, (pid, sorted(seconds))


def test_a_stop_is_clean(protocol_store, tmp_path: Path) -> None:
    """SIGTERM: the parent stops its processes through uvicorn's graceful shutdown and exits 0
    (`two_processes` checks that no process is left)."""
    with two_processes(protocol_store.location, tmp_path) as (url, process):
        assert httpx.get(f"{url}/health", timeout=10).status_code == 200
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=40)
        assert process.returncode == 0, process.stderr.read().decode()  # type: ignore[union-attr]


def test_an_http_process_that_dies_is_replaced(protocol_store, tmp_path: Path) -> None:
    with two_processes(protocol_store.location, tmp_path) as (url, _):
        with httpx.Client(base_url=url, timeout=10) as client:
            killed = client.get("/health", headers={"Connection": "close"}).json()["process"]
        os.kill(killed, signal.SIGKILL)
        pids: set[int] = set()
        deadline = time.monotonic() + 30
        while len(pids) < 2 and time.monotonic() < deadline:
            for _ in range(2):  # two new connections in a row: one for each process
                pids.add(httpx.get(f"{url}/health", timeout=30).json()["process"])
            response = httpx.get(f"{url}/sparql", params={"query": QUERY}, timeout=30)
            assert response.status_code == 200  # no request is lost meanwhile
    assert len(pids) == 2 and killed not in pids


def test_a_busy_port_is_one_line_and_a_failed_start(protocol_store, tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "lcgraph", "serve", "--store", protocol_store.location]
    with socket.create_server(("127.0.0.1", port)):
        done = subprocess.run(
            [*command, "--port", str(port)],
            env={**os.environ, "LCGRAPH_HTTP_WORKERS": "2", "LCGRAPH_QUERIES": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 3  # uvicorn's STARTUP_FAILURE
    assert "Address already in use" in done.stderr
    assert "Traceback" not in done.stderr

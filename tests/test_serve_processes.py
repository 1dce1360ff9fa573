"""`lcgraph serve` with several HTTP processes: every process answers, /metrics counts all
of them, and a stop leaves no process behind (issue 3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import EX, free_port
from remote_servers import stop, wait_for

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


def test_serve_with_two_http_processes(protocol_store, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "LCGRAPH_HTTP_WORKERS": "2",
        "LCGRAPH_QUERY_WORKERS": "1",
        "LCGRAPH_QUERIES": str(tmp_path),
    }
    command = [sys.executable, "-m", "lcgraph", "serve", "--store", protocol_store.location]
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
        pids = set()
        with httpx.Client(base_url=url, timeout=10) as client:
            for _ in range(40):  # new connections, so both processes get some
                response = httpx.get(f"{url}/sparql", params={"query": QUERY}, timeout=10)
                assert response.status_code == 200
            for _ in range(20):
                pids.add(client.get("/health", headers={"Connection": "close"}).json()["process"])
            time.sleep(1.5)  # each process publishes its counts once a second
            text = client.get("/metrics").text
    finally:
        stop(process)
    assert len(pids) == 2
    line = 'lcgraph_requests_total{method="GET",route="/sparql",status="200"} 40'
    assert line in text
    assert process.returncode is not None
    deadline = time.monotonic() + 10
    with pytest.raises(ProcessLookupError):  # HTTP processes and query workers are all gone
        while time.monotonic() < deadline:
            os.killpg(process.pid, 0)
            time.sleep(0.2)

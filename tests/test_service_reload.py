"""A build while the service runs: the new graph is served, no request fails (issue 3)."""

from __future__ import annotations

import threading
import time

import httpx
from support import EX, build_store

from lcgraph.config import Settings

COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?i <{EX}value> ?v }}"


def _rows(n: int) -> bytes:
    return "".join(
        f'<{EX}item/{i}> <{EX}value> "{i}" <{EX}graph/items> .\n' for i in range(n)
    ).encode()


def test_new_generation_is_served_without_failed_requests(server_for, tmp_path) -> None:
    store = build_store(tmp_path / "store", _rows(10))
    settings = Settings(store=store.location, query_workers=2, queries=tmp_path)
    failures: list[str] = []
    counts: list[int] = []
    stop = threading.Event()

    def hammer(url: str) -> None:
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                response = client.get(f"{url}/sparql", params={"query": COUNT})
                if response.status_code != 200:
                    failures.append(response.text)
                else:
                    counts.append(int(response.json()["results"]["bindings"][0]["n"]["value"]))

    with server_for(settings) as url:
        threads = [threading.Thread(target=hammer, args=(url,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        for size in (20, 30, 40):
            with store.stage() as staging:
                staging.load(_rows(size))
            time.sleep(0.4)
        stop.set()
        for thread in threads:
            thread.join(10)
        final = httpx.get(f"{url}/sparql", params={"query": COUNT}).json()
    assert failures == []
    assert counts[0] == 10
    assert set(counts) <= {10, 20, 30, 40}
    assert final["results"]["bindings"][0]["n"]["value"] == "40"

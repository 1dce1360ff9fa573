"""What several test modules share (pytest's fixtures are in conftest.py, which no test imports).

`serve_app(app)` runs any app in uvicorn in a thread on a free port (as httpx's own test
suite does) and yields its base URL; `build_store` makes a tiny store with the real store;
`protocol_nquads` is the W3C protocol test data as N-Quads.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.server import UVICORN_OPTIONS

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = ROOT / "standards"  # the published standards, copied into the project unchanged
W3C_PROTOCOL = STANDARDS / "w3c-sparql11" / "protocol"
KASEI = "http://kasei.us/2009/09/sparql/data/"
EX = "http://example.org/lcgraph-test/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve_app(app: FastAPI) -> Iterator[str]:
    """Run `app` (lifespan included) in uvicorn in a thread, as `lcgraph serve` runs it in
    one process; yield its base URL."""
    port = free_port()
    options = {"log_level": "warning", "lifespan": "on", **UVICORN_OPTIONS}
    config = uvicorn.Config(app, host="127.0.0.1", port=port, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def protocol_nquads(extra_rows: int = 50) -> bytes:
    """The W3C protocol data files, each as the named graph `…/dataN.rdf`, plus numbered rows."""
    lines = []
    for path in sorted(W3C_PROTOCOL.glob("data*.nt")):
        graph = f"<{KASEI}{path.stem}.rdf>"
        for line in path.read_text().splitlines():
            if line.strip():
                lines.append(line.rstrip().removesuffix(".").rstrip() + f" {graph} .")
    for i in range(extra_rows):
        lines.append(f'<{EX}item/{i}> <{EX}value> "{i}" <{EX}graph/items> .')
    return ("\n".join(lines) + "\n").encode()


def build_store(root: Path, data: bytes) -> EmbeddedStore:
    store = EmbeddedStore(root)
    with store.stage() as staging:
        staging.load(data)
    return store

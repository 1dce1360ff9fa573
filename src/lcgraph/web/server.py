"""`lcgraph serve`: run the service in uvicorn, tuned for many small answers.

- TCP_NODELAY on every connection: uvicorn with several worker processes leaves it off,
  which showed as a flat ~44 ms p50 (Nagle + delayed ACK; uvicorn issue #3149).
- Each answer's head is sent with its body, one packet instead of two (`OneSend`).
- Several HTTP processes (`http_workers`, by default one per core: one Python process
  answers ~8,000 point lookups/s), handed their connections in turn by the parent
  (`lcgraph.web.handoff`). They build the app from an import string, so the settings
  travel to them as JSON in an environment variable, with the folder where they share
  their metrics.
- The access log is off: formatting and writing one line per request cost ~9% of a cached
  answer (benchmarks/serve.py); /metrics counts requests by route and status instead.
"""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import tempfile
from contextlib import suppress
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _BaseProtocol

from lcgraph.config import Settings
from lcgraph.web.app import create_app
from lcgraph.web.handoff import serve_handed

SETTINGS_ENV = "_LCGRAPH_SERVE_SETTINGS"
METRICS_ENV = "_LCGRAPH_METRICS_DIR"


class NoDelayHttpProtocol(_BaseProtocol):
    """uvicorn's HTTP protocol, with Nagle's algorithm off on the accepted socket and each
    response's head sent together with its body (`OneSend`)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        # one per connection: its answers are written one after the other, pipelined or not
        self.one_send = OneSend(transport)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self.cycle is not None:
            self.cycle.transport = self.one_send  # type: ignore[assignment]

    def on_response_complete(self) -> None:
        self.one_send.flush()  # a HEAD answer has no body to carry its head
        super().on_response_complete()


class OneSend:
    """The transport as a response cycle sees it: the head waits for the first body write.

    uvicorn writes a response's head and body separately; with Nagle off each write is a
    packet, and the client wakes for each (one send instead of two: ~9% more point lookups/s,
    benchmarks/serve.py). A `100 Continue` goes out at once, as the client waits for it.
    """

    __slots__ = ("head", "transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport, self.head = transport, b""

    def write(self, data: bytes) -> None:
        if not self.head and data.startswith(b"HTTP/1.1 ") and data[9:10] != b"1":
            self.head = data
            return
        if self.head:
            data, self.head = self.head + data, b""
        self.transport.write(data)

    def flush(self) -> None:
        if self.head:
            self.write(b"")

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()


def app_from_environment() -> FastAPI:
    """The app for a uvicorn worker process: settings and metrics folder from the environment."""
    settings = Settings.model_validate_json(os.environ[SETTINGS_ENV])
    return _frozen(create_app(settings, os.environ[METRICS_ENV]))


def _frozen(app: FastAPI) -> FastAPI:
    """`app`, with all objects made so far moved out of the garbage collector's sight.

    Modules, the app, its models and templates live as long as the process; frozen, they are
    not re-scanned by every full collection (~5% of a point lookup, benchmarks/serve.py).
    """
    gc.collect()
    gc.freeze()
    return app


def http_processes(settings: Settings) -> int:
    """`settings.http_workers`, where 0 means one per CPU core."""
    return settings.http_workers or os.cpu_count() or 1


# How uvicorn runs the service, here and in the tests' live servers
UVICORN_OPTIONS: dict[str, Any] = {
    "http": NoDelayHttpProtocol,
    "proxy_headers": False,
    "access_log": False,
    "server_header": False,  # no banner; one header less to write per answer
}


def serve(settings: Settings) -> None:
    """Serve until interrupted, on settings.host:settings.port."""
    options = {"host": settings.host, "port": settings.port, "log_level": "info", **UVICORN_OPTIONS}
    processes = http_processes(settings)
    if processes == 1:
        uvicorn.run(_frozen(create_app(settings)), **options)
        return
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    with tempfile.TemporaryDirectory(prefix="lcgraph-metrics-") as metrics_dir:
        os.environ[METRICS_ENV] = metrics_dir
        config = uvicorn.Config("lcgraph.web.server:app_from_environment", factory=True, **options)
        serve_handed(config, processes)

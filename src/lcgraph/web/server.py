"""`lcgraph serve`: run the service in uvicorn, tuned for many small answers.

- Several HTTP processes (`http_workers`, by default one per core: one Python process
  answers ~8,000 point lookups/s), each on its own listener (`lcgraph.web.transport`, which
  also keeps TCP_NODELAY on). They build the app from an import string, so the settings
  travel to them as JSON in an environment variable, with the folder where they share
  their metrics.
- The access log is off: formatting and writing one line per request cost ~9% of a cached
  answer (benchmarks/serve.py); /metrics counts requests by route and status instead.
"""

from __future__ import annotations

import gc
import os
import tempfile
from typing import Any

import uvicorn
from fastapi import FastAPI

from lcgraph.config import Settings
from lcgraph.web.app import create_app
from lcgraph.web.transport import serve_processes

SETTINGS_ENV = "_LCGRAPH_SERVE_SETTINGS"
METRICS_ENV = "_LCGRAPH_METRICS_DIR"


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
    """`settings.service.http_workers`, where 0 means one per CPU core."""
    return settings.service.http_workers or os.cpu_count() or 1


# How uvicorn runs the service, here and in the tests' live servers
UVICORN_OPTIONS: dict[str, Any] = {
    "proxy_headers": False,
    "access_log": False,
    "server_header": False,  # no banner; one header less to write per answer
}


def serve(settings: Settings) -> None:
    """Serve until interrupted, on settings.service.host:settings.service.port."""
    options = {
        "host": settings.service.host,
        "port": settings.service.port,
        "log_level": "info",
        **UVICORN_OPTIONS,
    }
    processes = http_processes(settings)
    if processes == 1:
        uvicorn.run(_frozen(create_app(settings)), **options)
        return
    os.environ[SETTINGS_ENV] = settings.to_json()  # secrets included
    with tempfile.TemporaryDirectory(prefix="lcgraph-metrics-") as metrics_dir:
        os.environ[METRICS_ENV] = metrics_dir
        serve_processes("lcgraph.web.server:app_from_environment", options, processes)

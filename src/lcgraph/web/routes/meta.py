"""/health and /metrics: is the service able to answer, and how has it been doing."""

from __future__ import annotations

import os

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from lcgraph.web.deps import MetricsDep, RunnerDep

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=None)
async def health(runner: RunnerDep) -> JSONResponse:
    """200 with the live revision when a graph is served; the error shape (503) when not."""
    revision, _ = runner.live_path()
    pool = runner.pool
    return JSONResponse(
        {
            "ok": True,
            "revision": revision,
            "process": os.getpid(),  # which HTTP process answered, when there are several
            "query_workers": pool.size,
            "queries_admitted": pool.admitted,
            "query_timeouts": pool.timeouts,
        }
    )


@router.get("/metrics", response_model=None)
async def metrics(metrics: MetricsDep, runner: RunnerDep) -> PlainTextResponse:
    """Prometheus text exposition format 0.0.4."""
    return PlainTextResponse(
        metrics.render(runner.pool.timeouts), media_type="text/plain; version=0.0.4; charset=utf-8"
    )

"""/health and /metrics: is the service able to answer, and how has it been doing; /api/docs:
the OpenAPI documentation, in Swagger UI served from this service's own static files."""

from __future__ import annotations

import os

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from lcgraph.web.deps import MetricsDep, ServiceDep

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=None)
async def health(service: ServiceDep) -> JSONResponse:
    """200 with the live revision when a graph is served; the error shape (503) when not."""
    revision = service.revision()
    pool = service.pool
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
async def metrics(metrics: MetricsDep, service: ServiceDep) -> PlainTextResponse:
    """Prometheus text exposition format 0.0.4."""
    return PlainTextResponse(
        metrics.render(service.pool.timeouts), media_type="text/plain; version=0.0.4; charset=utf-8"
    )


@router.get("/api/docs", include_in_schema=False)
async def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over /api/openapi.json. Its files come from npm (swagger-ui-dist, copied to
    static/vendor/ by scripts/install-web-assets.sh), not a CDN, so the page works offline;
    no validator badge, which would send the document to validator.swagger.io."""

    def asset(name: str) -> str:
        return request.url_for("static", path=f"vendor/swagger-ui/{name}").path

    return get_swagger_ui_html(
        openapi_url=request.scope.get("root_path", "") + request.app.openapi_url,
        title=f"{request.app.title}: API",
        swagger_js_url=asset("swagger-ui-bundle.js"),
        swagger_css_url=asset("swagger-ui.css"),
        swagger_favicon_url=asset("favicon-32x32.png"),
        swagger_ui_parameters={"validatorUrl": None},
    )

"""/dashboard: the cross-sector analysis (issue 6) drawn in the browser from named queries.

The page itself holds no numbers: it names the named query of each panel (below) and
static/dashboard.js fetches them from this service's own /api/queries as SPARQL JSON and
draws them with ECharts (vendored from npm by scripts/install-web-assets.sh, no CDN). The server
only checks whether the analysis graph exists, so that a store that was never analysed
gets a page saying how to run `lcgraph analyze` instead of empty charts.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lcgraph.pages.urls import LANGUAGES, choose_language
from lcgraph.web.deps import iris_of, store_of
from lcgraph.web.routes.linked_data import render_template

router = APIRouter(tags=["analysis"])

# One named query per panel (queries/analysis-*.rq), run through /api/queries as SPARQL JSON:
# the dashboard reads what any other client of the REST API reads.
PANELS: dict[str, tuple[str, tuple[str, ...]]] = {  # panel -> (named query, its params)
    "matrix": ("analysis-sector-matrix", ("lang",)),
    "brokers": ("analysis-top-brokers", ("lang",)),
    "gaps": ("analysis-gaps", ()),
    "run": ("analysis-run", ()),
}


def panel_urls(lang: str) -> dict[str, str]:
    """Each panel's named query as the URL dashboard.js fetches, in the page's language."""
    return {
        panel: f"/api/queries/{name}.json" + (f"?lang={lang}" if "lang" in params else "")
        for panel, (name, params) in PANELS.items()
    }


@router.get("/dashboard", response_model=None, include_in_schema=False)
def dashboard(request: Request) -> Response:
    """The analysis dashboard, or a page saying how to run `lcgraph analyze`."""
    lang = choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    iris = iris_of(request)
    body = render_template(request, "dashboard.html", dashboard_context(request, lang), iris)
    headers = {"Vary": "Accept-Language"}
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


def dashboard_context(request: Request, lang: str) -> dict[str, Any]:
    """Language, whether there are results, and the panels' URLs for templates/dashboard.html."""
    graph = iris_of(request).graph_iri("analysis")
    return {
        "lang": lang,
        "title": "Dashboard",
        "languages": {code: f"/dashboard?lang={code}" for code in LANGUAGES},
        "analysed": has_analysis(store_of(request), graph),
        "graph": graph,
        "panels": json.dumps(panel_urls(lang)),
    }


def has_analysis(store: Any, graph: str) -> bool:
    """Whether the live store holds the analysis graph (one ASK, answered from the index)."""
    return bool(store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))

"""/dashboard: the cross-sector analysis (issue 6) drawn in the browser from /sparql.

The page itself holds no numbers: it carries the SPARQL of each panel (below) and
static/dashboard.js fetches them from this service's own /sparql as SPARQL JSON and draws
them with ECharts (vendored from npm by scripts/install-web-assets.sh, no CDN). The server
only checks whether the analysis graph exists, so that a store that was never analysed
gets a page saying how to run `lcgraph analyze` instead of empty charts.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lcgraph.iris import LC, Iris
from lcgraph.pages.urls import LANGUAGES, choose_language
from lcgraph.web.routes.linked_data import render_template

router = APIRouter(tags=["analysis"])

_PREFIXES = f"""PREFIX lc: <{LC}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# One SELECT per panel; the names of the projected variables are what dashboard.js reads.
PANELS: dict[str, str] = {
    "matrix": _PREFIXES
    + """SELECT ?from ?to ?jaccard ?observedExpected ?sharedCommunities
       ?coMembershipTies WHERE {
  ?pair a lc:SectorPair ; lc:fromSector ?f ; lc:toSector ?t ; lc:jaccard ?jaccard ;
        lc:sharedCommunities ?sharedCommunities ; lc:coMembershipTies ?coMembershipTies .
  OPTIONAL { ?pair lc:observedExpected ?observedExpected }
  OPTIONAL { ?f skos:notation ?fn } OPTIONAL { ?t skos:notation ?tn }
  BIND(COALESCE(?fn, STR(?f)) AS ?from) BIND(COALESCE(?tn, STR(?t)) AS ?to)
} ORDER BY ?from ?to""",
    "brokers": _PREFIXES
    + """SELECT ?stakeholder (SAMPLE(?name) AS ?label) ?brokerageCount
       ?coordinatorCount ?itinerantCount ?gatekeeperRepresentativeCount ?liaisonCount
       ?betweenness ?constraint WHERE {
  # role counts need a sector, which no source states for most organisations: those are
  # ranked by betweenness alone, with empty role counts (as queries/analysis-top-brokers.rq)
  { ?stakeholder lc:brokerageCount ?brokerageCount } UNION { ?stakeholder lc:betweenness ?b }
  OPTIONAL {
    ?stakeholder lc:brokerageCount ?brokerageCount ; lc:coordinatorCount ?coordinatorCount ;
                 lc:itinerantCount ?itinerantCount ; lc:liaisonCount ?liaisonCount ;
                 lc:gatekeeperRepresentativeCount ?gatekeeperRepresentativeCount .
  }
  OPTIONAL { ?stakeholder lc:betweenness ?betweenness }
  OPTIONAL { ?stakeholder lc:constraint ?constraint }
  OPTIONAL { ?stakeholder skos:prefLabel|rdfs:label ?name }
} GROUP BY ?stakeholder ?brokerageCount ?coordinatorCount ?itinerantCount
  ?gatekeeperRepresentativeCount ?liaisonCount ?betweenness ?constraint
ORDER BY DESC(?brokerageCount) DESC(?betweenness) ?stakeholder LIMIT 20""",
    "gaps": _PREFIXES
    + """SELECT ?gap ?kind ?label ?share ?confirmed WHERE {
  ?gap a lc:Gap ; lc:gapKind ?kind .
  OPTIONAL { ?gap rdfs:label ?label }
  OPTIONAL { ?gap lc:participationShare ?share }
  OPTIONAL { ?gap lc:confirmed ?confirmed }
} ORDER BY ?kind ?label""",
    "run": _PREFIXES
    + """PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?run ?ended ?stakeholders ?communities ?participations ?eiIndex ?nmi ?ari
       ?betweennessSample WHERE {
  ?run a lc:AnalysisRun ; lc:stakeholderCount ?stakeholders ; lc:communityCount ?communities ;
       lc:participationCount ?participations .
  OPTIONAL { ?run prov:endedAtTime ?ended } OPTIONAL { ?run lc:eiIndex ?eiIndex }
  OPTIONAL { ?run lc:nmi ?nmi } OPTIONAL { ?run lc:ari ?ari }
  OPTIONAL { ?run lc:betweennessSample ?betweennessSample }
}""",
}


@router.get("/dashboard", response_model=None, include_in_schema=False)
def dashboard(request: Request) -> Response:
    """The analysis dashboard, or a page saying how to run `lcgraph analyze`."""
    lang = choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    iris = Iris(request.app.state.settings.base_iri)
    body = render_template(request, "dashboard.html", dashboard_context(request, lang), iris)
    headers = {"Vary": "Accept-Language"}
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


def dashboard_context(request: Request, lang: str) -> dict[str, Any]:
    """Language, whether there are results, and the panels' SPARQL for templates/dashboard.html."""
    graph = Iris(request.app.state.settings.base_iri).graph_iri("analysis")
    return {
        "lang": lang,
        "title": "Dashboard",
        "languages": {code: f"/dashboard?lang={code}" for code in LANGUAGES},
        "analysed": has_analysis(request.app.state.store, graph),
        "graph": graph,
        "panels": json.dumps(PANELS),
    }


def has_analysis(store: Any, graph: str) -> bool:
    """Whether the live store holds the analysis graph (one ASK, answered from the index)."""
    return bool(store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))

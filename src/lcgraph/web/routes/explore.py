"""/explore: the guided query builder (Sparnatural) over this graph (issue 16).

GET /explore is the page; static/explore.js runs Sparnatural in it against this service's
own /sparql. GET /explore/config.ttl is the builder's SHACL configuration, generated from
the ontology graph of the live store (`lcgraph.explore.config`) and kept per store
revision. POST /explore/named-query turns a built query into a `queries/*.rq` file, checked
with the named-query loader, offered as a download.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from rdflib import RDF
from rdflib.namespace import SH

from lcgraph import formats
from lcgraph.explore.config import QUERIES, sparnatural_config
from lcgraph.explore.saved import Chosen, SaveError, checked, named_query_text, slug
from lcgraph.explore.source import ontology_graph
from lcgraph.pages.urls import LANGUAGES, choose_language
from lcgraph.web.deps import iris_of, store_of
from lcgraph.web.errors import HttpProblem
from lcgraph.web.rendering import Page
from lcgraph.web.routes.linked_data import page_cache, render_template

router = APIRouter(tags=["explore"])
TURTLE = formats.BY_NAME["turtle"].content_type


class ChosenValue(BaseModel):
    variable: str = Field(max_length=200)
    iri: str = Field(max_length=2000)
    label: str = Field("", max_length=500)
    class_iri: str | None = Field(None, max_length=2000)


class SaveRequest(BaseModel):
    """A query built at /explore, to be saved as a named query."""

    sparql: str = Field(max_length=100_000)
    title: str = Field(min_length=1, max_length=200)
    chosen: list[ChosenValue] = Field(default_factory=list, max_length=50)


@router.get("/explore", response_model=None, include_in_schema=False)
def explore(request: Request) -> Response:
    """The query builder, in the language of ?lang= or Accept-Language."""
    lang = choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    iris = iris_of(request)
    body = render_template(request, "explore.html", explore_context(request, lang), iris)
    return Response(
        body, media_type="text/html; charset=utf-8", headers={"Vary": "Accept-Language"}
    )


@router.get("/explore/config.ttl", response_model=None, include_in_schema=False)
def explore_config(request: Request) -> Response:
    """Sparnatural's SHACL configuration for the live revision (Turtle)."""
    page = _config(request)
    return Response(page.body, media_type=page.media_type)


@router.post("/explore/named-query", response_model=None, tags=["explore"])
def save_named_query(body: SaveRequest, request: Request) -> Response:
    """The built query as a `queries/<name>.rq` file (a download), checked by the loader."""
    name = slug(body.title)
    chosen = [Chosen(c.variable, c.iri, c.label, c.class_iri) for c in body.chosen]
    text = named_query_text(body.sparql, body.title, chosen)
    try:
        checked(text, name, iris_of(request))
    except SaveError as error:
        raise HttpProblem(400, f"the built query cannot be a named query: {error}") from error
    disposition = f'attachment; filename="{name}.rq"'
    return Response(
        text,
        media_type="application/sparql-query; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


def explore_context(request: Request, lang: str) -> dict[str, Any]:
    """What templates/explore.html needs: language, endpoint, configuration and its terms."""
    iris = iris_of(request)
    return {
        "lang": lang,
        "title": "Explore" if lang == "en" else "Verkennen",
        "languages": {code: f"/explore?lang={code}" for code in LANGUAGES},
        "explore": _script_json(
            {
                "lang": lang,
                "endpoint": "/sparql",
                "config": "/explore/config.ttl",
                "save": "/explore/named-query",
                "search": QUERIES["search"],  # the fallback of "suggest"
                "suggest": "/api/suggest",  # value autocomplete: lcgraph's own search
                "terms": config_terms(request),
                "prefixes": iris.prefixes,
                "base": iris.base,
            }
        ),
    }


def _script_json(value: dict[str, Any]) -> str:
    """JSON that cannot end the <script> element it is put in."""
    return json.dumps(value).replace("</", "<\\/")


def config_terms(request: Request) -> list[str]:
    """Every class and property shape of the configuration: what a state URL may name."""
    terms: list[str] = json.loads(_config(request, "terms").body)
    return terms


def _config(request: Request, part: str = "turtle") -> Page:
    """The configuration of the live revision (`turtle`) or its terms (`terms`), cached."""
    store = store_of(request)
    revision = store.revision() or ""
    cache = page_cache(request)
    page = cache.get((revision, "/explore/config", part))
    if page is None:
        iris = iris_of(request)
        config = sparnatural_config(ontology_graph(store.reader(), iris.ontology_graph), iris.base)
        shapes = set(config.subjects(SH.path, None)) | set(config.subjects(RDF.type, SH.NodeShape))
        terms = json.dumps(sorted(str(shape) for shape in shapes)).encode()
        pages = {
            "terms": Page(terms, "application/json", {}),
            "turtle": Page(config.serialize(format="turtle").encode(), TURTLE, {}),
        }
        for name, built in pages.items():
            cache.put((revision, "/explore/config", name), built)
        page = pages[part]
    return page

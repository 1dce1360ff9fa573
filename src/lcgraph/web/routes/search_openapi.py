"""What OpenAPI says about /api/search and /api/suggest: their parameters and answers.

The two routes are hot (`lcgraph.web.edge`): their functions take only the request and
read the query string themselves (`lcgraph.web.routes.search`), so FastAPI cannot derive
the parameters from their signatures; they are declared here instead, as FastAPI would
have written them, and the answers as models.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from lcgraph.search import MAX_LIMIT, MAX_SUGGESTIONS

PAGE_SIZE = 20


class HitModel(BaseModel):
    iri: str = Field(description="The resource.")
    label: str = Field(description="Its label in the requested language, else in any.")
    classes: list[str] = Field(description="Its rdf:type IRIs.")
    field: str = Field(description="The predicate whose text matched (skos:prefLabel, …).")
    lang: str | None = Field(description="The language of the matched text.")
    snippet: str = Field(description="The matched text, HTML-escaped, <b>…</b> around matches.")
    score: float
    page: str = Field(description="Its page: /doc/… or /def/… (or the IRI itself).")


class SearchModel(BaseModel):
    query: str
    lang: str
    revision: str = Field(description="The graph revision whose index answered.")
    total: int = Field(description="Resources that match in all (not only this page).")
    limit: int
    offset: int
    hits: list[HitModel]
    facets: dict[str, dict[str, int]] = Field(
        description="Per facet named in `facets` (class, topsector, region): IRI -> "
        "matching resources; empty when none was asked."
    )


class SuggestionModel(BaseModel):
    iri: str
    label: str
    page: str


_TEXT: dict[str, Any] = {"type": "string"}
_OPTIONAL_TEXT: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
_TEXTS: dict[str, Any] = {
    "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]
}
_IRI_FILTER = "Only resources with this value (IRI)."
_LANG = "nl or en; default: from Accept-Language."


def _param(
    name: str, schema: dict[str, Any], description: str = "", required: bool = False
) -> dict[str, Any]:
    """One query parameter, in the form FastAPI gives a `Query(...)` argument."""
    schema = {**schema, "title": name.title()}
    param: dict[str, Any] = {"name": name, "in": "query", "required": required, "schema": schema}
    if description:
        schema["description"] = param["description"] = description
    return param


SEARCH_PARAMETERS = [
    _param("q", _TEXT, 'Search text: words, "phrases", OR, -word, (groups).', required=True),
    _param("lang", _OPTIONAL_TEXT, _LANG),
    _param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": PAGE_SIZE},
        f"Hits per page (<= {MAX_LIMIT}).",
    ),
    _param("offset", {"type": "integer", "minimum": 0, "default": 0}, "Hits to skip (paging)."),
    _param("class", _TEXTS, "Only resources of this class (IRI)."),
    _param("topsector", _TEXTS, _IRI_FILTER),
    _param("region", _TEXTS, _IRI_FILTER),
    _param(
        "facets",
        _TEXTS,
        "Facets to count over every match: class, topsector, region (comma-separated or "
        "repeated). None by default: counting costs as much as the search.",
    ),
]

SUGGEST_PARAMETERS = [
    _param("q", _TEXT, "What was typed so far.", required=True),
    _param("lang", _OPTIONAL_TEXT, _LANG),
    _param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_SUGGESTIONS, "default": MAX_SUGGESTIONS},
    ),
    _param("class", _TEXTS, "Only resources of this class (IRI; may repeat)."),
]

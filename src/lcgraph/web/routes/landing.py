"""/ (the landing page) and /dumps/{release}/{file} (the release files of the live graph).

The landing page says what the graph holds (its organisations, funded projects, learning
communities, participations and triples, and counts per class and per topsector, all from
`pages.dataset.statistics`, never typed in), links the ontology, the named queries' pages,
the dumps and the licence, and embeds a schema.org `Dataset` in JSON-LD for search
engines. Dumps are made from the live store on first request, byte for byte what
`lcgraph publish` writes, and then served from disk (`releases.dumps.on_disk`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from pyoxigraph import NamedNode

from lcgraph import __version__, formats
from lcgraph.iris import LC, ONTOLOGY, W3C_PREFIXES, Iris
from lcgraph.pages import dataset
from lcgraph.pages.dataset import DESCRIPTION, TITLE
from lcgraph.pages.describe import LABEL_PREDICATES, pick, texts
from lcgraph.pages.urls import LANGUAGES, Urls, choose_language, html_path
from lcgraph.pages.view import editor_url
from lcgraph.releases import dumps as dumping
from lcgraph.store import Reader
from lcgraph.web.deps import iris_of, queries_of, store_of
from lcgraph.web.errors import HttpProblem
from lcgraph.web.rendering import LICENCE, Page
from lcgraph.web.routes.linked_data import page_cache, render_template
from lcgraph.web.routes.query_pages import doc_path

router = APIRouter(tags=["linked data"])


@router.get("/", response_model=None, include_in_schema=False)
def landing(request: Request) -> Response:
    lang = choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    return _landing(request, lang, {"Vary": "Accept-Language"})


@router.get("/index.{lang}.html", response_model=None, include_in_schema=False)
def landing_in(lang: str, request: Request) -> Response:
    if lang not in LANGUAGES:
        raise HttpProblem(404, f"no landing page in language {lang!r}")
    return _landing(request, lang, {})


@router.get("/dumps/{release}/{name:path}", response_model=None, include_in_schema=False)
def dump(release: str, name: str, request: Request) -> Response:
    """One file of the current release; 404 for other releases or names."""
    store = store_of(request)
    if release != dumping.release_name(store.revision() or ""):
        raise HttpProblem(404, f"release {release!r} is not the live one")
    for file in dumping.release_files(store.reader(), iris_of(request)):
        if file.name == name:
            path = dumping.on_disk(file, store.releases_folder(), release)
            return FileResponse(path, media_type=file.media_type)
    raise HttpProblem(404, f"release {release} has no file {name!r}")


def _landing(request: Request, lang: str, headers: dict[str, str]) -> Response:
    revision = store_of(request).revision() or ""
    key = (revision, "/", "html", lang, "1")
    cache = page_cache(request)
    page = cache.get(key)
    if page is None:
        context = landing_context(request, lang, revision)
        body = render_template(request, "landing.html", context, iris_of(request))
        page = Page(body, "text/html; charset=utf-8", {})
        cache.put(key, page)
    return Response(page.body, media_type=page.media_type, headers=headers)


def landing_context(request: Request, lang: str, revision: str) -> dict[str, Any]:
    """Counts, ontology, queries, dumps and licence for templates/landing.html."""
    store = store_of(request).reader()
    iris = iris_of(request)
    urls = Urls(iris)
    stats = dataset.statistics(store)
    classes, sectors = dataset.own_classes(stats), stats.sectors
    labels = texts(store, [*classes, *sectors, ONTOLOGY], LABEL_PREDICATES)

    def link(iri: str) -> dict[str, str | None]:
        text = pick(labels.get(iri), lang) or iri.removeprefix(LC)
        return {"text": text, "href": urls.html(iri, lang), "iri": iri}

    release = dumping.release_name(revision)
    figures = [
        {"n": n, "text": en if lang == "en" else nl, "href": urls.html(c, lang), "iri": c}
        for c, n, en, nl in dataset.figures(stats)
    ]
    summary = dataset.summary(stats)
    return {
        "lang": lang,
        "title": TITLE[0 if lang == "en" else 1],
        "description": DESCRIPTION[0 if lang == "en" else 1],
        "languages": {code: html_path("/", code) for code in LANGUAGES},
        "stats": stats,
        "figures": figures,
        "triples": f"{stats.triples:,}" if lang == "en" else dataset.dutch_number(stats.triples),
        "classes": [(link(c), n) for c, n in classes.items()],
        "sectors": [(link(s), n) for s, n in sectors.items()],
        "ontology": link(ONTOLOGY),
        "queries": _queries(request, lang),
        "release": release,
        "dumps": [
            (f.path(release), _dump_title(f, store, iris, lang))
            for f in dumping.release_files(store, iris)
        ],
        "schema_org": json.dumps(_schema_org(iris, request, release, lang, summary[0]), indent=2),
    }


DUMP_FORMATS = {  # the whole-graph dumps: media type -> label
    formats.BY_NAME["nquads"].media_type: "N-Quads, gzip",
    formats.BY_NAME["jsonld"].media_type: formats.BY_NAME["jsonld"].label,
}
ALL_GRAPHS = {"en": "All named graphs", "nl": "Alle benoemde grafen"}
_SCHEME = NamedNode(W3C_PREFIXES["skos"] + "ConceptScheme")
_TYPE = NamedNode(W3C_PREFIXES["rdf"] + "type")


def _dump_title(file: dumping.DumpFile, store: Reader, iris: Iris, lang: str) -> str:
    """A release file by what it holds, in `lang`: a graph by the title of the concept
    scheme it holds, else by its short name (`curated/provinces`), never by its IRI."""
    if file.graph is None:
        return f"{ALL_GRAPHS[lang]} ({DUMP_FORMATS.get(file.media_type, file.media_type)})"
    graph = NamedNode(file.graph)
    quads = store.quads_for_pattern(None, _TYPE, _SCHEME, graph)
    schemes = [q.subject.value for q in quads if isinstance(q.subject, NamedNode)]
    titles = texts(store, schemes[:1], LABEL_PREDICATES)
    title = pick(titles.get(schemes[0]), lang) if schemes else None
    return f"{title or file.graph.removeprefix(iris.graph_iri(''))} (Turtle)"


def _queries(request: Request, lang: str) -> list[dict[str, str]]:
    """Each named query: its page (`/doc/query/{name}`, also in the static site) and editor."""
    queries = queries_of(request)
    iris = iris_of(request)
    return [
        {
            "name": name,
            "title": pick(q.title, lang) or name,
            "description": pick(q.description, lang) or "",
            "href": doc_path(iris, name),
            "editor": editor_url(q.text),
        }
        for name, q in sorted(queries.items())
    ]


def _schema_org(
    iris: Iris, request: Request, release: str, lang: str, summary: str
) -> dict[str, Any]:
    """schema.org Dataset, as Google Dataset Search reads it; `summary` says what it holds."""
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": f"{iris.base}/dataset",
        "name": TITLE[0],
        "alternateName": TITLE[1],
        "description": f"{DESCRIPTION[0]} {summary}",
        "license": LICENCE,
        "version": release,
        "url": f"{iris.base}/",
        "inLanguage": ["nl", "en"],
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": "lcgraph project"},
        "keywords": ["learning communities", "leergemeenschappen", "topsectoren"],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": formats.BY_NAME["nquads"].media_type,
                "contentUrl": f"{iris.base}/dumps/{release}/lcgraph.nq.gz",
            }
        ],
        "softwareVersion": __version__,
    }

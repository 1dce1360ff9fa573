"""Where each page and RDF twin lives: the URL grammar shared by the service and the static site.

Every URL a page links to is a plain file path, so the same pages work from the server and
from a static host (issue 5):

    /doc/{type}/{ref}                   negotiated: HTML (language from Accept-Language) or RDF
    /doc/{type}/{ref}.{ttl|jsonld|nt|rdf|html}          one format
    /doc/{type}/{ref}.{nl|en}.html                      HTML in one language
    /doc/{type}/{ref}.page-{n}.{nl|en}.html             incoming links, page n (n >= 2)

`/def/lc[/{Term}]` (the ontology; its namespace is fixed, `iris.LC`) and `/def/{scheme}[/{code}]`
follow the same grammar; `/id/...` only redirects. The landing page is `/` and
`/index.{lang}.html`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lcgraph import formats
from lcgraph.iris import LC, ONTOLOGY, Iris

LANGUAGES = ("en", "nl")
DEFAULT_LANGUAGE = "en"
SUFFIXES: dict[str, str] = {  # file suffix -> format name (the RDF twins: `lcgraph.formats`)
    **{f.suffix: f.name for f in formats.graph_formats()},
    "html": "html",
}
EXTENSIONS: dict[str, str] = {name: ext for ext, name in SUFFIXES.items()}
_VARIANT = re.compile(
    r"^(?P<key>.+?)(?:\.page-(?P<page>[1-9]\d*))?(?:\.(?P<lang>nl|en))?"
    rf"\.(?P<ext>{'|'.join(map(re.escape, SUFFIXES))})$"
)


@dataclass(frozen=True)
class Variant:
    """A parsed last path part: the resource key and what was asked of it."""

    key: str
    fmt: str | None = None  # a format name of SUFFIXES, None: negotiate
    lang: str | None = None
    page: int = 1


def parse_variant(path: str) -> Variant:
    """`a/b.page-2.nl.html` → Variant("a/b", "html", "nl", 2); a plain path → Variant(path).

    Language and page are only meaningful for HTML; `a/b.nl.ttl` is not a variant.
    """
    match = _VARIANT.match(path)
    if match is None:
        return Variant(path)
    fmt = SUFFIXES[match["ext"]]
    if fmt != "html" and (match["lang"] or match["page"]):
        return Variant(path)
    return Variant(match["key"], fmt, match["lang"], int(match["page"] or 1))


@dataclass(frozen=True)
class Urls:
    """Maps IRIs to the local paths of their pages, and back, under one base."""

    iris: Iris

    def iri_for(self, area: str, key: str) -> str:
        """The IRI a request path names: `("doc", "t/r")` → `{base}/id/t/r`."""
        if area == "def" and (key == "lc" or key.startswith("lc/")):
            return ONTOLOGY + key[2:]
        kind = "id" if area in ("id", "doc") else area
        return f"{self.iris.base}/{kind}/{key}"

    def page_path(self, iri: str) -> str | None:
        """The root-relative path of the page about `iri`, None for IRIs we do not serve."""
        if iri == ONTOLOGY or iri.startswith(LC):
            return "/def/lc" + iri[len(ONTOLOGY) :]
        base = self.iris.base
        for area, page in (("id", "doc"), ("def", "def")):
            prefix = f"{base}/{area}/"
            if iri.startswith(prefix) and len(iri) > len(prefix):
                return f"/{page}/{iri[len(prefix) :]}"
        return None

    def html(self, iri: str, lang: str, page: int = 1) -> str | None:
        path = self.page_path(iri)
        return None if path is None else html_path(path, lang, page)

    def twin(self, iri: str, fmt: str) -> str | None:
        path = self.page_path(iri)
        return None if path is None else f"{path}.{EXTENSIONS[fmt]}"


def html_path(path: str, lang: str, page: int = 1) -> str:
    """The explicit HTML file of a page path: `/doc/t/r` → `/doc/t/r.nl.html`."""
    if path == "/":
        return f"/index.{lang}.html"
    return f"{path}{'' if page == 1 else f'.page-{page}'}.{lang}.html"


def choose_language(query_lang: str | None, accept_language: str | None) -> str:
    """`?lang=` first, then the first of our languages named in Accept-Language."""
    if query_lang in LANGUAGES:
        return query_lang
    ranked: list[tuple[float, int, str]] = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > 0:
            ranked.append((-q, len(ranked), primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE

"""Pages people read (issue 12, item 5): every string of the chrome in nl and en, other
vocabularies' terms labelled, headings that read, numbers rounded, external links.

The templates are read as Jinja sees them: any text outside `tr(en, nl)` must be a word that
is the same in both languages; then the real service renders each page type in Dutch and no
English chrome string may show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import jinja2
import pytest
from support import serve_app

import lcgraph
from lcgraph.config import Settings
from lcgraph.iris import XSD
from lcgraph.pages.numbers import short_number
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

TEMPLATES = Path(lcgraph.__file__).parent / "web" / "templates"
NEUTRAL = {  # words a Dutch page writes as an English one does
    *("lcgraph", "SPARQL", "JSON", "CSV", "API", "IRI", "OpenAPI", "GET", "Accept", "Endpoint"),
    *("Topsector", "Creative", "Commons", "Dashboard", "liaison", "betweenness", "constraint"),
    *("application", "json", "text", "turtle", "wide", "JSON-LD", "Turtle"),
}
TR = re.compile(r'tr\(\s*"((?:[^"\\]|\\.)+)",\s*"((?:[^"\\]|\\.)+)"\s*\)', re.S)
PAGES = [
    "/index.nl.html",
    "/doc/learning-community/rdm-makerspace.nl.html",
    "/def/topsector.nl.html",
    "/def/topsector/EN.nl.html",
    "/def/lc/Pilot.nl.html",
    "/def/lc/sector.nl.html",
    "/def/lc.nl.html",
    "/api/queries?lang=nl",
    "/doc/query/communities-per-sector?lang=nl",
    "/sparql?lang=nl",
    "/doc/organisation/nobody?lang=nl",
]


def _chrome(source: str) -> str:
    """The literal text of a template: no tags, styles, scripts or code examples."""
    data = "".join(v for _, kind, v in jinja2.Environment().lex(source) if kind == "data")
    data = re.sub(r"<(style|script|code|pre)\b.*?</\1>", " ", data, flags=re.S)
    shown = re.findall(r'(?:title|aria-label|placeholder|alt)="([^"{]*)"', data)
    return re.sub(r"<[^>]*>", " ", data) + " " + " ".join(shown)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_template_text_outside_tr_is_the_same_in_both_languages(template: str) -> None:
    words = set(re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", _chrome((TEMPLATES / template).read_text())))
    assert words - NEUTRAL == set()


def _english_chrome() -> set[str]:
    found: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        for en, nl in TR.findall(path.read_text()):
            if en != nl and len(en) >= 12 and " " in en:
                found.add(en)
    return found


@pytest.fixture(scope="module")
def client(curated_store: EmbeddedStore) -> Iterator[httpx.Client]:
    settings = Settings(store=curated_store.location, query_workers=1)
    with serve_app(create_app(settings)) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


@pytest.mark.parametrize("path", PAGES)
def test_dutch_pages_show_no_english_chrome(client: httpx.Client, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": "nl"})
    assert response.headers["content-type"].startswith("text/html")
    # text marked as English (a query's title in the other language) and the queries'
    # SPARQL in the editor's configuration are data, not chrome
    page = re.sub(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', "", response.text, flags=re.S)
    page = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    english = sorted(s for s in _english_chrome() if s in page)
    assert english == []
    for label in ("Description", "Identifier", "preferred label", "editorial note", "rdf:type"):
        assert f">{label}<" not in page
    assert "(N-Quads, gzip)" not in page or "Alle benoemde grafen (N-Quads, gzip)" in page
    assert "Named graph " not in page


def test_w3c_terms_have_labels_in_both_languages(client: httpx.Client) -> None:
    nl = client.get("/def/lc/Pilot.nl.html").text
    en = client.get("/def/lc/Pilot.en.html").text
    assert ">subklasse van</a>" in nl and ">subclass of</a>" in en
    assert ">type</a>" in nl and "rdfs:subClassOf<" not in en


def test_incoming_headings_use_the_inverse_or_a_phrase(client: httpx.Client) -> None:
    scheme = client.get("/def/topsector.nl.html").text
    assert ">Heeft topbegrip</h3>" in scheme and "is is" not in scheme
    assert ">Has top concept</h3>" in client.get("/def/topsector.en.html").text
    concept = client.get("/def/topsector/EN.en.html").text
    assert ">Linked here by “has top sector”</h3>" in concept
    assert ">Verwijst hierheen met “heeft topsector”</h3>" in (
        client.get("/def/topsector/EN.nl.html").text
    )


def test_external_iris_link_to_themselves_and_ours_stay_here(client: httpx.Client) -> None:
    page = client.get("/def/lc/Pilot.en.html").text
    assert 'href="http://www.w3.org/ns/org#Organization"' in page and 'rel="external"' in page
    assert 'href="/def/lc/LearningCommunity.en.html"' in page


def test_landing_downloads_are_named_by_their_title(client: httpx.Client) -> None:
    page = client.get("/index.nl.html").text
    assert ">Topsectoren (Turtle)</a>" in page and "Alle benoemde grafen (N-Quads, gzip)" in page
    assert ">Named graph https://" not in page


@pytest.mark.parametrize(
    ("text", "datatype", "lang", "shown"),
    [
        ("0.05581822557753659", "double", "en", "0.0558"),
        ("0.05581822557753659", "double", "nl", "0,0558"),
        ("12345.678", "decimal", "en", "12346"),
        ("1.5E0", "double", "en", "1.5"),
        ("0.0000123", "float", "en", "1.23e-05"),
        ("42", "integer", "en", None),
        ("NaN", "double", "en", None),
    ],
)
def test_numbers_are_rounded_for_reading(text: str, datatype: str, lang: str, shown: str) -> None:
    assert short_number(text, XSD + datatype, lang) == shown

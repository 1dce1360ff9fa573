"""/api/queries serves the named queries (issue 4) as a typed REST API: a live uvicorn over
the curated build, real HTTP with httpx, the project's query files plus one test query."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from support import serve_app

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery, load_queries
from lcgraph.store.embedded import EmbeddedStore

QUERIES = Path(__file__).resolve().parents[1] / "queries"
BASE = "https://w3id.org/lcgraph"
EN = f"{BASE}/def/topsector/EN"
MAX_ROWS = 20
NAMES_QUERY = """\
#+ title: {nl: Dingen met een naam, en: Things with a name}
#+ description: {nl: Dingen met precies dit label., en: Things with exactly this label.}
#+ params:
#+   name: {type: literal, datatype: xsd:string, required: true, example: "Energy College"}
#+ tags: [test]
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?thing ?name ?label WHERE {
  ?thing skos:prefLabel ?label .
  FILTER(STR(?label) = ?name)
}
"""
INJECTIONS = [
    'x" || true || "',
    "x') } UNION { ?thing ?p ?label } #",
    'Energy College"@nl } UNION { ?thing ?p ?label } #',
    "x\n} UNION { ?thing ?p ?label }\n#",
    "x\\u0022) || true || (\\u0022",
    "> } { ?thing ?p ?label",
    "\\",
]
BAD_IRIS = [
    "http://example.org/a> } UNION { ?s ?p ?o } #",
    "http://example.org/a\\u003e",
    "http://example.org/a}",
    'http://example.org/a"',
]


@pytest.fixture(scope="module")
def queries_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's queries plus `names.rq`, a query with a free-text parameter."""
    folder = tmp_path_factory.mktemp("queries")
    for path in QUERIES.glob("*.rq"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "names.rq").write_text(NAMES_QUERY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def loaded(queries_dir: Path) -> dict[str, NamedQuery]:
    return load_queries(queries_dir, Iris(BASE))


@pytest.fixture(scope="module")
def server(curated_store: EmbeddedStore, queries_dir: Path) -> Iterator[str]:
    from lcgraph.web.app import create_app

    settings = Settings(
        store=curated_store.location,
        queries=queries_dir,
        query_workers=2,
        query_timeout_s=10,
        max_rows=MAX_ROWS,
    )
    with serve_app(create_app(settings)) as url:
        yield url


@pytest.fixture
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=20) as client:
        yield client


def values(response: httpx.Response, var: str) -> list[str]:
    assert response.status_code == 200, response.text
    return [b[var]["value"] for b in response.json()["results"]["bindings"] if var in b]


def assert_error(response: httpx.Response, status: int, *words: str) -> None:
    body = response.json()
    assert response.status_code == status
    assert set(body) == {"ok", "error", "errors", "status", "type"}
    assert body["ok"] is False and body["status"] == status
    for word in words:
        assert word in body["error"], body["error"]


class Form(HTMLParser):
    """The first <form> of a page: its action and the value each field would submit (as a
    browser does: a select's selected option, else its first)."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}  # select name -> its option values
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("action") == "/search":  # every page's header search box
            self._in_search = True
        if getattr(self, "_in_search", False):
            return
        if tag == "form" and self.action is None:
            self.action = a.get("action")
        elif tag == "input" and a.get("name"):
            self.fields[str(a["name"])] = a.get("value") or ""
        elif tag == "select":
            self._select = str(a.get("name"))
            self.options[self._select] = []
        elif tag == "option" and self._select:
            if "selected" in a or not self.options[self._select]:
                self.fields[self._select] = a.get("value") or ""
            self.options[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_search = False
        if tag == "select":
            self._select = None


# --- the catalogue ------------------------------------------------------------------------


def test_catalogue_json_lists_every_query_with_its_iri_params_and_links(
    client: httpx.Client, loaded: dict[str, NamedQuery]
) -> None:
    response = client.get("/api/queries", headers={"Accept": "application/json"})
    entries = {e["name"]: e for e in response.json()["queries"]}
    assert list(entries) == list(loaded)
    sector = entries["communities-per-sector"]
    assert sector["iri"] == f"{BASE}/id/query/communities-per-sector"
    assert sector["links"]["csv"] == "/api/queries/communities-per-sector.csv"
    assert [p["name"] for p in sector["params"]] == ["sector", "lang"]
    assert sector["params"][0]["schema"]["format"] == "iri"
    assert "SELECT" in sector["sparql"]


def test_catalogue_html_page_links_every_query_page(
    client: httpx.Client, loaded: dict[str, NamedQuery]
) -> None:
    response = client.get("/api/queries", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    for name, query in loaded.items():
        assert f'href="/doc/query/{name}"' in response.text
        assert query.title["en"].replace("&", "&amp;") in response.text


# --- running ------------------------------------------------------------------------------


def test_run_with_defaults_uses_the_declared_default(client: httpx.Client) -> None:
    response = client.get("/api/queries/community-count-per-sector")
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert set(values(response, "lang")) == {"nl"}
    assert "Energie" in values(response, "sectorLabel")


def test_run_with_params_binds_them(client: httpx.Client) -> None:
    response = client.get(
        "/api/queries/communities-per-sector", params={"sector": "def:topsector/EN", "lang": "en"}
    )
    assert set(values(response, "sector")) == {EN}
    assert set(values(response, "sectorLabel")) == {"Energy"}
    assert f"{BASE}/id/learning-community/energy-college" in values(response, "community")


def test_full_iri_and_curie_give_the_same_answer(client: httpx.Client) -> None:
    by_curie = client.get("/api/queries/communities-per-sector.json?sector=def:topsector/EN")
    by_iri = client.get("/api/queries/communities-per-sector.json", params={"sector": EN})
    assert by_curie.json() == by_iri.json()


def test_csv_by_suffix_and_by_accept(client: httpx.Client) -> None:
    params = {"sector": "def:topsector/EN", "lang": "en"}
    by_suffix = client.get("/api/queries/communities-per-sector.csv", params=params)
    by_accept = client.get(
        "/api/queries/communities-per-sector", params=params, headers={"Accept": "text/csv"}
    )
    for response in (by_suffix, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert response.text.splitlines()[0] == "sector,sectorLabel,community,label,basis,lang"
    assert by_suffix.text == by_accept.text


def test_json_suffix_overrides_accept(client: httpx.Client) -> None:
    response = client.get("/api/queries/graph-summary.json", headers={"Accept": "text/csv"})
    assert response.headers["content-type"] == "application/sparql-results+json"


def test_blank_optional_value_counts_as_absent(client: httpx.Client) -> None:
    blank = client.get("/api/queries/communities-per-sector.json?sector=&lang=en")
    absent = client.get("/api/queries/communities-per-sector.json?lang=en")
    assert blank.json() == absent.json()


def test_row_limit_of_the_service_applies_and_is_announced(client: httpx.Client) -> None:
    response = client.get("/api/queries/graph-summary.json")  # more than MAX_ROWS rows
    assert response.headers["x-lcgraph-row-limit"] == str(MAX_ROWS)
    assert response.headers["x-lcgraph-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == MAX_ROWS


# --- errors -------------------------------------------------------------------------------


def test_wrong_type_is_400_naming_the_parameter_and_type(client: httpx.Client) -> None:
    response = client.get("/api/queries/cross-sector-communities", params={"minSectors": "two"})
    assert_error(response, 400, "'minSectors'", "integer")
    assert response.json()["type"] == "QueryParamError"


def test_iri_of_the_wrong_class_is_400(client: httpx.Client) -> None:
    response = client.get(
        "/api/queries/communities-per-sector", params={"sector": "def:learning-function/proactive"}
    )
    assert_error(response, 400, "'sector'", "Topsector")


def test_enum_value_outside_the_list_is_400(client: httpx.Client) -> None:
    assert_error(client.get("/api/queries/bottlenecks?lang=fr"), 400, "'lang'", "nl, en")


def test_missing_required_and_unknown_parameters_are_400(client: httpx.Client) -> None:
    assert_error(client.get("/api/queries/regions-within"), 400, "'region'")
    assert_error(client.get("/api/queries/graph-summary?nope=1"), 400, "'nope'")
    assert_error(client.get("/api/queries/bottlenecks?lang=en&lang=nl"), 400, "'lang'")


@pytest.mark.parametrize(
    "path",
    [
        "/api/queries/no-such-query",
        "/api/queries/no-such-query.csv",
        "/doc/query/no-such-query",
        "/id/query/no-such-query",
    ],
)
def test_unknown_query_is_404_in_the_one_shape(client: httpx.Client, path: str) -> None:
    assert_error(client.get(path), 404, "no-such-query")


# --- HTTP behaviour shared with /sparql ---------------------------------------------------


def test_etag_and_if_none_match_give_304(client: httpx.Client) -> None:
    url = "/api/queries/communities-per-sector?lang=en"
    first = client.get(url)
    etag = first.headers["etag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get(
        "/api/queries/communities-per-sector?lang=nl", headers={"If-None-Match": etag}
    )
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_cors_header_on_results_and_errors(client: httpx.Client) -> None:
    origin = {"Origin": "https://dashboard.example"}
    for path in ("/api/queries/graph-summary", "/api/queries/bottlenecks?lang=fr", "/api/queries"):
        response = client.get(path, headers=origin)
        assert response.headers["access-control-allow-origin"] == "*", path
    assert (
        "etag"
        in client.get("/api/queries/graph-summary", headers=origin)
        .headers["access-control-expose-headers"]
        .lower()
    )


# --- injection ----------------------------------------------------------------------------


def test_test_query_finds_a_real_label(client: httpx.Client) -> None:
    response = client.get("/api/queries/names.json", params={"name": "Energy College"})
    assert values(response, "thing") == [f"{BASE}/id/learning-community/energy-college"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_literal_injection_through_http_cannot_change_the_query(
    client: httpx.Client, value: str
) -> None:
    response = client.get("/api/queries/names.json", params={"name": value})
    assert values(response, "thing") == []


@pytest.mark.parametrize("value", BAD_IRIS)
def test_iri_injection_through_http_is_400(client: httpx.Client, value: str) -> None:
    response = client.get("/api/queries/community-factors", params={"community": value})
    assert_error(response, 400, "'community'")


# --- OpenAPI ------------------------------------------------------------------------------


def test_openapi_has_one_operation_per_query_with_param_schemas(
    client: httpx.Client, loaded: dict[str, NamedQuery]
) -> None:
    spec = client.get("/api/openapi.json").json()
    operations = {
        op["operationId"]: (path, op)
        for path, item in spec["paths"].items()
        for op in item.values()
        if path.startswith("/api/queries/")
    }
    assert set(operations) == set(loaded)
    for name, query in loaded.items():
        path, op = operations[name]
        assert path == f"/api/queries/{name}"
        assert op["summary"] == query.title["en"]
        assert query.description["en"] in op["description"]
        params = {p["name"]: p for p in op.get("parameters", [])}
        assert list(params) == [p.name for p in query.params]
        for param in query.params:
            assert params[param.name]["in"] == "query"
            assert params[param.name]["required"] is param.required
            assert params[param.name]["schema"] == param.json_schema()
            assert params[param.name]["example"] == param.example
        assert {"200", "400"} <= set(op["responses"])


def test_api_docs_page_is_served(client: httpx.Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200 and "/api/openapi.json" in response.text


# --- the query as a linked-data resource --------------------------------------------------


def test_query_iri_answers_303_to_its_page(client: httpx.Client) -> None:
    response = client.get("/id/query/communities-per-sector", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/query/communities-per-sector"


def test_query_page_shows_sparql_params_form_and_links(
    client: httpx.Client, loaded: dict[str, NamedQuery]
) -> None:
    response = client.get("/doc/query/communities-per-sector", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert f"{BASE}/id/query/communities-per-sector" in page
    assert "lc:statedSector" in page  # the SPARQL text
    assert 'href="/api/queries/communities-per-sector.json"' in page
    assert 'href="/api/queries/communities-per-sector.csv"' in page
    assert 'rel="alternate"' in response.headers["link"]
    form = Form()
    form.feed(page)
    assert form.action == "/api/queries/communities-per-sector"
    assert form.fields == {"sector": "", "lang": "nl"}
    # the topsectors of the graph as a drop-down: labels shown, IRIs sent
    assert EN in form.options["sector"] and len(form.options["sector"]) == 11
    assert f'<option value="{EN}" title="{EN}">Energy</option>' in page


def test_query_page_as_json_is_its_catalogue_entry(client: httpx.Client) -> None:
    response = client.get("/doc/query/graph-summary", headers={"Accept": "application/json"})
    assert response.json()["iri"] == f"{BASE}/id/query/graph-summary"


def test_the_form_submits_and_shows_a_results_table(client: httpx.Client) -> None:
    form = Form()
    form.feed(client.get("/doc/query/communities-per-sector").text)
    assert form.action is not None
    fields = {**form.fields, "sector": "def:topsector/EN", "lang": "en"}
    response = client.get(form.action, params=fields, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<table class="lcgraph-table" id="results">' in page
    assert 'href="/id/learning-community/energy-college"' in page  # IRIs link on this server
    assert "sector=def%3Atopsector%2FEN" in page  # the CSV/JSON links keep the parameters
    refilled = Form()
    refilled.feed(page)
    # the CURIE given is the drop-down's option of the same IRI
    assert refilled.fields == {"sector": EN, "lang": "en"}


def test_html_run_with_a_bad_value_shows_the_form_with_the_message_at_the_field(
    client: httpx.Client,
) -> None:
    """Issue 12: a browser gets its form back, not the JSON error shape (JSON clients do)."""
    html = {"Accept": "text/html", "Accept-Language": "nl"}
    response = client.get("/api/queries/bottlenecks?lang=fr", headers=html)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert '<p class="refused">' in response.text
    assert 'id="problem-lang" role="alert"><code>fr</code> is geen van de keuzes.' in response.text
    wrong_class = client.get(f"/api/queries/communities-per-sector?sector={BASE}/x", headers=html)
    assert wrong_class.status_code == 400
    assert "is geen topsector in deze graaf." in wrong_class.text
    missing = client.get("/api/queries/community-members?lang=en", headers=html)
    assert "Een waarde is verplicht." in missing.text
    assert_error(client.get("/api/queries/bottlenecks?lang=fr"), 400, "'lang'")


def test_a_browser_without_values_gets_the_form_of_a_query_that_needs_them(
    client: httpx.Client,
) -> None:
    response = client.get("/api/queries/community-members", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert '<form id="run"' in response.text and 'id="results"' not in response.text
    form = Form()
    form.feed(response.text)
    # ~1,900 collaborations on the real network: a search field, not a drop-down (> 50)
    assert "community" in form.fields or "community" in form.options
    assert_error(client.get("/api/queries/community-members"), 400, "'community'")


def test_a_class_with_many_instances_gets_a_bounded_search_field(client: httpx.Client) -> None:
    response = client.get("/doc/query/regions-within", headers={"Accept": "text/html"})
    assert 'list="choices-region"' in response.text
    search = re.search(r'data-search="([^"]+)"', response.text)
    assert search is not None
    query = html.unescape(search.group(1)).replace("__TEXT__", '"utrecht"')
    assert query.rstrip().endswith("LIMIT 20")
    found = client.post(
        "/sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    labels = [b["label"]["value"] for b in found.json()["results"]["bindings"]]
    assert labels and all("utrecht" in label.lower() for label in labels)


def test_bad_query_file_stops_start_up(tmp_path: Path) -> None:
    from lcgraph.errors import ValidationFailed
    from lcgraph.web.app import create_app

    (tmp_path / "broken.rq").write_text("#+ title: [unclosed\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(ValidationFailed) as failed:
        create_app(Settings(queries=tmp_path))
    assert "broken.rq" in str(failed.value)

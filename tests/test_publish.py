"""The release (issues 5, 12, 13, 17): dumps that reload to the same graph, checksums, VoID,
DCAT-AP(-NL) with the release in a series and a dataset per source, the same bytes for the
same revision, and a static site that serves what the service serves with links that work
from any file host and from file://.

`lcgraph publish` runs once per module over the real build of data/sources (the release,
without the site), and once over the build of data/sources alone (the static site: a page
per resource of the whole build, ~12k resources, takes minutes).
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyshacl
import pytest
import rdflib
from pyoxigraph import BlankNode, NamedNode, RdfFormat, Store
from rdflib.compare import isomorphic
from support import STANDARDS, serve_app

from lcgraph.config import Settings
from lcgraph.iris import LC, Iris
from lcgraph.pages import datasets
from lcgraph.publish import STEPS, PublishReport, publish
from lcgraph.publish.links import for_file_host
from lcgraph.releases.dumps import graph_file, graph_names
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

DCAT_SHAPES = (
    "dcat-ap-nl-300-dcat-ap-SHACL.ttl",
    "dcat-ap-nl-300-dcat-ap-nl-SHACL.ttl",
    "dcat-ap-nl-300-dcat-ap-nl-SHACL-klassebereik.ttl",
)
IRIS = Iris("https://w3id.org/lcgraph")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
CC_BY = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
RDFS_LABEL = rdflib.RDFS.label
DATA_SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture(scope="module")
def settings(curated_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        store=curated_store.location,
        query_workers=1,
        base_iri=IRIS.base,
        history=tmp_path_factory.mktemp("history"),
    )


@pytest.fixture(scope="module")
def release(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> PublishReport:
    steps: list[str] = []
    out = tmp_path_factory.mktemp("release") / "site"
    report = publish(settings, out, steps.append, site=False)
    assert steps == [s for s in STEPS if s != "site"]
    return report


@pytest.fixture(scope="module")
def site_settings(
    small_curated_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    return Settings(
        store=small_curated_store.location,
        query_workers=1,
        base_iri=IRIS.base,
        history=tmp_path_factory.mktemp("site-history"),
    )


@pytest.fixture(scope="module")
def site_release(
    site_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> PublishReport:
    steps: list[str] = []
    report = publish(site_settings, tmp_path_factory.mktemp("site") / "site", steps.append)
    assert steps == list(STEPS)
    return report


@pytest.fixture(scope="module")
def folder(release: PublishReport) -> Path:
    return release.out / "dumps" / release.release


def _graph(store: Store, name: str) -> rdflib.Graph:
    """One named graph of a pyoxigraph store, as an rdflib graph (blank nodes kept apart)."""
    lines = "".join(
        f"{q.triple} .\n" for q in store.quads_for_pattern(None, None, None, NamedNode(name))
    )
    return rdflib.Graph().parse(data=lines, format="nt")


def _source(curated_store: EmbeddedStore) -> Store:
    return curated_store.reader()


@pytest.mark.parametrize(
    ("name", "fmt"), [("lcgraph.nq.gz", RdfFormat.N_QUADS), ("lcgraph.jsonld", RdfFormat.JSON_LD)]
)
def test_dump_reloads_into_an_empty_store_isomorphic_to_the_source(
    folder: Path, curated_store: EmbeddedStore, name: str, fmt: RdfFormat
) -> None:
    data = (folder / name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    reloaded = Store()
    reloaded.load(data, format=fmt)
    source = _source(curated_store)
    assert len(reloaded) == len(source)
    assert graph_names(reloaded) == graph_names(source)
    for graph in graph_names(source):
        assert isomorphic(_graph(reloaded, graph), _graph(source, graph)), graph


def test_turtle_per_named_graph_matches_its_graph(
    folder: Path, curated_store: EmbeddedStore
) -> None:
    source = _source(curated_store)
    for graph in graph_names(source):
        dumped = rdflib.Graph().parse(
            folder / "graphs" / f"{graph_file(graph, IRIS)}.ttl", format="turtle"
        )
        assert isomorphic(dumped, _graph(source, graph)), graph


def test_checksums_match_the_files(folder: Path, release: PublishReport) -> None:
    listed = dict(
        reversed(line.split("  ", 1)) for line in (folder / "SHA256SUMS").read_text().splitlines()
    )
    assert set(listed) == set(release.files) and "lcgraph.nq.gz" in listed
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_void_statistics_are_counted_from_the_store(
    folder: Path, curated_store: EmbeddedStore
) -> None:
    void = rdflib.Graph().parse(folder / "void.ttl", format="turtle")
    vd = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(f"{IRIS.base}/dataset/{folder.name}")
    triples = {
        (s, p, o) for s, p, o, _ in _source(curated_store).quads_for_pattern(None, None, None, None)
    }
    assert int(void.value(dataset, vd.triples)) == len(triples)  # type: ignore[arg-type]
    assert void.value(dataset, vd.sparqlEndpoint) == rdflib.URIRef(IRIS.base + "/sparql")
    assert len(list(void.objects(dataset, vd.classPartition))) > 20


def test_void_and_dcat_say_what_the_real_network_holds(
    folder: Path, curated_store: EmbeddedStore
) -> None:
    """Organisations, funded projects and participations (issue 13): VoID's class partitions
    and the release's description give what SPARQL counts in the store."""
    vd = rdflib.Namespace("http://rdfs.org/ns/void#")
    void = rdflib.Graph().parse(folder / "void.ttl", format="turtle")
    catalogue = rdflib.Graph().parse(folder / "catalog.ttl", format="turtle")
    dataset = rdflib.URIRef(f"{IRIS.base}/dataset/{folder.name}")
    entities = {
        str(void.value(part, vd["class"])): int(void.value(part, vd.entities))  # type: ignore[arg-type]
        for part in void.objects(dataset, vd.classPartition)
    }
    descriptions = {d.language: str(d) for d in catalogue.objects(dataset, DCT.description)}  # type: ignore[union-attr]
    assert set(descriptions) == {"en", "nl"}  # one per language, as DCAT-AP wants
    for name, words in (
        ("Organisation", "organisations"),
        ("FundedProject", "funded projects"),
        ("Participation", "participations"),
    ):
        ((n,),) = list(
            curated_store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{LC}{name}> }}")
        )
        assert entities[LC + name] == int(n.value) > 1_800, name
        assert f"{int(n.value):,} {words}" in descriptions["en"]
    triples = int(void.value(dataset, vd.triples))  # type: ignore[arg-type]
    assert f"({triples:,} triples)" in descriptions["en"]
    assert f"({triples:,} triples)".replace(",", ".") in descriptions["nl"]


def test_dcat_catalogue_has_no_violations_of_dcat_ap_and_dcat_ap_nl(folder: Path) -> None:
    data = rdflib.Graph().parse(folder / "catalog.ttl", format="turtle")
    shapes = rdflib.Graph()
    for name in DCAT_SHAPES:
        shapes.parse(STANDARDS / name, format="turtle")
    _, report, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    violations = list(report.subjects(SH.resultSeverity, SH.Violation))
    assert violations == [], text
    assert len(list(data.subjects(rdflib.RDF.type, DCAT.Distribution))) >= 3
    assert len(list(data.subjects(rdflib.RDF.type, DCAT.DataService))) == 2  # SPARQL, changes


def test_the_release_is_a_member_of_a_dataset_series(folder: Path) -> None:
    data = rdflib.Graph().parse(folder / "catalog.ttl", format="turtle")
    series, release = (
        rdflib.URIRef(IRIS.base + "/dataset"),
        rdflib.URIRef(f"{IRIS.base}/dataset/{folder.name}"),
    )
    assert (series, rdflib.RDF.type, DCAT.DatasetSeries) in data
    assert (release, DCAT.inSeries, series) in data
    assert str(data.value(release, DCAT.version)) == folder.name
    assert data.value(series, DCAT.first) == release == data.value(series, DCAT.last)
    assert data.value(release, DCAT.prev) is None  # the first release of this history


def test_each_source_is_a_dataset_with_its_licence_and_its_graphs(folder: Path) -> None:
    data = rdflib.Graph().parse(folder / "catalog.ttl", format="turtle")
    release = rdflib.URIRef(f"{IRIS.base}/dataset/{folder.name}")
    regions = rdflib.URIRef(IRIS.base + "/dataset/source/cbs-regions")
    topsectoren = rdflib.URIRef(IRIS.base + "/dataset/source/topsectoren")
    assert {regions, topsectoren} <= set(data.objects(release, DCT.source))
    assert data.value(regions, DCT.license) == CC_BY
    files = {str(d).rsplit("/", 1)[-1] for d in data.objects(regions, DCAT.distribution)}
    assert "curated-provinces.ttl" in files
    for dist in data.objects(regions, DCAT.distribution):
        assert data.value(dist, DCT.license) == CC_BY
    # a licence the publisher does not state: DCAT-AP-NL's "licence unknown", and it says so
    unknown = rdflib.URIRef("http://standaarden.overheid.nl/owms/terms/licentieonbekend")
    assert data.value(topsectoren, DCT.license) == unknown
    rights = data.value(topsectoren, DCT.rights)
    assert "states no licence" in str(data.value(rights, rdflib.RDFS.label))


def test_every_open_source_is_a_dataset_with_a_licence_or_not_stated_and_an_origin(
    folder: Path,
) -> None:
    """Each dataset of data/sources/datasets.yaml that fed the curated build (the open sources
    of issue 13 among them) is a dcat:Dataset the release names as its dct:source, with the
    declared licence (or DCAT-AP-NL's "licence unknown" and a rights text), on each of its
    distributions too, and its origin as landing page."""
    data = rdflib.Graph().parse(folder / "catalog.ttl", format="turtle")
    release = rdflib.URIRef(f"{IRIS.base}/dataset/{folder.name}")
    declared = {d.key: d for d in datasets.load(DATA_SOURCES, IRIS)}
    sources = {str(s).rsplit("/", 1)[-1] for s in data.objects(release, DCT.source)}
    open_sources = {
        "duo",
        "mbo",
        "ror",
        "research-organisations",
        "eu-structural-funds",
        "sia",
        "regions-corop",
        "regions-labour-market",
    }
    assert open_sources <= sources <= set(declared)
    unknown = rdflib.URIRef(datasets.LICENCE_UNKNOWN)
    for key in sorted(sources):
        node = rdflib.URIRef(f"{IRIS.base}/dataset/source/{key}")
        assert (node, rdflib.RDF.type, DCAT.Dataset) in data, key
        licence = rdflib.URIRef(declared[key].licence or datasets.LICENCE_UNKNOWN)
        assert data.value(node, DCT.license) == licence, key
        if licence == unknown:
            assert "states no licence" in str(data.value(data.value(node, DCT.rights), RDFS_LABEL))
        distributions = list(data.objects(node, DCAT.distribution))
        assert distributions, key
        assert {data.value(d, DCT.license) for d in distributions} == {licence}, key
        if declared[key].origin:
            assert data.value(node, DCAT.landingPage) is not None, key
    assert data.value(rdflib.URIRef(f"{IRIS.base}/dataset/source/ror"), DCT.license) == (
        rdflib.URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    )
    assert data.value(rdflib.URIRef(f"{IRIS.base}/dataset/source/sia"), DCT.license) == unknown


def test_licence_iris_are_written_one_way(folder: Path) -> None:
    catalog = (folder / "catalog.ttl").read_text()
    assert "http://creativecommons.org" not in catalog
    assert "https://creativecommons.org/licenses/by/4.0/" in catalog


def test_the_same_revision_gives_a_byte_identical_release(
    settings: Settings, folder: Path, release: PublishReport, tmp_path: Path
) -> None:
    again = publish(settings, tmp_path / "site", site=False)
    assert again.release == release.release
    other = tmp_path / "site" / "dumps" / release.release
    assert (other / "SHA256SUMS").read_bytes() == (folder / "SHA256SUMS").read_bytes()
    assert (other / "catalog.ttl").read_bytes() == (folder / "catalog.ttl").read_bytes()


def test_release_file_on_the_service_is_the_published_file(
    settings: Settings, folder: Path, release: PublishReport
) -> None:
    with serve_app(create_app(settings)) as url:
        response = httpx.get(f"{url}/dumps/{release.release}/lcgraph.nq.gz", timeout=30)
    assert response.content == (folder / "lcgraph.nq.gz").read_bytes()


@pytest.fixture(scope="module")
def static_host(site_release: PublishReport) -> Iterator[str]:
    """A plain file server over the site folder (no lcgraph code involved)."""
    handler = partial(_QuietHandler, directory=str(site_release.out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_static_site_serves_the_service_pages_with_relative_links(
    static_host: str, site_settings: Settings
) -> None:
    """Each page is the service's page with its links made relative (publish.links)."""
    pages = {
        "/index.en.html": "index.en.html",
        "/doc/learning-community/rdm-makerspace.nl.html": (
            "doc/learning-community/rdm-makerspace.nl.html"
        ),
        "/def/lc.en.html": "def/lc.en.html",
        "/doc/query/communities-per-sector": "doc/query/communities-per-sector.html",
        "/doc/learning-community/rdm-makerspace.ttl": "doc/learning-community/rdm-makerspace.ttl",
    }
    with serve_app(create_app(site_settings)) as service, httpx.Client(timeout=30) as http:
        for path, stored in pages.items():
            served, static = http.get(service + path), http.get(f"{static_host}/{stored}")
            assert static.status_code == 200, stored
            if path.endswith(".ttl"):
                assert static.content == served.content, path
            else:
                assert static.text == for_file_host(served.text, path), path


def _links(page: str) -> list[str]:
    """Every href and src of a page (an HTML parser of its own, not the site's code)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(v for k, v in attrs if k in ("href", "src") and v)

    Links().feed(page)
    return found


def test_a_crawl_of_the_static_site_on_disk_finds_no_broken_link(
    site_release: PublishReport,
) -> None:
    release = site_release
    """Every link of every page resolves to a file of the site (as file:// needs), or is an
    absolute URL elsewhere; none is root-relative, none goes to a part that needs the service."""
    checked = 0
    for page in release.out.rglob("*.html"):
        here = posixpath.dirname(page.relative_to(release.out).as_posix())
        for link in _links(page.read_text(encoding="utf-8")):
            if link.startswith(("http://", "https://", "mailto:", "data:", "#")):
                continue
            assert not link.startswith("/"), (page, link)
            target = posixpath.normpath(posixpath.join(here, link.split("#")[0]))
            assert (release.out / target).is_file(), (page, link)
            checked += 1
    assert checked > 1000
    assert "sparql" not in (release.out / "index.en.html").read_text().lower().split("<main")[0]


def test_publish_with_an_endpoint_links_the_live_service(
    site_settings: Settings, tmp_path: Path
) -> None:
    report = publish(site_settings, tmp_path / "site", endpoint="https://lcgraph.example.org")
    landing = (report.out / "index.en.html").read_text(encoding="utf-8")
    assert 'href="https://lcgraph.example.org/sparql"' in landing
    assert 'href="https://lcgraph.example.org/api/queries"' in landing
    assert 'href="https://lcgraph.example.org/dashboard"' in landing
    page = (report.out / "doc/learning-community/rdm-makerspace.en.html").read_text()
    assert 'href="https://lcgraph.example.org/sparql#query=' in page


def test_static_id_stub_sends_the_browser_to_the_page(static_host: str) -> None:
    stub = httpx.get(static_host + "/id/learning-community/rdm-makerspace.html").text
    assert 'url=../../doc/learning-community/rdm-makerspace.html"' in stub


def test_blank_nodes_survive_in_the_dumps(folder: Path) -> None:
    reloaded = Store()
    reloaded.load(
        gzip.decompress((folder / "lcgraph.nq.gz").read_bytes()), format=RdfFormat.N_QUADS
    )
    assert any(
        isinstance(q.object, BlankNode) for q in reloaded.quads_for_pattern(None, None, None, None)
    )


def test_the_service_makes_each_release_file_once(tmp_path: Path) -> None:
    """The first request makes the file on disk; later ones are answered from that file, and
    the files of older releases (never served again) are removed."""
    from support import build_store

    from lcgraph.releases.dumps import release_name

    store = build_store(tmp_path / "store", b'<http://e/a> <http://e/b> "c" <http://e/g> .\n')
    (store.root / "releases" / "an-old-release").mkdir(parents=True)
    release = release_name(store.revision() or "")
    settings = Settings(store=store.location, query_workers=1, queries=tmp_path)
    with serve_app(create_app(settings)) as url:
        first = httpx.get(f"{url}/dumps/{release}/lcgraph.nq.gz", timeout=30)
        kept = store.root / "releases" / release / "lcgraph.nq.gz"
        assert first.status_code == 200 and kept.read_bytes() == first.content
        kept.write_bytes(b"as kept")
        again = httpx.get(f"{url}/dumps/{release}/lcgraph.nq.gz", timeout=30)
    assert again.content == b"as kept"
    assert not (store.root / "releases" / "an-old-release").exists()


def test_the_static_site_holds_the_change_feed_as_files(static_host: str) -> None:
    """The collection, each of its pages and the Atom feed (issue 17), as the service sends
    them: a file host serves the feed too."""
    collection = httpx.get(f"{static_host}/changes.jsonld", timeout=30).json()
    assert collection["type"] == "OrderedCollection" and collection["totalItems"] > 0
    last = collection["last"].removeprefix(IRIS.base)
    page = httpx.get(static_host + last, timeout=30).json()
    assert page["type"] == "OrderedCollectionPage" and page["orderedItems"]
    atom = httpx.get(f"{static_host}/changes.atom", timeout=30)
    assert atom.status_code == 200 and b"<entry>" in atom.content

"""The release (issue 5): dumps that reload to the same graph, checksums, VoID, DCAT-AP(-NL),
and a static site that serves what the service serves.

`lcgraph publish` runs once per module over the real build of data/sources.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyshacl
import pytest
import rdflib
from conftest import STANDARDS, serve_app
from pyoxigraph import BlankNode, NamedNode, RdfFormat, Store
from rdflib.compare import isomorphic

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.publish import PublishReport, publish
from lcgraph.publish.dumps import graph_file, graph_names
from lcgraph.publish.site import internal_links
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.web.app import create_app

DCAT_SHAPES = (
    "dcat-ap-nl-300-dcat-ap-SHACL.ttl",
    "dcat-ap-nl-300-dcat-ap-nl-SHACL.ttl",
    "dcat-ap-nl-300-dcat-ap-nl-SHACL-klassebereik.ttl",
)
IRIS = Iris("https://w3id.org/lcgraph")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def settings(curated_store: EmbeddedStore) -> Settings:
    return Settings(store=curated_store.location, query_workers=1, base_iri=IRIS.base)


@pytest.fixture(scope="module")
def release(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> PublishReport:
    steps: list[str] = []
    report = publish(settings, tmp_path_factory.mktemp("release") / "site", steps.append)
    assert steps == ["dumps", "void", "dcat", "site"]
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
    dataset = rdflib.URIRef(IRIS.base + "/dataset")
    triples = {
        (s, p, o) for s, p, o, _ in _source(curated_store).quads_for_pattern(None, None, None, None)
    }
    assert int(void.value(dataset, vd.triples)) == len(triples)  # type: ignore[arg-type]
    assert void.value(dataset, vd.sparqlEndpoint) == rdflib.URIRef(IRIS.base + "/sparql")
    assert len(list(void.objects(dataset, vd.classPartition))) > 20


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
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert len(list(data.subjects(rdflib.RDF.type, dcat.Distribution))) >= 3
    assert len(list(data.subjects(rdflib.RDF.type, dcat.DataService))) == 1


def test_release_file_on_the_service_is_the_published_file(
    settings: Settings, folder: Path, release: PublishReport
) -> None:
    with serve_app(create_app(settings)) as url:
        response = httpx.get(f"{url}/dumps/{release.release}/lcgraph.nq.gz", timeout=30)
    assert response.content == (folder / "lcgraph.nq.gz").read_bytes()


@pytest.fixture(scope="module")
def static_host(release: PublishReport) -> Iterator[str]:
    """A plain file server over the site folder (no lcgraph code involved)."""
    handler = partial(_QuietHandler, directory=str(release.out))
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


def test_static_site_serves_the_same_content_as_the_service(
    static_host: str, settings: Settings, release: PublishReport
) -> None:
    todo, seen, compared = ["/index.en.html", "/index.nl.html"], set(), 0
    with serve_app(create_app(settings)) as service, httpx.Client(timeout=30) as http:
        while todo:
            path = todo.pop()
            static = http.get(static_host + path)
            assert static.status_code == 200, path
            if path.startswith("/static/"):
                continue
            assert static.content == http.get(service + path).content, path
            compared += 1
            if path.endswith(".html"):
                for link in internal_links(static.text):
                    if link not in seen:
                        seen.add(link)
                        todo.append(link)
    assert compared > 500 and release.pages >= compared
    assert any(p.endswith(".ttl") for p in seen) and any(p.startswith("/def/lc/") for p in seen)


def test_static_id_stub_sends_the_browser_to_the_page(static_host: str) -> None:
    stub = httpx.get(static_host + "/id/learning-community/rdm-makerspace.html").text
    assert 'url=/doc/learning-community/rdm-makerspace.html"' in stub


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
    from conftest import build_store

    from lcgraph.publish.dumps import release_name

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

"""The release (`lcgraph publish OUT/`): dumps with checksums, VoID, DCAT, and the static site.

    report = publish(Settings(store="var/store"), Path("build/site"))

Layout of OUT/ (the root of the static site):

    index.html, index.{en,nl}.html, doc/…, def/…, id/… (redirect stubs), static/site.css
    dumps/{version}-{revision}/lcgraph.nq.gz, lcgraph.jsonld, graphs/*.ttl,
                               void.ttl, catalog.ttl, SHA256SUMS

Modules: `urls` (the URL grammar), `describe`/`view`/`terms` (what a page shows),
`formats` (RDF twins), `dumps`, `void`, `dcat`, `site`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, serialize

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.publish import dcat, dumps, site, void
from lcgraph.store import GraphStore, open_store

Step = Callable[[str], None]


@dataclass
class PublishReport:
    """What a release wrote: its name, folder, the files with their SHA-256, the page count."""

    release: str
    out: Path
    files: dict[str, str] = field(default_factory=dict)  # path under dumps/{release} -> sha256
    pages: int = 0
    triples: int = 0


def publish(settings: Settings, out: Path, step: Step = lambda name: None) -> PublishReport:
    """Write the release of the live graph into `out`. Raises StoreError before a build."""
    with closing(open_store(settings.store, settings)) as store:
        return _release(store, settings, out, step)


def _release(store: GraphStore, settings: Settings, out: Path, step: Step) -> PublishReport:
    reader, revision = store.reader(), store.revision() or ""
    iris = Iris(settings.base_iri)
    report = PublishReport(dumps.release_name(revision), out)
    folder = out / dumps.DUMPS / report.release
    step("dumps")
    written = _write_dumps(reader, iris, folder)
    step("void")
    stats = void.statistics(reader)
    report.triples = stats.triples
    urls = [f"{iris.base}/{dumps.DUMPS}/{report.release}/{name}" for name in written]
    written["void.ttl"] = _void(stats, iris, urls)
    step("dcat")
    written["catalog.ttl"] = _catalogue(iris, report.release, written)
    for name in ("void.ttl", "catalog.ttl"):
        (folder / name).write_bytes(written[name])
    (folder / "SHA256SUMS").write_bytes(dumps.checksums(written))
    report.files = {name: dumps.sha256(data) for name, data in written.items()}
    step("site")
    report.pages = site.write_site(settings, out, reader)
    return report


def _write_dumps(reader: object, iris: Iris, folder: Path) -> dict[str, bytes]:
    written: dict[str, bytes] = {}
    for file in dumps.release_files(reader, iris):  # type: ignore[arg-type]
        data = file.make()
        target = folder / file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written[file.name] = data
    return written


def _void(stats: void.Statistics, iris: Iris, dump_urls: list[str]) -> bytes:
    triples = void.void_triples(
        stats,
        f"{iris.base}/dataset",
        iris,
        f"{iris.base}/sparql",
        [u for u in dump_urls if u.endswith(".nq.gz")],
    )

    return (
        serialize(
            [Triple(*t) for t in triples],
            format=RdfFormat.TURTLE,
            prefixes={"void": void.VOID, **iris.prefixes},
        )
        or b""
    )


def _catalogue(iris: Iris, release: str, written: dict[str, bytes]) -> bytes:
    media = {f: "text/turtle" for f in written if f.endswith(".ttl")}
    media |= {"lcgraph.nq.gz": "application/n-quads", "lcgraph.jsonld": "application/ld+json"}
    base = f"{iris.base}/{dumps.DUMPS}/{release}/"
    distributions = [
        dcat.Distribution(base + name, name, media[name], len(data), dumps.sha256(data))
        for name, data in sorted(written.items())
    ]
    graph = dcat.catalogue(
        iris, iris.base, release, datetime.now(UTC), f"{iris.base}/sparql", distributions
    )
    return graph.serialize(format="turtle").encode()


__all__ = ["PublishReport", "publish"]

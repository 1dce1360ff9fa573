"""The release (`lcgraph publish OUT/`): dumps with checksums, the delta to the previous
release, VoID, DCAT (a dataset series), and the static site.

    report = publish(Settings(store="var/store"), Path("build/site"))

Layout of OUT/ (the root of the static site):

    index.html, index.{en,nl}.html, doc/…, def/…, id/… (redirect stubs), static/site.css
    changes.jsonld, changes.page-{n}.jsonld, changes.atom (the change feed, as files)
    dumps/{version}-{revision}/lcgraph.nq.gz, lcgraph.jsonld, graphs/*.ttl,
                               delta-added.nq.gz, delta-removed.nq.gz, changes.json,
                               void.ttl, catalog.ttl, release.json, SHA256SUMS

The release folder is then kept in the history folder (`settings.history`). Everything in
it follows from the store revision and the releases kept before it: publishing the same
revision twice gives the same bytes.

Modules: `void`, `dcat` (the release's descriptions), `site` (the static site, crawled from
the app of `lcgraph.web`), `links` (the site's links for a file host), `diff` (`lcgraph diff`).
The page model is `lcgraph.pages`, the release files and history `lcgraph.releases`; both sit
below `web`, and this package above it.
"""

from __future__ import annotations

import gzip
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, serialize

from lcgraph import formats
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.pages import dataset, datasets
from lcgraph.publish import dcat, site, void
from lcgraph.releases import delta, dumps, history
from lcgraph.steps import Step
from lcgraph.store import GraphStore, Reader, open_store

STEPS = ("dumps", "delta", "void", "dcat", "history", "site")
MEDIA_TYPES = {  # a release file's suffix -> its media type
    ".ttl": formats.BY_NAME["turtle"].media_type,
    ".nq.gz": formats.BY_NAME["nquads"].media_type,
    ".jsonld": formats.BY_NAME["jsonld"].media_type,
    ".json": "application/json",
}


@dataclass
class PublishReport:
    """What a release wrote: its name, folder, the files with their SHA-256, the page count."""

    release: str
    out: Path
    files: dict[str, str] = field(default_factory=dict)  # path under dumps/{release} -> sha256
    pages: int = 0
    triples: int = 0


def publish(
    settings: Settings,
    out: Path,
    step: Step = lambda name: None,
    endpoint: str | None = None,
    site: bool = True,
) -> PublishReport:
    """Write the release of the live graph into `out` and keep it in the history folder.

    `endpoint`: root URL of a live service for the static site's links to the SPARQL editor,
    query API and dashboard (None: those links are left out). `site=False` writes the
    release without the static site (the release folder is the same). Raises StoreError
    before a build, ReleaseError when the history holds a broken release before this one."""
    with closing(open_store(settings.store, settings)) as store:
        return _release(store, settings, out, step, endpoint, site)


def _release(
    store: GraphStore,
    settings: Settings,
    out: Path,
    step: Step,
    endpoint: str | None,
    site_too: bool = True,
) -> PublishReport:
    reader, revision = store.reader(), store.revision() or ""
    iris = Iris(settings.base_iri)
    report = PublishReport(dumps.release_name(revision), out)
    folder = out / dumps.DUMPS / report.release
    issued = dumps.release_date(reader, iris)
    step("dumps")
    written = _write_dumps(reader, iris, folder)
    step("delta")
    previous = history.predecessor(settings.history, report.release, issued)
    changes = _delta(written["lcgraph.nq.gz"], previous, iris)
    previous_id = previous.id if previous else None
    header = {"release": report.release, "previous": previous_id, "issued": issued}
    written |= delta.release_files(changes, header, with_quads=previous is not None)
    info = dcat.ReleaseInfo(
        report.release,
        datetime.fromisoformat(issued) if issued else None,
        _first(settings.history, report.release, previous),
        previous_id,
    )
    step("void")
    stats = dataset.statistics(reader)
    report.triples = stats.triples
    info = replace(info, summary=dataset.summary(stats))
    written["void.ttl"] = _void(stats, iris, info, changes)
    step("dcat")
    written["catalog.ttl"] = _catalogue(settings, reader, iris, info, written)
    written[history.MANIFEST] = history.manifest(
        report.release, f"{iris.base}/dataset", revision, issued, info.previous
    )
    for name, data in written.items():
        (folder / name).write_bytes(data)
    (folder / history.SUMS).write_bytes(dumps.checksums(written))
    report.files = {name: dumps.sha256(data) for name, data in written.items()}
    step("history")
    history.keep(folder, settings.history, report.release)
    if site_too:
        step("site")
        report.pages = site.write_site(settings, out, reader, endpoint)
    return report


def _delta(nquads_gz: bytes, previous: history.Release | None, iris: Iris) -> delta.Delta:
    new = delta.lines(gzip.decompress(nquads_gz), iris)
    if previous is None:
        return delta.compare(set(), new, iris)
    old = gzip.decompress((previous.folder / "lcgraph.nq.gz").read_bytes())
    return delta.compare(delta.lines(old, iris), new, iris)


def _first(folder: Path, release: str, previous: history.Release | None) -> str:
    """The first release of the series: the oldest kept one, or this one."""
    if previous is None:
        return release
    return next(k.id for k in history.kept(folder) if k.release is not None)


def _write_dumps(reader: Reader, iris: Iris, folder: Path) -> dict[str, bytes]:
    written: dict[str, bytes] = {}
    for file in dumps.release_files(reader, iris):
        data = file.make()
        target = folder / file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written[file.name] = data
    return written


def _void(
    stats: dataset.Statistics, iris: Iris, info: dcat.ReleaseInfo, changes: delta.Delta
) -> bytes:
    release = str(dcat.release_iri(iris, info.id))
    base = f"{iris.base}/{dumps.DUMPS}/{info.id}/"
    triples = void.void_triples(
        stats, release, iris, f"{iris.base}/sparql", [base + "lcgraph.nq.gz"]
    )
    if info.previous is not None:
        previous = str(dcat.release_iri(iris, info.previous))
        triples += void.delta_triples(release, previous, base, changes.graphs, iris)
    return (
        serialize(
            [Triple(*t) for t in triples],
            format=RdfFormat.TURTLE,
            prefixes={"void": void.VOID, **iris.prefixes},
        )
        or b""
    )


def _catalogue(
    settings: Settings,
    reader: Reader,
    iris: Iris,
    info: dcat.ReleaseInfo,
    written: dict[str, bytes],
) -> bytes:
    """The catalogue: each graph file goes to its source dataset (with that licence), the
    other files to the release."""
    declared = datasets.load(settings.data, iris)
    owners: dict[str, list[str]] = {}
    for key, graphs in datasets.graphs_of(reader, iris, declared).items():
        for graph in graphs:
            owners.setdefault(f"graphs/{dumps.graph_file(graph, iris)}.ttl", []).append(key)
    licences = {d.key: d.licence or datasets.LICENCE_UNKNOWN for d in declared}
    base = f"{iris.base}/{dumps.DUMPS}/{info.id}/"
    own: list[dcat.Distribution] = []
    fed = {key for keys in owners.values() for key in keys}
    sources = {d.key: dcat.Source(d) for d in declared if d.key in fed}
    for name, data in sorted(written.items()):
        media = next(m for suffix, m in MEDIA_TYPES.items() if name.endswith(suffix))
        url, keys, size, digest = base + name, owners.get(name, []), len(data), dumps.sha256(data)
        if not keys:
            own.append(dcat.Distribution(url, name, media, size, digest))
        for key in keys:  # a graph made from several sources is a distribution of each
            iri = url if len(keys) == 1 else f"{url}#{key}"
            sources[key].distributions.append(
                dcat.Distribution(url, name, media, size, digest, licences[key], iri)
            )
    catalogue = dcat.catalogue(
        iris, iris.base, info, f"{iris.base}/sparql", own, list(sources.values())
    )
    return catalogue.serialize(format="turtle").encode()


__all__ = ["STEPS", "PublishReport", "publish"]

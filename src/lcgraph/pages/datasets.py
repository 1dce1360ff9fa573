"""The sources of the graph as datasets of their own, each with its licence (issue 13).

Stewards declare them in `{data}/datasets.yaml` (title, creator, files, origin, licence);
the build's provenance graph says which named graph was made from which file
(`<graph> prov:wasDerivedFrom <{base}/source/{dataset}/{file}>`), so a release knows the
licence of every named graph it holds. A licence the publisher does not state is written
as DCAT-AP-NL's "licence unknown" (`LICENCE_UNKNOWN`) with a `dct:rights` statement that
says so: DCAT-AP-NL requires a licence on every distribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

import yaml
from pyoxigraph import NamedNode

from lcgraph.errors import ReleaseError
from lcgraph.iris import W3C_PREFIXES, Iris
from lcgraph.store import Reader

DATASETS_FILE = "datasets.yaml"
NOT_STATED = "not stated"
LICENCE_UNKNOWN = "http://standaarden.overheid.nl/owms/terms/licentieonbekend"
NOT_STATED_TEXT = {
    "en": "The publisher of this data states no licence.",
    "nl": "De uitgever van deze gegevens vermeldt geen licentie.",
}
_FIELDS = {"title", "creator", "files", "origin", "licence"}


@dataclass(frozen=True)
class SourceDataset:
    """One declared source: its key, texts, files and where it comes from."""

    key: str
    title: dict[str, str]
    creator: str
    files: tuple[str, ...]
    licence: str | None  # an IRI; None: not stated
    origin: str | None = None


def load(folder: Path, iris: Iris) -> list[SourceDataset]:
    """The datasets declared in `folder/datasets.yaml`; none when there is no such file.

    Read again only when the file changes (its size or modification time): every HTML page
    credits its sources, and parsing the YAML took 4.4 ms of a page's 5.6 ms to render
    (benchmarks/linked_data.py). A steward's edit shows on the next page.
    Raises ReleaseError naming the file, the dataset and the field that is wrong."""
    path = folder / DATASETS_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        return []
    if not S_ISREG(stat.st_mode):
        return []
    key = (str(path), stat.st_mtime_ns, stat.st_size, iris.base)
    known = _LOADED.get(key)
    if known is None:
        declared = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("datasets")
        known = tuple(_dataset(path, k, entry, iris) for k, entry in (declared or {}).items())
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.clear()  # a few folders in practice (the project, tests' copies)
        _LOADED[key] = known
    return list(known)


_LOADED: dict[tuple[str, int, int, str], tuple[SourceDataset, ...]] = {}
_LOADED_MAX = 64


def _dataset(path: Path, key: str, entry: Any, iris: Iris) -> SourceDataset:
    def wrong(field: str, expected: str) -> ReleaseError:
        return ReleaseError(f"{path}: dataset {key!r}: field {field!r}: expected {expected}")

    if not isinstance(entry, dict) or not {"title", "creator", "files", "licence"} <= set(entry):
        raise wrong("title/creator/files/licence", "all four (and optionally origin)")
    if set(entry) - _FIELDS:
        raise wrong(sorted(set(entry) - _FIELDS)[0], f"one of {sorted(_FIELDS)}")
    title = entry["title"]
    if not isinstance(title, dict) or set(title) != {"en", "nl"}:
        raise wrong("title", "an en and an nl text")
    licence = str(entry["licence"])
    if licence != NOT_STATED and not licence.startswith(("http://", "https://")):
        raise wrong("licence", f"an http(s) IRI or {NOT_STATED!r}, not {licence!r}")
    origin = entry.get("origin")
    return SourceDataset(
        key,
        {lang: str(text) for lang, text in title.items()},
        str(entry["creator"]),
        tuple(str(f) for f in entry["files"]),
        None if licence == NOT_STATED else licence,
        _expand(str(origin), iris) if origin else None,
    )


def _expand(iri: str, iris: Iris) -> str:
    return iris.base + "/id/" + iri.removeprefix("id:") if iri.startswith("id:") else iri


def graphs_of(store: Reader, iris: Iris, datasets: list[SourceDataset]) -> dict[str, list[str]]:
    """For each dataset that fed the build, the named graphs made from its files (sorted)."""
    derived = NamedNode(W3C_PREFIXES["prov"] + "wasDerivedFrom")
    provenance = NamedNode(iris.provenance_graph)
    owner = {name: d.key for d in datasets for name in d.files}
    found: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, derived, None, provenance):
        source, graph = quad.object, quad.subject
        if not (isinstance(source, NamedNode) and isinstance(graph, NamedNode)):
            continue
        key = owner.get(source.value.rsplit("/", 1)[-1])
        if key is not None and "#" not in source.value:
            found.setdefault(key, set()).add(graph.value)
    return {d.key: sorted(found[d.key]) for d in datasets if d.key in found}

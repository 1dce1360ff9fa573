"""`lcgraph diff A B`: the delta between any two releases or stores (issue 17).

A side is a release kept in the history folder (its id), a release folder on disk (with
`release.json`), or a store (a store folder or an http(s) URL). A release is verified against
its SHA256SUMS before it is read; two releases of different datasets are refused.
"""

from __future__ import annotations

import gzip
import json
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, serialize

from lcgraph.config import Settings
from lcgraph.errors import ReleaseError
from lcgraph.iris import Iris
from lcgraph.releases import delta, history
from lcgraph.store import open_store


@dataclass(frozen=True)
class Side:
    """One side of a diff: what it is, its dataset (None for a store) and its lines."""

    name: str
    dataset: str | None
    lines: set[bytes]


def diff(settings: Settings, a: str, b: str) -> delta.Delta:
    """The delta from `a` to `b`. Raises ReleaseError for a release that is not there, is
    corrupt, or belongs to another dataset than the other side."""
    iris = Iris(settings.base_iri)
    old, new = side(settings, a, iris), side(settings, b, iris)
    if old.dataset and new.dataset and old.dataset != new.dataset:
        raise ReleaseError(
            f"releases of different datasets: {old.name} is of {old.dataset}, "
            f"{new.name} of {new.dataset}"
        )
    return delta.compare(old.lines, new.lines, iris)


def side(settings: Settings, name: str, iris: Iris) -> Side:
    """Resolve `name`: a release folder, a store folder or URL, else a kept release id."""
    path = Path(name)
    if (path / history.MANIFEST).is_file():
        return _release(history.read(path), iris)
    if name.startswith(("http://", "https://")) or (path / "current").exists():
        return _store(settings, name, iris)
    return _release(history.find(settings.history, name), iris)


def _release(release: history.Release, iris: Iris) -> Side:
    history.verify(release, ["lcgraph.nq.gz"])
    data = gzip.decompress((release.folder / "lcgraph.nq.gz").read_bytes())
    return Side(release.id, release.dataset, delta.lines(data, iris))


def _store(settings: Settings, location: str, iris: Iris) -> Side:
    with closing(open_store(location, settings.model_copy(update={"store": location}))) as store:
        reader = store.reader()
        data = serialize(reader.quads_for_pattern(None, None, None, None), format=RdfFormat.N_QUADS)
    return Side(location, None, delta.lines(data or b"", iris))


def as_json(changes: delta.Delta) -> str:
    return json.dumps(changes.summary(), indent=1)


def as_nquads(changes: delta.Delta) -> str:
    """Two sections of N-Quads, `# added` and `# removed` (comments to N-Quads parsers)."""
    parts = ["# added", *(line.decode() for line in changes.added)]
    parts += ["# removed", *(line.decode() for line in changes.removed)]
    return "\n".join(parts) + "\n"

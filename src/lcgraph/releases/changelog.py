"""The change log: every kept release's `changes.json`, read once per state of the history
folder, as the events of the change feed and per resource its first and last change.

    log = changelog.load(settings.history)
    log.events          # oldest first: (release, issued, kind, iri), kind Create/Update/Delete
    log.first[iri]      # the release (and its date) where the resource first appeared
    log.last[iri]       # … where it last changed (created, changed or removed)

The feed (`/changes`, `/changes.atom`), the resource pages (`dct:created`, `dct:modified`)
and the build (the provenance graph) all read it; a page costs a dict lookup, not a scan of
the history. The log is cached per state of the folder: the names, sizes and modification
times of each release's manifest, `changes.json` and SHA256SUMS (one `stat` each, looked at
once a second at most, and at once when the folder's own modification time says a release
came or went), so a new release, or a file changed under a kept one, makes a new log.

A release whose manifest is unreadable, or whose `changes.json` is missing or fails its
checksum in SHA256SUMS, is never skipped in silence: `errors` names it and the file, and its
readers refuse (the feed) or say so (a page) rather than show a history with a hole.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from lcgraph.errors import ReleaseError
from lcgraph.iris import W3C_PREFIXES
from lcgraph.releases import delta, history

CREATED, MODIFIED = W3C_PREFIXES["dct"] + "created", W3C_PREFIXES["dct"] + "modified"
XSD_DATETIME = NamedNode(W3C_PREFIXES["xsd"] + "dateTime")
KINDS = {"created": "Create", "changed": "Update", "removed": "Delete"}  # changes.json → AS2


@dataclass(frozen=True)
class Stamp:
    """A release and its build date (ISO 8601; None when the build recorded none)."""

    release: str
    issued: str | None


@dataclass(frozen=True)
class Event:
    """One resource created, changed or removed in one release."""

    release: str
    issued: str | None
    kind: str  # Create, Update or Delete (ActivityStreams 2.0 activity types)
    iri: str


@dataclass
class ReleaseChanges:
    """A kept release with the counts of its `changes.json`."""

    release: history.Release
    graphs: dict[str, dict[str, int]]  # graph -> added/removed quads
    resources: dict[str, int]  # created/changed/removed -> count


@dataclass
class ChangeLog:
    """What the history folder says changed, oldest release first."""

    releases: list[ReleaseChanges] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    first: dict[str, Stamp] = field(default_factory=dict)
    last: dict[str, Stamp] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    token: str = ""  # names the state of the history it was read from (for page caches)

    def stamps(self, iri: str) -> tuple[Stamp, Stamp] | None:
        """(first appeared, last changed) of `iri`; None when no release names it or the
        history is broken (then `errors` says why)."""
        if self.errors or iri not in self.first:
            return None
        return self.first[iri], self.last[iri]

    def check(self) -> None:
        """Raise ReleaseError with every broken release, for readers that must refuse."""
        if self.errors:
            raise ReleaseError("; ".join(self.errors))


def dated(log: ChangeLog, iri: str, stated: set[str]) -> list[Triple]:
    """`dct:created` and `dct:modified` of `iri` from the log, for its RDF twin; none where
    the graph states its own (`stated`: the predicates it has, e.g. an ontology's
    `dct:modified`), where no release names it or the release has no date."""
    stamps = log.stamps(iri)
    if stamps is None:
        return []
    node, out = NamedNode(iri), []
    for predicate, stamp in zip((CREATED, MODIFIED), stamps, strict=True):
        if stamp.issued is not None and predicate not in stated:
            out.append(
                Triple(node, NamedNode(predicate), Literal(stamp.issued, datatype=XSD_DATETIME))
            )
    return out


_CACHE: dict[Path, tuple[tuple[object, ...], ChangeLog, int, float]] = {}
_LOCK = threading.Lock()
RECHECK_S = 1.0  # a page request looks into the releases at most this often


def load(folder: Path | None, fresh: bool = False) -> ChangeLog:
    """The change log of the history `folder` (None or missing: an empty log), from the
    cache while the folder is as it was.

    `fresh`: look at the files now, not up to `RECHECK_S` late. The build needs it: a build
    right after a `lcgraph publish` (tests, scripts) got the log cached while the release was
    being written, and wrote a history without it (seen once in CI: an empty `changed-since`).
    """
    if folder is None:
        return ChangeLog()
    try:
        listing = folder.stat().st_mtime_ns  # a release kept or removed changes it
    except FileNotFoundError:
        return ChangeLog()
    now = time.monotonic()
    with _LOCK:
        cached = _CACHE.get(folder)
    if not fresh and cached is not None and cached[2] == listing and now - cached[3] < RECHECK_S:
        return cached[1]
    key = _state(folder)
    if cached is not None and cached[0] == key:
        log = cached[1]
    else:
        log = read(folder)
        log.token = hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()
    with _LOCK:
        _CACHE[folder] = (key, log, listing, now)
    return log


def read(folder: Path) -> ChangeLog:
    """The change log of `folder`, read now (every `changes.json` checked against its sum)."""
    log = ChangeLog()
    for kept in history.kept(folder):
        if kept.release is None:
            log.errors.append(kept.error or f"release {kept.id} is broken")
            continue
        try:
            history.verify(kept.release, [delta.CHANGES])
            data = json.loads((kept.release.folder / delta.CHANGES).read_text(encoding="utf-8"))
            resources: dict[str, list[str]] = data["resources"]
            graphs: dict[str, dict[str, int]] = data["graphs"]
        except ReleaseError as err:
            log.errors.append(str(err))
            continue
        except (ValueError, KeyError, TypeError) as err:
            log.errors.append(f"release {kept.id}: file {delta.CHANGES} is not readable: {err}")
            continue
        _add(log, kept.release, resources)
        counts = {name: len(resources.get(name, [])) for name in KINDS}
        log.releases.append(ReleaseChanges(kept.release, graphs, counts))
    return log


def _add(log: ChangeLog, release: history.Release, resources: dict[str, list[str]]) -> None:
    stamp = Stamp(release.id, release.issued)
    for name, kind in KINDS.items():
        for iri in resources.get(name, []):
            log.events.append(Event(release.id, release.issued, kind, iri))
            log.first.setdefault(iri, stamp)
            log.last[iri] = stamp


def _state(folder: Path) -> tuple[object, ...]:
    """Names, sizes and modification times of what the log is read from."""
    state: list[object] = []
    for entry in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for name in (history.MANIFEST, delta.CHANGES, history.SUMS):
            try:
                stat = (entry / name).stat()
                state.append((entry.name, name, stat.st_size, stat.st_mtime_ns))
            except FileNotFoundError:
                state.append((entry.name, name, None))
    return tuple(state)


def page_history(log: ChangeLog, iri: str) -> dict[str, object] | None:
    """When the resource first appeared and last changed (release, date, the release's
    changes.json), for templates/resource.html; None without a history that names it."""
    if log.errors:
        return {"error": "; ".join(log.errors)}
    stamps = log.stamps(iri)
    if stamps is None:
        return None
    return {"first": _stamp(stamps[0]), "last": _stamp(stamps[1])}


def _stamp(stamp: Stamp) -> dict[str, str | None]:
    return {
        "release": stamp.release,
        "issued": stamp.issued,
        "date": stamp.issued[:10] if stamp.issued else None,
        "href": f"/dumps/{stamp.release}/changes.json",
    }

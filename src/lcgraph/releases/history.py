"""The history folder (`LCGRAPH_HISTORY`): every release kept, each as `lcgraph publish` wrote
it, so a citation stays valid and deltas have a predecessor (issue 17).

    {history}/{release}/release.json   id, dataset, revision, issued, previous
    {history}/{release}/SHA256SUMS     every file of the release, `sha256sum -c` checks it
    {history}/{release}/…              lcgraph.nq.gz, catalog.ttl, changes.json, …

Releases are ordered by their build time, then id. A release is never silently skipped: one
whose manifest is unreadable, or a file of which is missing or fails its checksum, is reported
by `check` and `kept` (with the release and the file), and refused where it is used.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from lcgraph.errors import ReleaseError
from lcgraph.releases.dumps import sha256

MANIFEST, SUMS = "release.json", "SHA256SUMS"


@dataclass(frozen=True)
class Release:
    """A release on disk, as its manifest describes it."""

    id: str
    folder: Path
    dataset: str
    revision: str
    issued: str | None  # ISO 8601, the build's time
    previous: str | None

    @property
    def order(self) -> tuple[str, str]:
        return (self.issued or "", self.id)


@dataclass(frozen=True)
class Kept:
    """An entry of the history folder: its release, or what is wrong with it."""

    id: str
    release: Release | None
    error: str | None = None


def manifest(
    release: str, dataset: str, revision: str, issued: str | None, previous: str | None
) -> bytes:
    fields: dict[str, str | None] = {"release": release, "dataset": dataset}
    fields |= {"revision": revision, "issued": issued, "previous": previous}
    return (json.dumps(fields, indent=1) + "\n").encode()


def read(folder: Path) -> Release:
    """The release in `folder`. Raises ReleaseError when its manifest is missing or bad."""
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Release(
            data["release"],
            folder,
            data["dataset"],
            data["revision"],
            data["issued"],
            data["previous"],
        )
    except FileNotFoundError as err:
        raise ReleaseError(f"release {folder.name}: file {MANIFEST} is missing ({path})") from err
    except (ValueError, KeyError, TypeError) as err:
        raise ReleaseError(
            f"release {folder.name}: file {MANIFEST} is not readable: {err}"
        ) from err


def sums(release: Release) -> dict[str, str]:
    """File name → SHA-256 as the release's SHA256SUMS lists them."""
    path = release.folder / SUMS
    if not path.is_file():
        raise ReleaseError(f"release {release.id}: file {SUMS} is missing ({path})")
    listed = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    return listed


def verify(release: Release, names: list[str] | None = None) -> None:
    """Check the files `names` (default: all) against SHA256SUMS.

    Raises ReleaseError naming the release and the first file that is missing or differs."""
    listed = sums(release)
    for name in names if names is not None else sorted(listed):
        path = release.folder / name
        if name not in listed:
            raise ReleaseError(f"release {release.id}: file {name} is not in its {SUMS}")
        if not path.is_file():
            raise ReleaseError(f"release {release.id}: file {name} is missing ({path})")
        found = sha256(path.read_bytes())
        if found != listed[name]:
            raise ReleaseError(
                f"release {release.id}: file {name}: checksum mismatch ({SUMS} says "
                f"{listed[name]}, the file has {found})"
            )


def kept(history: Path | None) -> list[Kept]:
    """Every entry of the history folder, oldest first; broken ones say what is wrong."""
    if history is None or not history.is_dir():
        return []
    entries = []
    for folder in sorted(p for p in history.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            entries.append(Kept(folder.name, read(folder)))
        except ReleaseError as err:
            entries.append(Kept(folder.name, None, str(err)))
    return sorted(entries, key=lambda k: k.release.order if k.release else ("", k.id))


def check(history: Path | None) -> list[Kept]:
    """`kept`, with every file of every release verified (a full read of the history)."""
    checked = []
    for entry in kept(history):
        if entry.release is not None:
            try:
                verify(entry.release)
            except ReleaseError as err:
                entry = Kept(entry.id, entry.release, str(err))
        checked.append(entry)
    return checked


def find(history: Path | None, release: str) -> Release:
    """The kept release `release`. Raises ReleaseError when it is not kept, or broken."""
    entries = {k.id: k for k in kept(history)}
    entry = entries.get(release)
    if entry is None:
        names = ", ".join(entries) or "none"
        raise ReleaseError(
            f"release {release} is not in the history folder {history} (kept: {names})"
        )
    if entry.release is None:
        raise ReleaseError(entry.error or f"release {release} is broken")
    return entry.release


def predecessor(history: Path | None, release: str, issued: str | None) -> Release | None:
    """The newest kept release before (`issued`, `release`), verified; None for the first.

    Raises ReleaseError when that release, or any older entry, is broken: a delta against an
    older release than the real predecessor would be wrong without a word."""
    before = [k for k in kept(history) if k.id != release]
    before = [k for k in before if k.release is None or k.release.order < (issued or "", release)]
    for entry in before:
        if entry.release is None:
            raise ReleaseError(entry.error or f"release {entry.id} is broken")
    if not before:
        return None
    last = before[-1].release
    assert last is not None  # broken ones raised above
    verify(last)
    return last


def keep(folder: Path, history: Path, release: str) -> Path:
    """Copy the release `folder` into the history as `{history}/{release}` (a whole folder
    appears at once: copied beside it, then renamed). A kept copy with other checksums is an
    error: a release never changes."""
    target = history / release
    if target.is_dir():
        if (target / SUMS).read_bytes() != (folder / SUMS).read_bytes():
            raise ReleaseError(
                f"release {release}: the history folder holds other files ({target / SUMS} "
                f"differs from {folder / SUMS})"
            )
        return target
    history.mkdir(parents=True, exist_ok=True)
    part = history / f".{release}.part"
    shutil.rmtree(part, ignore_errors=True)
    shutil.copytree(folder, part)
    os.replace(part, target)
    return target

"""/releases (every kept release, listed) and /dumps/{release}/{file} of each (issue 17).

A release kept in the history folder (`settings.history`) is served from there at the same
URL that its catalogue gives, whether or not it is the live one; a file is checked against
the release's SHA256SUMS before it is sent (once per file state), so a corrupt file answers
500 naming the release and the file, while the service and every other release serve on.
Other releases go to the live graph's files (`routes.landing.dump`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from lcgraph.errors import ReleaseError
from lcgraph.releases import dumps, history
from lcgraph.web.deps import iris_of, settings_of
from lcgraph.web.errors import HttpProblem
from lcgraph.web.routes import landing

router = APIRouter(tags=["releases"])
_VERIFIED: set[tuple[str, int, int]] = set()  # (path, size, mtime_ns) whose checksum matched


@router.get("/releases", response_model=None)
def releases(request: Request) -> JSONResponse:
    """Every release in the history folder, oldest first; a broken one says what is wrong."""
    settings = settings_of(request)
    base = iris_of(request).base
    return JSONResponse({"releases": [_entry(k, base) for k in history.kept(settings.history)]})


def _entry(kept: history.Kept, base: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"release": kept.id, "ok": kept.error is None}
    if kept.error is not None:
        return entry | {"error": kept.error}
    release = kept.release
    assert release is not None  # a Kept without error has its release
    try:
        names = sorted(history.sums(release))
    except ReleaseError as err:
        return entry | {"ok": False, "error": str(err)}
    files = {name: f"{base}/{dumps.DUMPS}/{release.id}/{name}" for name in names}
    return entry | {"issued": release.issued, "previous": release.previous, "files": files}


@router.get("/dumps/{release}/{name:path}", response_model=None, include_in_schema=False)
def dump(release: str, name: str, request: Request) -> Response:
    """A file of a kept release (checked), else of the live graph's release."""
    folder = Path(settings_of(request).history) / release
    if not (folder / history.MANIFEST).is_file():
        return landing.dump(release, name, request)
    try:
        kept = history.read(folder)
        path = folder / name
        if name not in history.sums(kept):
            raise HttpProblem(404, f"release {release} has no file {name!r}")
        stat = path.stat() if path.is_file() else None
        key = (str(path), stat.st_size, stat.st_mtime_ns) if stat else None
        if key not in _VERIFIED:
            history.verify(kept, [name])
            _VERIFIED.add(key)  # type: ignore[arg-type]
    except ReleaseError as err:
        raise HttpProblem(500, str(err)) from err
    return FileResponse(path)

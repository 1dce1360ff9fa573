"""Deltas, `lcgraph diff` and the history folder (issue 17), on real builds of data/sources.

One CSV cell changed, one row added and one removed: the delta holds exactly those changes
and what the build infers from them; the provenance graph (which names every build) aside.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import httpx
import pytest
from support import serve_app
from typer.testing import CliRunner

from lcgraph.build import build
from lcgraph.cli import app
from lcgraph.config import Settings
from lcgraph.errors import ReleaseError
from lcgraph.iris import Iris
from lcgraph.publish.diff import diff
from lcgraph.releases import delta, history
from lcgraph.web.app import create_app

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

IRIS = Iris("https://w3id.org/lcgraph")
LC_CSV = "learning_communities.csv"
CHANGED = IRIS.base + "/id/learning-community/rdm-makerspace"
REMOVED = IRIS.base + "/id/learning-community/career-windenergie-op-zee"
CREATED = IRIS.base + "/id/learning-community/new-pilot"


def _edited(folder: Path) -> None:
    """Change rdm-makerspace's name, remove the last row, add a copy of it as a new pilot."""
    path = folder / LC_CSV
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = list(rows[0])
    rows[0]["name"] = "RDM Makerspace (renamed)"
    last = rows.pop()
    rows.append({**last, "id": "new-pilot", "name": "A new pilot"})
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str, str]:
    root = tmp_path_factory.mktemp("deltas")
    data = root / "data"
    shutil.copytree(REPO / "data" / "sources", data)
    # both from the copy: data/sources alone (the open data and rules beside it not copied)
    before = Settings(
        store=str(root / "before"), reasoner=False, data=data, history=root / "history"
    )
    build(before)
    _edited(data)
    build(Settings(store=str(root / "after"), reasoner=False, data=data))
    return before, str(root / "before"), str(root / "after")


def test_the_delta_holds_exactly_the_changed_cell_the_added_and_the_removed_row(
    stores: tuple[Settings, str, str],
) -> None:
    settings, before, after = stores
    changes = diff(settings, before, after)
    assert changes.resources["created"] == [CREATED]
    assert changes.resources["removed"] == [REMOVED]
    assert CHANGED in changes.resources["changed"]
    outside = [
        line
        for line in changes.added + changes.removed
        if not line.endswith(f"<{IRIS.provenance_graph}> .".encode())
    ]
    assert outside
    for line in outside:  # every change is about one of the three, inferred ones included
        assert any(iri.encode() in line for iri in (CHANGED, REMOVED, CREATED)), line
    names = [line for line in changes.added if b"prefLabel" in line and CHANGED.encode() in line]
    assert len(names) == 1 and b"RDM Makerspace (renamed)" in names[0]
    inferred = changes.graphs[IRIS.inferred_graph]
    assert inferred["added"] > 0 and inferred["removed"] > 0


def test_a_store_compared_with_itself_has_no_delta(stores: tuple[Settings, str, str]) -> None:
    settings, before, _ = stores
    changes = diff(settings, before, before)
    assert changes.added == [] and changes.removed == []  # blank nodes skolemised by content


def test_lcgraph_diff_prints_json_and_nquads(stores: tuple[Settings, str, str]) -> None:
    _, before, after = stores
    result = CliRunner().invoke(app, ["diff", before, after, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["resources"]["created"] == [CREATED]
    quads = CliRunner().invoke(app, ["diff", before, after, "--format", "nquads"])
    assert quads.stdout.startswith("# added\n") and "\n# removed\n" in quads.stdout
    table = CliRunner().invoke(app, ["diff", before, after])
    assert "new-pilot" in table.stdout and "created" in table.stdout


def _kept_release(settings: Settings, root: Path) -> history.Release:
    """A release folder kept in a history, made from the store's dump (no site needed)."""
    from lcgraph.publish import publish

    report = publish(
        settings.model_copy(update={"history": root / "history"}), root / "out", site=False
    )
    return history.find(root / "history", report.release)


def test_a_missing_release_a_corrupt_one_and_another_dataset_are_refused(
    stores: tuple[Settings, str, str], tmp_path: Path
) -> None:
    settings, before, _ = stores
    kept = _kept_release(settings, tmp_path)
    here = settings.model_copy(update={"history": tmp_path / "history"})
    with pytest.raises(ReleaseError, match="release no-such-release is not in the history"):
        diff(here, "no-such-release", before)
    assert diff(here, kept.id, before).added == []  # the release is the store's graph
    other = tmp_path / "other"
    shutil.copytree(kept.folder, other)
    manifest = json.loads((other / history.MANIFEST).read_text())
    (other / history.MANIFEST).write_text(json.dumps({**manifest, "dataset": "https://e/x"}))
    with pytest.raises(ReleaseError, match="releases of different datasets"):
        diff(here, kept.id, str(other))
    service = create_app(here.replace(store=before, service={"query_workers": 1}))
    with serve_app(service) as url:
        listed = httpx.get(f"{url}/releases", timeout=30).json()["releases"]
        assert [r["release"] for r in listed] == [kept.id] and listed[0]["ok"]
        dump = f"{url}/dumps/{kept.id}/catalog.ttl"
        assert httpx.get(dump, timeout=30).content == (kept.folder / "catalog.ttl").read_bytes()
        (kept.folder / "catalog.ttl").write_bytes(b"corrupt")
        broken = httpx.get(dump, timeout=30)
        assert broken.status_code == 500 and "file catalog.ttl: checksum mismatch" in broken.text
        assert httpx.get(f"{url}/health", timeout=30).status_code == 200  # it serves on
    (kept.folder / "lcgraph.nq.gz").write_bytes(b"corrupt")
    with pytest.raises(ReleaseError, match=rf"release {kept.id}: file lcgraph.nq.gz: checksum"):
        diff(here, kept.id, before)
    assert next(k.error for k in history.check(tmp_path / "history")) is not None
    result = CliRunner().invoke(
        app, ["diff", kept.id, before], env={"LCGRAPH_HISTORY": str(tmp_path / "history")}
    )
    assert result.exit_code == 1 and "checksum mismatch" in " ".join(result.output.split())


def test_skolemised_blank_nodes_are_named_by_their_content() -> None:
    one = b'_:a <http://e/p> "x" <http://e/g> .\n<http://e/s> <http://e/q> _:a <http://e/g> .\n'
    two = b'_:zz <http://e/p> "x" <http://e/g> .\n<http://e/s> <http://e/q> _:zz <http://e/g> .\n'
    assert delta.lines(one, IRIS) == delta.lines(two, IRIS)
    assert all(b"_:" not in line for line in delta.lines(one, IRIS))

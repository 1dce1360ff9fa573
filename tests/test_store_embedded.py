"""The embedded store: generations, the atomic switch, rollback and pruning."""

from __future__ import annotations

from pathlib import Path

import pytest

from lcgraph.errors import StoreError
from lcgraph.store.embedded import KEEP_GENERATIONS, EmbeddedStore

ROW = b'<http://example.org/a> <http://example.org/p> "%d" <http://example.org/g> .\n'


def _count(store: EmbeddedStore) -> int:
    rows = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    return int(rows[0]["n"].value)


def test_a_failed_stage_leaves_the_live_graph_and_no_generation_behind(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    with store.stage() as staging:
        staging.load(ROW % 1)
    live = store.revision()
    with pytest.raises(RuntimeError), store.stage() as staging:
        staging.load(ROW % 2)
        raise RuntimeError("the build failed")
    assert store.revision() == live
    assert [p.name for p in (tmp_path / "generations").iterdir()] == [live]
    assert _count(store) == 1


def test_a_stage_from_the_live_graph_starts_as_its_copy(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    with store.stage() as staging:
        staging.load(ROW % 1)
    with store.stage(from_live=True) as staging:
        staging.load(ROW % 2)
    assert _count(store) == 2


def test_the_writer_is_closed_when_the_block_ends(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    with store.stage() as staging:
        staging.load(ROW % 1)
    with pytest.raises(StoreError, match="closed"):
        staging.store  # noqa: B018 - the property raises once the build has ended


def test_many_writes_in_one_second_keep_the_live_generation(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    for value in range(KEEP_GENERATIONS + 4):
        with store.stage(from_live=value > 0) as staging:
            staging.load(ROW % value)
        live = store.revision()
        assert live is not None and (tmp_path / "generations" / live).is_dir()
        assert _count(store) == value + 1
    names = sorted(p.name for p in (tmp_path / "generations").iterdir())
    assert len(names) == KEEP_GENERATIONS and names[-1] == store.revision()

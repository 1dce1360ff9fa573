"""The embedded store: generations, the atomic switch, rollback and pruning."""

from __future__ import annotations

from pathlib import Path

import pytest

from lcgraph.errors import StoreError
from lcgraph.store.bulk_feed import BulkFeed
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


def test_a_streamed_load_in_many_pieces_loads_every_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pieces of a few lines, loaded by two threads in any order: the same set of quads
    monkeypatch.setattr(BulkFeed, "CHUNK", 200)
    store = EmbeddedStore(tmp_path)
    with store.stage() as staging, staging.loading() as out:
        for start in range(0, 3000, 100):  # writes of 100 lines, cut into pieces of ~3
            out.write(b"".join(ROW % i for i in range(start, start + 100)))
    assert _count(store) == 3000


def test_a_bad_line_in_a_streamed_load_fails_the_stage_without_waiting_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BulkFeed, "CHUNK", 200)
    store = EmbeddedStore(tmp_path)
    with store.stage() as staging:
        staging.load(ROW % 1)
    live = store.revision()
    with pytest.raises(SyntaxError), store.stage() as staging, staging.loading() as out:
        out.write(b"<http://example.org/a> <oops\n")
        for i in range(2000):  # the writer goes on while the loaders have stopped
            out.write(ROW % i)
    assert store.revision() == live
    assert _count(store) == 1


def test_an_error_while_streaming_is_the_one_raised(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    with (
        pytest.raises(RuntimeError, match="mapping failed"),
        store.stage() as staging,
        staging.loading() as out,
    ):
        out.write(b"<http://example.org/a> <oops\n")  # a loader's error, not the one raised
        raise RuntimeError("mapping failed")
    assert store.revision() is None

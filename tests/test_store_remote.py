"""The remote store against a real `oxigraph serve` on a free 127.0.0.1 port (issue 7)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Variable,
)
from remote_servers import free_port, oxigraph_server, start_oxigraph, stop
from typer.testing import CliRunner

from lcgraph.cli import app
from lcgraph.config import Settings
from lcgraph.errors import QuerySyntaxError, QueryTimeout, StoreError
from lcgraph.store import open_store
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.store.remote import RemoteStore
from lcgraph.store.remote_upload import UploadProgress, chunks

EX = "http://example.org/remote-test/"
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _counts(store: EmbeddedStore | RemoteStore) -> dict[str, int]:
    rows = store.query(GRAPH_COUNTS)
    assert isinstance(rows, QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in rows}


def _quads(graph: str, n: int, start: int = 0) -> list[Quad]:
    return [
        Quad(NamedNode(f"{EX}s/{i}"), NamedNode(f"{EX}p"), Literal(i), NamedNode(graph))
        for i in range(start, start + n)
    ]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A private, empty server for tests that change what is live."""
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


def _store(url: str, **settings: object) -> RemoteStore:
    return RemoteStore(url, Settings(store=url, **settings))  # type: ignore[arg-type]


def _build(store: RemoteStore, graphs: dict[str, int]) -> None:
    with store.stage() as staging:
        for graph, n in graphs.items():
            staging.extend(_quads(EX + graph, n))
        staging.set_meta(note="test")


# --- the curated build --------------------------------------------------------------------


def test_build_into_oxigraph_server_has_the_embedded_builds_graphs_and_counts(
    remote_curated_store: RemoteStore, curated_store: EmbeddedStore
) -> None:
    remote = _counts(remote_curated_store)
    assert remote.pop(remote_curated_store.meta_graph) == 3
    assert remote == _counts(curated_store)


def test_remote_meta_and_revision_record_the_build(remote_curated_store: RemoteStore) -> None:
    meta = remote_curated_store.meta()
    assert meta["revision"] == remote_curated_store.revision()
    assert meta["dataset"] == "curated"
    assert sum(meta["graphs"].values()) > 1000
    assert set(meta["store_graphs"]) == set(meta["graphs"])


def test_queries_return_the_embedded_stores_types(remote_curated_store: RemoteStore) -> None:
    store = remote_curated_store
    assert isinstance(
        store.query(
            "ASK { ?s a lc:LearningCommunity }", prefixes={"lc": "https://w3id.org/lcgraph/def/lc/"}
        ),
        QueryBoolean,
    )
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5")
    assert isinstance(triples, QueryTriples)
    assert len(list(triples)) == 5


def test_substitutions_travel_as_a_typed_values_block(remote_curated_store: RemoteStore) -> None:
    awkward = Literal('a "quoted" } value\n', language="nl")
    rows = remote_curated_store.query(
        "SELECT ?x ?y WHERE { BIND(1 AS ?one) }",
        substitutions={Variable("x"): awkward, Variable("y"): NamedNode(EX + "y")},
    )
    assert isinstance(rows, QuerySolutions)
    assert [(r["x"], r["y"]) for r in rows] == [(awkward, NamedNode(EX + "y"))]


def test_default_and_named_graphs_select_the_dataset(remote_curated_store: RemoteStore) -> None:
    ontology = "https://w3id.org/lcgraph/graph/ontology"
    only = remote_curated_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[ontology]
    )
    assert isinstance(only, QuerySolutions)
    assert int(next(only)["n"].value) == _counts(remote_curated_store)[ontology]


def test_a_syntax_error_is_located(remote_curated_store: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        remote_curated_store.query("SELECT * WHERE {\n ?s ?p }")
    assert caught.value.line == 2


def test_a_slow_query_stops_at_the_time_limit(
    oxigraph_url: str, remote_curated_store: object
) -> None:
    store = _store(oxigraph_url, query_timeout_s=0.3)
    with pytest.raises(QueryTimeout):
        store.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")


def test_cli_sparql_runs_against_the_server(remote_curated_store: RemoteStore) -> None:
    result = CliRunner().invoke(
        app,
        ["sparql", "ASK { ?s a lc:LearningCommunity }", "--store", remote_curated_store.location],
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "true"


def test_open_store_picks_the_remote_store_for_a_url(oxigraph_url: str) -> None:
    assert isinstance(open_store(oxigraph_url), RemoteStore)


# --- atomic publication -------------------------------------------------------------------


def test_a_failed_upload_leaves_the_live_graphs_and_no_staging_graphs(server: str) -> None:
    store = _store(server, remote_chunk_triples=10)
    _build(store, {"a": 25, "b": 5})
    before, revision = _counts(store), store.revision()

    def fail_after_first_chunk(progress: UploadProgress) -> None:
        if progress.sent > 10:
            raise RuntimeError("injected failure")

    store.progress = fail_after_first_chunk
    with pytest.raises(RuntimeError, match="injected"):
        _build(store, {"a": 30, "c": 5})
    assert _counts(store) == before
    assert store.revision() == revision
    assert not store._meta_value("http://purl.org/dc/terms/hasPart")


def test_a_server_lost_mid_upload_keeps_the_old_graph_and_is_cleaned_next_time(
    tmp_path: Path,
) -> None:
    port, folder = free_port(), tmp_path / "oxigraph"
    process = start_oxigraph(folder, port)
    url = f"http://127.0.0.1:{port}"
    store = _store(url, remote_chunk_triples=10, remote_retries=1)
    try:
        _build(store, {"a": 25})
        before, revision = _counts(store), store.revision()

        def lose_server(progress: UploadProgress) -> None:
            stop(process)

        store.progress = lose_server
        with pytest.raises(StoreError):
            _build(store, {"a": 40})
        process = start_oxigraph(folder, port)
        assert _counts(store) != before  # the staging chunk graph the lost load left behind
        assert store.revision() == revision
        store.progress = lambda progress: None
        _build(store, {"a": 7})
        assert _counts(store) == {EX + "a": 7, store.meta_graph: 3}
    finally:
        stop(process)


def test_a_rebuild_drops_graphs_it_no_longer_builds_but_never_foreign_ones(server: str) -> None:
    store = _store(server)
    store.client.update(f"INSERT DATA {{ GRAPH <{EX}foreign> {{ <{EX}x> <{EX}p> 1 }} }}")
    _build(store, {"a": 3, "b": 2})
    _build(store, {"a": 4})
    assert _counts(store) == {EX + "a": 4, EX + "foreign": 1, store.meta_graph: 3}
    assert store.meta()["previous"] is not None


def test_a_from_live_stage_uploads_only_the_graphs_it_changed(server: str) -> None:
    store = _store(server)
    _build(store, {"a": 3, "b": 2})
    sent: list[str] = []
    store.progress = lambda progress: sent.append(progress.graph)
    with store.stage(from_live=True) as staging:
        assert len(staging.store) == 5
        staging.update(f"CLEAR GRAPH <{EX}b>")
        staging.extend(_quads(EX + "b", 1, start=100))
    assert sent == [EX + "b"]
    assert _counts(store) == {EX + "a": 3, EX + "b": 1, store.meta_graph: 3}


def test_blank_nodes_stay_one_node_across_chunks(server: str) -> None:
    store = _store(server, remote_chunk_triples=2)
    node, graph = BlankNode(), NamedNode(EX + "bn")
    quads = [Quad(node, NamedNode(f"{EX}p{i}"), Literal(i), graph) for i in range(5)]
    with store.stage() as staging:
        staging.extend([*quads, *_quads(EX + "bn", 4)])
    rows = store.query("SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b ?p ?o FILTER isBlank(?b) }")
    assert isinstance(rows, QuerySolutions)
    assert int(next(rows)["n"].value) == 1


def test_chunks_keep_linked_blank_nodes_together_and_respect_the_size() -> None:
    a, b = BlankNode(), BlankNode()
    p = NamedNode(EX + "p")
    linked = [Quad(a, p, b).triple, Quad(b, p, Literal(1)).triple, Quad(a, p, Literal(2)).triple]
    plain = [q.triple for q in _quads(EX + "g", 5)]
    parts = list(chunks([*plain, *linked], size=2))
    assert [len(part) for part in parts] == [2, 2, 1, 3]
    assert set(parts[-1]) == set(linked)


# --- credentials --------------------------------------------------------------------------


def test_credentials_never_show_in_repr_location_or_errors() -> None:
    settings = Settings(
        store="http://127.0.0.1:9",
        remote_user="ann",
        remote_password="pw-secret-1",
        remote_token="tok-secret-2",
    )
    store = RemoteStore("http://ann:url-secret-3@127.0.0.1:9", settings)
    shown = " ".join(
        [repr(settings), str(settings), repr(store), store.location, repr(store.client)]
    )
    with pytest.raises(StoreError) as caught:
        store.query("ASK {}")
    shown += str(caught.value)
    for secret in ("pw-secret-1", "tok-secret-2", "url-secret-3"):
        assert secret not in shown

"""The remote store against Virtuoso Open Source (issue 7): `pytest -m remote_store`.

Installs `virtuoso-opensource` with apt-get when it is missing, starts it on loopback only
with a private virtuoso.ini, creates a user with the SPARQL_UPDATE role and builds the
curated graph into it. About 30 s once installed, so it is marked `remote_store` and can be
left out of quick runs with `-m "not remote_store"`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyoxigraph import QueryBoolean, QuerySolutions
from remote_servers import (
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    install_virtuoso,
    virtuoso_available,
    virtuoso_server,
)

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.store.remote import RemoteStore

pytestmark = pytest.mark.remote_store
BASE = "https://w3id.org/lcgraph/"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    try:
        install_virtuoso()
    except Exception as err:
        pytest.skip(f"virtuoso-opensource is not installed and could not be: {err}")
    assert virtuoso_available()
    with (
        virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as url,
        pytest.MonkeyPatch.context() as env,
    ):
        # build() opens its store from the environment's settings, as `lcgraph build` does
        env.setenv("LCGRAPH_REMOTE_SERVER", "virtuoso")
        env.setenv("LCGRAPH_REMOTE_USER", VIRTUOSO_USER)
        env.setenv("LCGRAPH_REMOTE_PASSWORD", VIRTUOSO_PASSWORD)
        env.setenv("LCGRAPH_REMOTE_CHUNK_TRIPLES", "1000")
        settings = Settings(store=url, reasoner=False)
        build(settings)
        yield RemoteStore(url, settings)


def _our_counts(store: EmbeddedStore | RemoteStore) -> dict[str, int]:
    rows = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER STRSTARTS(STR(?g), "{BASE}graph/") }} GROUP BY ?g'
    )
    assert isinstance(rows, QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in rows}


def test_virtuoso_build_has_the_embedded_builds_graphs_and_counts(
    virtuoso: RemoteStore, curated_store: EmbeddedStore
) -> None:
    remote = _our_counts(virtuoso)
    assert remote.pop(virtuoso.meta_graph) == 3
    assert remote == _our_counts(curated_store)


def test_virtuoso_answers_with_the_union_default_graph(virtuoso: RemoteStore) -> None:
    answer = virtuoso.query(
        "ASK { ?s a lc:LearningCommunity }", prefixes={"lc": "https://w3id.org/lcgraph/def/lc/"}
    )
    assert isinstance(answer, QueryBoolean)
    assert bool(answer)


def test_virtuoso_rebuild_switches_the_revision(virtuoso: RemoteStore) -> None:
    before = virtuoso.revision()
    report = build(Settings(store=virtuoso.location, reasoner=False))
    assert report.revision != before
    assert virtuoso.meta()["previous"] == before
    assert sum(_our_counts(virtuoso).values()) == report.triples + 3

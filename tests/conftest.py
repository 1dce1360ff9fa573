"""Shared fixtures: tiny stores built with the real store, and a live uvicorn on 127.0.0.1.

`protocol_server` is the read-only endpoint over the W3C protocol test data, with a 2 s
query limit, shared by the protocol tests. What tests import (serve_app, build_store, ...)
is in support.py: a test module never imports conftest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, sync_playwright
from support import ROOT, build_store, protocol_nquads, serve_app

from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore

if TYPE_CHECKING:
    from lcgraph.analysis.run import AnalysisReport

# A build reads the release history (LCGRAPH_HISTORY, default var/releases of the checkout)
# and some tests publish with the defaults: a folder of the session's own keeps the
# checkout's releases out of the tests' graphs and the tests' releases out of the checkout.
os.environ["LCGRAPH_HISTORY"] = tempfile.mkdtemp(prefix="lcgraph-test-history-")


@pytest.fixture(scope="session")
def protocol_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return build_store(tmp_path_factory.mktemp("protocol") / "store", protocol_nquads())


@pytest.fixture(scope="session")
def protocol_settings(
    protocol_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    return Settings(
        store=protocol_store.location,
        query_timeout_s=2.0,
        query_workers=2,
        # both workers for /sparql, and runaways stopped by the time limit alone: the lanes
        # and the memory limit are tested in test_load_limits.py
        query_reserved_workers=0,
        query_worker_memory_mb=0,
        max_rows=20,
        queries=tmp_path_factory.mktemp("no-queries"),
    )


@pytest.fixture(scope="session")
def protocol_server(protocol_settings: Settings) -> Iterator[str]:
    """The read-only endpoint over the protocol data; base URL, /sparql is the endpoint."""
    from lcgraph.web.app import create_app

    with serve_app(create_app(protocol_settings)) as url:
        yield url


@pytest.fixture
def server_for() -> Callable[[Settings], object]:
    """A context-manager factory: `with server_for(settings) as url:` runs a private server."""
    from lcgraph.web.app import create_app

    return lambda settings: serve_app(create_app(settings))


# --- named queries (issue 4): the curated graph, built once per session -----------------


@pytest.fixture(scope="session")
def curated_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """The real build of data/sources (no reasoner), for tests of the named queries' answers."""
    from lcgraph.build import build

    root = tmp_path_factory.mktemp("curated") / "store"
    build(Settings(store=str(root), reasoner=False))
    return EmbeddedStore(root)


@pytest.fixture(scope="session")
def small_curated_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """The build of data/sources without the open data beside it: the curated vocabularies,
    regions and pilots (~5k triples). A mapping of an open source then maps nothing (its file
    is not in the folder), so this is the graph for tests that render every page of a site,
    which for the ~12k resources of the whole build would take minutes."""
    import shutil

    from lcgraph.build import build

    base = tmp_path_factory.mktemp("small-curated")
    data = base / "data" / "sources"
    shutil.copytree(ROOT / "data" / "sources", data)
    root = base / "store"
    build(Settings(store=str(root), data=data, reasoner=False))
    return EmbeddedStore(root)


# The curated graph, built and analysed (`lcgraph analyze`) once per session, in a store of
# its own so that `curated_store` stays as the build leaves it. Betweenness is estimated from
# a sample of source nodes (the settings' own knob): exact betweenness takes most of the run.
CURATED_ANALYSIS = {"betweenness_exact_max_nodes": 500, "betweenness_samples": 64}


@pytest.fixture(scope="session")
def analysed_curated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, AnalysisReport]:
    """(settings, AnalysisReport) of the curated build after `lcgraph analyze`."""
    from lcgraph.analysis import analyze
    from lcgraph.build import build

    root = tmp_path_factory.mktemp("curated-analysed") / "store"
    settings = Settings(store=str(root), reasoner=False, **CURATED_ANALYSIS)
    build(settings)
    return settings, analyze(EmbeddedStore(root), settings)


@pytest.fixture(scope="session")
def analysed_curated_store(analysed_curated: tuple[Settings, AnalysisReport]) -> EmbeddedStore:
    return EmbeddedStore(Path(analysed_curated[0].store))


# --- remote store (issue 7): a real `oxigraph serve`, and `any_store` in both modes ------


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve` on a free 127.0.0.1 port for the whole session; stopped by PID."""
    from remote_servers import oxigraph_server

    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server") / "data") as url:
        yield url


@pytest.fixture(scope="session")
def remote_curated_store(oxigraph_url: str) -> Iterator[object]:
    """The real build of data/sources (no reasoner) published to the Oxigraph server."""
    from lcgraph.build import build
    from lcgraph.store.remote import RemoteStore

    settings = Settings(store=oxigraph_url, reasoner=False)
    build(settings)
    store = RemoteStore(oxigraph_url, settings)
    yield store
    store.close()


@pytest.fixture(scope="session", params=["embedded", "remote"])
def any_store(request: pytest.FixtureRequest) -> object:
    """The curated graph in each store mode: the embedded store, then `oxigraph serve`.

    Suites that take `any_store` instead of `curated_store` run once per mode.
    """
    name = "curated_store" if request.param == "embedded" else "remote_curated_store"
    return request.getfixturevalue(name)


# --- headless Chromium (Debian's), driven by Playwright; shared by the browser tests -------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _install_chromium() -> None:
    """Install Debian's chromium when we may (root with apt-get); silent if we may not."""
    apt_get = shutil.which("apt-get")
    if os.geteuid() != 0 or apt_get is None:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (["update", "-qq"], ["install", "-y", "-qq", "chromium"]):
        subprocess.run([apt_get, *args], env=env, capture_output=True, timeout=600)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; skipped only when it is absent and cannot be installed."""
    if not CHROMIUM.exists():
        _install_chromium()
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing and apt-get could not install it (run scripts/setup.sh --test)"
        )
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    """One Chromium per test module (Playwright's sync API owns its thread's event loop)."""
    with sync_playwright() as playwright:
        yield playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)

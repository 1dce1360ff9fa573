"""Imports point upstream only: every module of lcgraph imports its own layer or lower ones.

LAYERS lists the packages and top-level modules from the bottom up, in data-flow order; a
module may import anything in its own layer or a layer below it, never above. Nothing below
`web` imports `lcgraph.web` (the page model `pages` and the releases sit below it, and
`publish`, which crawls the app for the static site, above it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lcgraph

PACKAGE = Path(lcgraph.__file__).parent
LAYERS: list[set[str]] = [
    # foundations: values, names, errors, the table of formats, the settings
    {
        "__init__",
        "values",
        "iris",
        "errors",
        "formats",
        "config",
        "query_errors",
        "provenance",
        "lru",
    },
    {"steps"},  # a long command's steps: their callback and seconds
    {"sources"},
    {
        "mapping_source",
        "mapping_lines",
        "mapping_spec",
        "mapping_terms",
        "mapping_checks",
        "mapping",
    },
    {"ontology", "validation", "stakeholders"},
    {"sparql"},  # the SPARQL lexer, which the store and the query path both read with
    {"store"},
    {"search", "inference"},
    {"querying"},
    {"named_queries"},
    {"explore"},
    {"pages", "analysis"},  # the page model; the network analysis
    {"releases"},  # dumps, history, deltas, the change feed (pages' URLs name what changed)
    # the build writes the release history into the provenance graph
    {"build_sources", "build", "synth_tables", "synth"},
    {"web"},
    {"publish"},  # the release and the static site, crawled from the web app
    {"cli", "cli_support", "cli_query", "cli_release", "cli_ontology", "__main__"},
]
LAYER_OF = {unit: n for n, units in enumerate(LAYERS) for unit in units}


def _unit(module: Path) -> str:
    """The layer entry a module belongs to: its top-level package or module name."""
    parts = module.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imported_units(module: Path) -> set[str]:
    """The lcgraph units `module` imports (`from lcgraph import x` names unit `x` when x is
    a module or package, else the package's `__init__`)."""
    units: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "lcgraph":
                names = [f"lcgraph.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] != "lcgraph":
                continue
            top = parts[1] if len(parts) > 1 else "__init__"
            exists = (PACKAGE / top).is_dir() or (PACKAGE / f"{top}.py").is_file()
            units.add(top if exists else "__init__")
    return units


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_unit_has_a_layer() -> None:
    units = {_unit(m) for m in MODULES}
    assert sorted(units - set(LAYER_OF)) == []


@pytest.mark.parametrize("module", MODULES, ids=lambda m: str(m.relative_to(PACKAGE)))
def test_module_imports_only_its_layer_or_lower(module: Path) -> None:
    own = _unit(module)
    above = sorted(u for u in _imported_units(module) if LAYER_OF[u] > LAYER_OF[own])
    assert above == [], f"{own} (layer {LAYER_OF[own]}) imports {above} from higher layers"


def test_nothing_below_web_imports_web() -> None:
    below = [m for m in MODULES if LAYER_OF[_unit(m)] < LAYER_OF["web"]]
    offenders = [str(m.relative_to(PACKAGE)) for m in below if "web" in _imported_units(m)]
    assert offenders == []


def test_routes_read_app_state_only_through_deps() -> None:
    """`lcgraph.web.deps` is the one module that knows what lives on `app.state` (the app
    and its lifespan fill it): a route reads it with `deps`'s accessors or dependencies."""
    routes = sorted((PACKAGE / "web" / "routes").rglob("*.py"))
    readers = [
        str(m.relative_to(PACKAGE)) for m in routes if "app.state" in m.read_text(encoding="utf-8")
    ]
    assert routes and readers == []


def test_public_api_is_explicit() -> None:
    for name in lcgraph.__all__:
        assert hasattr(lcgraph, name)


def test_no_test_module_imports_conftest() -> None:
    """pytest loads conftest.py itself; what tests share lives in importable modules
    (support.py, remote_servers.py), so a fixture module is never imported twice."""
    tests = Path(__file__).parent
    importers = [
        path.name
        for path in sorted(tests.glob("*.py"))
        if "conftest" in _imported_names(path) and path.name != "conftest.py"
    ]
    assert importers == []


def _imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names

"""Imports point upstream only: sources → mapping → store → queries/web/analysis → publication."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lcgraph

PACKAGE = Path(lcgraph.__file__).parent


def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(*parts: str) -> list[Path]:
    target = PACKAGE.joinpath(*parts)
    return sorted(target.rglob("*.py")) if target.is_dir() else [target.with_suffix(".py")]


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        (("store",), "lcgraph.web"),
        (("store",), "lcgraph.analysis"),
        (("build",), "lcgraph.web"),
        (("mapping",), "lcgraph.store"),
        (("sources",), "lcgraph.mapping"),
        (("stakeholders",), "lcgraph.store"),
        (("stakeholders",), "lcgraph.build"),
        (("named_queries",), "lcgraph.web"),
        (("analysis",), "lcgraph.web"),
        (("validation",), "lcgraph.web"),
        (("inference",), "lcgraph.web"),
    ],
)
def test_lower_layer_does_not_import_higher(lower: tuple[str, ...], higher: str) -> None:
    offenders = [
        str(m.relative_to(PACKAGE))
        for m in _modules(*lower)
        if any(name.startswith(higher) for name in _imports(m))
    ]
    assert offenders == []


def test_public_api_is_explicit() -> None:
    for name in lcgraph.__all__:
        assert hasattr(lcgraph, name)

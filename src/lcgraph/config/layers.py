"""Where settings come from besides code: the project folder, its lcgraph.toml, flat names.

The project folder is where a steward keeps the graph's sources and paths: `--project DIR`,
else `$LCGRAPH_PROJECT`, else the working directory, never the install location. Its
optional `lcgraph.toml` holds top-level paths and one table per group:

    store = "var/store"
    [service]
    port = 8080

Every layer is turned into the grouped shape here (`nest`), so that the flat names of
lcgraph 0.1 (`max_rows`) and dotted ones (`service.max_rows`) land on the same field
before pydantic-settings merges the layers by precedence.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lcgraph.config.groups import flat_names
from lcgraph.errors import SettingsError

PROJECT_ENV = "LCGRAPH_PROJECT"
TOML = "lcgraph.toml"
BUNDLED = ("ontology", "queries")  # shipped as package data (src/lcgraph/bundled/)


def project_folder(given: object = None) -> Path:
    """The project folder, absolute: `given`, else $LCGRAPH_PROJECT, else the working one."""
    chosen = given if given is not None else os.environ.get(PROJECT_ENV)
    return Path(str(chosen)).absolute() if chosen else Path.cwd()


def bundled(name: str) -> Path:
    """The copy of `ontology/` or `queries/` that ships inside the lcgraph package."""
    return Path(str(resources.files("lcgraph") / "bundled" / name))


def read_toml(project: Path) -> dict[str, Any]:
    """The settings in `project/lcgraph.toml`, grouped; {} without one.

    Raises SettingsError, naming the file, when it does not parse or names the project
    folder itself (the file lives in it).
    """
    path = project / TOML
    if not path.is_file():
        return {}
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SettingsError(f"{path}: {err}") from err
    if "project" in values:
        raise SettingsError(f"{path}: 'project' cannot be set here; the file is in it")
    return nest(values)


def nest(values: Mapping[str, Any], into: dict[str, Any] | None = None) -> dict[str, Any]:
    """`values` with flat (`max_rows`) and dotted (`service.max_rows`) names moved into
    their group (`{"service": {"max_rows": ...}}`), merged over `into` (a copy); other
    names are left for the model to accept or refuse."""
    flat = flat_names()
    nested: dict[str, Any] = dict(into or {})
    for name, value in values.items():
        dotted = flat.get(name, name)
        if "." not in dotted:
            _merge(nested, name, value)
            continue
        group, field = dotted.split(".", 1)
        _merge(nested, group, {field: value})
    return nested


def _merge(nested: dict[str, Any], name: str, value: Any) -> None:
    current = nested.get(name)
    if isinstance(current, BaseModel):
        current = current.model_dump()
    if isinstance(current, dict) and isinstance(value, Mapping):
        nested[name] = {**current, **value}
    else:
        nested[name] = value


def assignments(items: Iterable[str]) -> dict[str, Any]:
    """`--set key=value` options, grouped. A value that starts with `[` or `{` is JSON (a
    list such as `service_allowlist`), as in the environment; others stay text for the
    model to parse. Raises SettingsError for an item without `=`."""
    values: dict[str, Any] = {}
    for item in items:
        name, equals, text = item.partition("=")
        if not equals or not name.strip():
            raise SettingsError(f"--set {item!r}: expected key=value (e.g. service.port=8080)")
        values[name.strip()] = _value(name.strip(), text)
    return nest(values)


def _value(name: str, text: str) -> Any:
    if not text.lstrip().startswith(("[", "{")):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise SettingsError(f"--set {name}: {text!r} is not JSON ({err})") from err

"""The settings as people read them: `lcgraph settings` and docs/settings.md."""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_settings import InitSettingsSource

from lcgraph.config.groups import GROUPS, SECRETS, flat_names
from lcgraph.config.layers import BUNDLED, bundled
from lcgraph.config.settings import Settings, layers

TOP = [name for name in Settings.model_fields if name not in GROUPS]


@dataclass(frozen=True)
class InForce:
    """One setting as `lcgraph settings` shows it."""

    group: str  # "" for the project's paths at the top
    variable: str  # its environment variable, e.g. LCGRAPH_SERVICE__PORT
    value: str  # "<hidden>" for a secret that is set
    source: str  # flag, env, toml or default ("default (package data)" for a bundled folder)


def variable(dotted: str) -> str:
    """`service.port` -> `LCGRAPH_SERVICE__PORT`."""
    return "LCGRAPH_" + dotted.upper().replace(".", "__")


def origins(flags: Mapping[str, Any]) -> dict[str, str]:
    """Dotted name -> the layer that gave it (flag, env or toml); absent: the default."""
    found: dict[str, str] = {}
    for label, source in layers(Settings, InitSettingsSource(Settings, dict(flags))):
        for name in _leaves(source()):
            found.setdefault(name, label)
    return found


def _leaves(values: Mapping[str, Any]) -> Iterator[str]:
    for name, value in values.items():
        if name not in GROUPS:
            yield name
        elif isinstance(value, Mapping):
            yield from (f"{name}.{field}" for field in value)
        else:  # a whole group given as a model
            yield from (f"{name}.{field}" for field in GROUPS[name].model_fields)


def settings_in_force(settings: Settings, flags: Mapping[str, Any]) -> list[InForce]:
    """Every setting of `settings` (made from `flags`), group by group, with its source."""
    given = origins(flags)
    rows = [_row("", name, getattr(settings, name), given) for name in TOP]
    for group in GROUPS:
        model: BaseModel = getattr(settings, group)
        fields = type(model).model_fields
        rows.extend(_row(group, name, getattr(model, name), given) for name in fields)
    return rows


def as_shell(rows: list[InForce]) -> str:
    """`rows` as `LCGRAPH_X=value  # source` lines, a `# [group]` line before each group:
    shell assignments, so that a line can be pasted."""
    lines = [(f"{row.variable}={shlex.quote(row.value)}", row.source) for row in rows]
    width = max(len(line) for line, _ in lines)
    text, group = [], None
    for row, (line, source) in zip(rows, lines, strict=True):
        if row.group != group or not text:
            group = row.group
            text.append(f"# [{group}]" if group else "# the project and its paths")
        text.append(f"{line.ljust(width)}  # {source}")
    return "\n".join(text) + "\n"


def _row(group: str, name: str, value: Any, given: dict[str, str]) -> InForce:
    dotted = f"{group}.{name}" if group else name
    source = given.get(dotted, "default")
    if source == "default" and name in BUNDLED and not group and value == bundled(name):
        source = "default (package data)"
    shown = "<hidden>" if dotted in SECRETS and value is not None else str(value)
    return InForce(group, variable(dotted), shown, source)


INTRO = """\
# Settings

lcgraph reads its settings, highest precedence first, from

1. **flags**: command-line options (`--store`, `--port`, ...) and `--set key=value`
   (`lcgraph --set service.query_timeout_s=5 serve`), or keyword arguments in code;
2. **the environment**: `LCGRAPH_<NAME>` for a top-level setting, `LCGRAPH_<GROUP>__<NAME>`
   for one in a group (`LCGRAPH_SERVICE__QUERY_TIMEOUT_S`); a list is JSON;
3. **`lcgraph.toml`** in the project folder: top-level settings, then one table per group
   (`[build]`, `[service]`, `[analysis]`, `[remote]`), names in lower case:

   ```toml
   store = "var/store"        # relative to the project folder
   data = "sources"

   [service]
   port = 8080
   query_timeout_s = 10
   ```
4. the defaults below.

The **project folder** is `--project DIR`, else `LCGRAPH_PROJECT`, else the working
directory; never the place lcgraph is installed. Relative paths in `lcgraph.toml`, the
environment and `--set` resolve against it; those given as command-line options
(`--store`, `--data`) against the working directory, as a shell user expects. Where the
project has no `ontology/` or `queries/` folder and no layer names one, lcgraph uses the
copy that ships inside the package.

The flat names of lcgraph 0.1 remain aliases: `LCGRAPH_QUERY_TIMEOUT_S`,
`--set query_timeout_s=5` and `Settings(query_timeout_s=5)` set
`service.query_timeout_s` (a nested variable wins over its alias). The alias column below
lists them.

`lcgraph settings` shows every value in force and where it comes from (flag, env, toml
or default; secrets hidden). This page is generated by
`lcgraph settings --markdown > docs/settings.md`; a test keeps it current.
"""


def settings_markdown() -> str:
    """docs/settings.md, generated from the fields declared in settings.py and groups.py."""
    lines = [INTRO, "## Paths and store", "", "| variable | default | meaning |", "|---|---|---|"]
    for name in TOP:
        field = Settings.model_fields[name]
        lines.append(f"| `{variable(name)}` | {_default(field)} | {field.description} |")
    aliases = {dotted: flat for flat, dotted in flat_names().items()}
    for group, model in GROUPS.items():
        lines += ["", f"## `[{group}]`: {model.__doc__}", ""]
        lines += ["| variable | alias | default | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            dotted = f"{group}.{name}"
            alias = f"`{variable(aliases[dotted])}`"
            lines.append(
                f"| `{variable(dotted)}` | {alias} | {_default(field)} | {field.description} |"
            )
    return "\n".join(lines) + "\n"


def _default(field: FieldInfo) -> str:
    if field.default_factory == Path.cwd:  # a bound method: equal, never the same object
        return "the working directory"
    default = field.get_default(call_default_factory=True, validated_data={})
    return f"`{default}`"

"""The settings: the project's paths at the top, one group per concern below (groups.py).

    Settings(store="var/store", service=ServiceSettings(max_rows=10))   # in code
    Settings(store="var/store", max_rows=10)                           # flat names still work
    LCGRAPH_SERVICE__MAX_ROWS=10  (alias: LCGRAPH_MAX_ROWS=10)          # in the environment
    [service] max_rows = 10                                             # in lcgraph.toml

Precedence, highest first: flags (keyword arguments: CLI options and `--set`), the
environment (a nested name before its flat alias), the project's `lcgraph.toml`, the
defaults. Relative paths resolve against the project folder (layers.py); `ontology` and
`queries` fall back to the copies lcgraph ships with when the project has none and no
layer names them, so a `pip install`ed lcgraph runs anywhere. Nothing reads settings at
import time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from lcgraph.config.groups import (
    GROUPS,
    SECRETS,
    AnalysisSettings,
    BuildSettings,
    RemoteSettings,
    ServiceSettings,
    flat_names,
)
from lcgraph.config.layers import BUNDLED, bundled, nest, project_folder, read_toml
from lcgraph.errors import SettingsError

PATHS = ("ontology", "data", "mappings", "queries", "history")


class Settings(BaseSettings):
    """lcgraph's settings; see the module docstring for where each value comes from."""

    model_config = SettingsConfigDict(
        env_prefix="LCGRAPH_", env_nested_delimiter="__", extra="forbid"
    )

    project: Path = Field(
        default_factory=Path.cwd,
        description="The project folder: relative paths resolve against it and its "
        "lcgraph.toml (if any) is read. Also `--project DIR`; default: the working directory.",
    )
    store: str = Field(
        "var/store",
        description="Where the graph lives: a folder for the embedded Oxigraph store, or the "
        "http(s) URL of a SPARQL server (the `remote` group).",
    )
    base_iri: str = Field(
        "https://w3id.org/lcgraph", description="Base of the IRIs the build mints (/id/, /def/)."
    )
    ontology: Path = Field(
        Path("ontology"),
        description="Folder with lcgraph-edit.ttl, shapes/ and qc/; where the project has "
        "none: the copy that ships with lcgraph.",
    )
    data: Path = Field(Path("data/sources"), description="Folder of source CSV files.")
    mappings: Path = Field(Path("data/mappings"), description="Folder of one YAML mapping per CSV.")
    queries: Path = Field(
        Path("queries"),
        description="Folder of named queries (*.rq); where the project has none: the ones "
        "that ship with lcgraph.",
    )
    history: Path = Field(
        Path("var/releases"),
        description="Folder where `lcgraph publish` keeps every release (dumps, deltas, "
        "checksums); the service serves them all and builds /changes from them.",
    )
    build: BuildSettings = Field(default_factory=BuildSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    remote: RemoteSettings = Field(default_factory=RemoteSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return tuple(source for _, source in layers(settings_cls, init_settings, env_settings))

    @model_validator(mode="after")
    def _in_project(self) -> Settings:
        given = set(self.model_fields_set)
        self.project = self.project.expanduser().absolute()
        for name in PATHS:
            setattr(self, name, self.project / getattr(self, name).expanduser())
        if not self.store.startswith(("http://", "https://")):
            self.store = str(self.project / Path(self.store).expanduser())
        for name in BUNDLED:
            if name not in given and not getattr(self, name).is_dir():
                setattr(self, name, bundled(name))
        return self

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes` (flat, dotted or grouped names, as `Settings(...)` takes
        them), validated again; paths already resolved stay as they are."""
        return type(self).model_validate(nest(changes, into=self.model_dump()))

    def to_json(self) -> str:
        """These settings as JSON for a process of our own (`lcgraph serve`'s HTTP workers),
        secrets included: pydantic's `model_dump_json` writes them as `**********`, which
        read back would be the password. `model_validate_json` reads it."""
        values = self.model_dump(mode="json")
        for dotted in SECRETS:
            group, name = dotted.split(".")
            secret = getattr(getattr(self, group), name)
            if isinstance(secret, SecretStr):
                values[group][name] = secret.get_secret_value()
        return json.dumps(values)


def settings_from(flags: Mapping[str, Any]) -> Settings:
    """The settings in force with `flags` on top; raises SettingsError naming each bad value."""
    try:
        return Settings(**flags)
    except ValidationError as err:
        problems = [f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in err.errors()]
        raise SettingsError("settings: " + "; ".join(problems)) from err


def layers(
    settings_cls: type[BaseSettings],
    init: PydanticBaseSettingsSource,
    env: PydanticBaseSettingsSource | None = None,
) -> list[tuple[str, PydanticBaseSettingsSource]]:
    """The sources of settings, highest precedence first, each with the name that
    `lcgraph settings` shows for it."""
    flags = _Flags(settings_cls, init)
    project = project_folder(flags().get("project"))
    return [
        ("flag", flags),
        ("env", env if env is not None else EnvSettingsSource(settings_cls)),
        ("env", _FlatEnv(settings_cls)),
        ("toml", _Toml(settings_cls, project)),
    ]


class _Source(PydanticBaseSettingsSource):
    """A source that hands pydantic-settings one grouped dict (its `__call__`)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ answers for every field at once


class _Flags(_Source):
    """Keyword arguments (CLI options, `--set`, tests), with flat and dotted names grouped."""

    def __init__(self, settings_cls: type[BaseSettings], init: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self.init = init

    def __call__(self) -> dict[str, Any]:
        return nest(self.init())


class _FlatEnv(_Source):
    """The flat variables of lcgraph 0.1 (`LCGRAPH_MAX_ROWS`), read into their group."""

    def __call__(self) -> dict[str, Any]:
        environ = {name.upper(): value for name, value in os.environ.items()}
        values = {}
        for flat, dotted in flat_names().items():
            text = environ.get(f"LCGRAPH_{flat.upper()}")
            if text is not None:
                group, name = dotted.split(".")
                field = GROUPS[group].model_fields[name]
                complex_ = self.field_is_complex(field)
                values[flat] = self.decode_complex_value(name, field, text) if complex_ else text
        return nest(values)


class _Toml(_Source):
    """The project's `lcgraph.toml`."""

    def __init__(self, settings_cls: type[BaseSettings], project: Path):
        super().__init__(settings_cls)
        self.project = project

    def __call__(self) -> dict[str, Any]:
        return read_toml(self.project)

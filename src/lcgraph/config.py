"""Settings: every knob of lcgraph, typed, defaulted and documented once.

Read from the environment with the `LCGRAPH_` prefix; the CLI passes its options in
explicitly. Nothing reads settings at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """lcgraph's settings; `Settings(store=...)` in code, `LCGRAPH_STORE=...` in the environment."""

    model_config = SettingsConfigDict(env_prefix="LCGRAPH_", extra="forbid")

    store: str = Field(
        str(PROJECT_DIR / "var" / "store"),
        description="Where the graph lives: a folder for the embedded Oxigraph store.",
    )
    base_iri: str = Field(
        "https://w3id.org/lcgraph", description="Base of the IRIs the build mints (/id/, /def/)."
    )
    ontology: Path = Field(
        PROJECT_DIR / "ontology", description="Folder with lcgraph-edit.ttl, shapes/ and qc/."
    )
    data: Path = Field(PROJECT_DIR / "data" / "sources", description="Folder of source CSV files.")
    mappings: Path = Field(
        PROJECT_DIR / "data" / "mappings", description="Folder of one YAML mapping per CSV."
    )
    queries: Path = Field(PROJECT_DIR / "queries", description="Folder of named queries (*.rq).")
    history: Path = Field(
        PROJECT_DIR / "var" / "releases",
        description="Folder where `lcgraph publish` keeps every release (dumps, deltas, "
        "checksums); the service serves them all and builds /changes from them.",
    )
    reasoner: bool = Field(
        True, description="Check ontology consistency with HermiT (needs Java) during the build."
    )
    host: str = Field("127.0.0.1", description="Address the service listens on.")
    port: int = Field(8000, description="Port the service listens on.")
    query_timeout_s: float = Field(30.0, description="Wall-clock limit for every SPARQL query.")
    query_workers: int = Field(
        4,
        description="Worker processes that run queries; more than the cores lets cheap queries "
        "run beside long ones instead of queueing behind them.",
    )
    max_concurrent_queries: int = Field(
        64,
        description="Queries admitted at once (running or waiting) per lane (docs/query-service"
        ".md): SPARQL from clients, and named queries; more get 503.",
    )
    query_reserved_workers: int = Field(
        1,
        ge=0,
        description="Query workers kept for named queries and the service's own lookups: "
        "SPARQL from clients holds at most query_workers minus these (at least one is left).",
    )
    query_worker_memory_mb: int = Field(
        1024,
        ge=0,
        description="Resident memory a query worker may reach; over it the query stops (503) "
        "and the worker is replaced. 0: no limit. Enforced where /proc exists (Linux).",
    )
    max_rows: int = Field(
        100_000, description="Rows a SELECT returns at most; a cut is announced, never silent."
    )
    max_body_bytes: int = Field(1_000_000, description="Largest request body accepted (413).")
    update_token: str | None = Field(
        None, description="Bearer token that enables SPARQL Update and Graph Store writes."
    )
    service_allowlist: list[str] = Field(
        default_factory=list,
        description="Hosts SERVICE and LOAD may reach; loopback/private ranges always refused.",
    )
    result_cache_entries: int = Field(
        512, description="Complete small query results kept in memory per store revision."
    )
    http_workers: int = Field(
        0,
        ge=0,
        description="HTTP processes of `lcgraph serve`; 0: one per CPU core. Each has its own "
        "query workers, admission cap and result cache; /metrics counts them all.",
    )
    analysis_seed: int = Field(
        42, description="Seed of every random choice in `lcgraph analyze` (sampling, Louvain)."
    )
    betweenness_exact_max_nodes: int = Field(
        5_000, description="Graphs up to this many nodes get exact betweenness; larger: sampled."
    )
    betweenness_samples: int = Field(
        8, description="Source nodes sampled for betweenness on large graphs (reported)."
    )
    brokerage_exact_max: int = Field(
        2_000, description="Up to this many stakeholders all get brokerage/constraint measures."
    )
    brokerage_sample: int = Field(
        500, description="On larger graphs, the top stakeholders by betweenness that get them."
    )
    brokerage_max_ego: int = Field(
        400, description="Neighbours on which ties are counted in larger ego networks (0: all)."
    )
    louvain_resolution: float = Field(1.0, description="Resolution of the Louvain clustering.")
    louvain_max_edges: int = Field(
        300_000,
        description="Participations Louvain clusters at most; above: a seeded sample of whole "
        "communities (its size is reported). 0: no limit.",
    )
    figure_max_nodes: int = Field(
        300, description="Nodes drawn in the network figure (highest degree first)."
    )
    # --- remote store (issue 7): used when `store` is an http(s) URL ---------------------
    remote_server: str = Field(
        "oxigraph",
        description="Kind of SPARQL server behind an http(s) `store`: oxigraph, fuseki, "
        "virtuoso, graphdb or generic; picks the endpoint paths (docs/remote-store.md).",
    )
    remote_query_path: str | None = Field(
        None, description="Query endpoint below the store URL; None: the server kind's default."
    )
    remote_update_path: str | None = Field(
        None, description="Update endpoint below the store URL; None: the server kind's default."
    )
    remote_gsp_path: str | None = Field(
        None, description="Graph Store endpoint below the store URL; None: the kind's default."
    )
    remote_user: str | None = Field(None, description="User name for the remote store.")
    remote_password: SecretStr | None = Field(
        None, description="Password for the remote store (never shown or logged)."
    )
    remote_token: SecretStr | None = Field(
        None, description="Bearer token for the remote store, instead of user and password."
    )
    remote_chunk_triples: int = Field(
        50_000, description="Triples per upload request when a build loads a remote store."
    )
    remote_retries: int = Field(
        3, description="Retries (with backoff) of a failed upload request before a build fails."
    )


SECRETS = frozenset({"update_token", "remote_password", "remote_token"})  # never shown


def settings_in_force(settings: Settings, options: set[str]) -> list[tuple[str, str, str]]:
    """(variable, value, source) for every setting, as `lcgraph settings` shows them.

    The source is "option" for a name in `options` (given on the command line), else
    "environment" when pydantic-settings read it from LCGRAPH_*, else "default". A secret
    that is set shows as "<hidden>".
    """
    rows = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if name in options:
            source = "option"
        elif name in settings.model_fields_set:
            source = "environment"
        else:
            source = "default"
        shown = "<hidden>" if name in SECRETS and value is not None else str(value)
        rows.append((f"LCGRAPH_{name.upper()}", shown, source))
    return rows


def settings_markdown() -> str:
    """The settings table of docs/settings.md, generated from the fields declared above."""
    lines = [
        "# Settings",
        "",
        "Every setting is an environment variable with the `LCGRAPH_` prefix (and, for",
        "some, a command-line option, which wins over the environment). `lcgraph settings`",
        "shows the values in force and where each comes from (option, environment or",
        "default; secrets hidden). This page is generated by",
        "`lcgraph settings --markdown > docs/settings.md`; a test keeps it current.",
        "",
        "| variable | default | meaning |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        if isinstance(default, Path):
            if default.is_relative_to(PROJECT_DIR):
                default = default.relative_to(PROJECT_DIR)
        elif isinstance(default, str) and default.startswith(str(PROJECT_DIR)):
            default = default[len(str(PROJECT_DIR)) + 1 :]
        lines.append(f"| `LCGRAPH_{name.upper()}` | `{default}` | {field.description} |")
    return "\n".join(lines) + "\n"

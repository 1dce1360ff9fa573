"""The groups of settings: building the graph, serving it, analysing it, a remote store.

Each group is one table in `lcgraph.toml` (`[service]`), one prefix in the environment
(`LCGRAPH_SERVICE__QUERY_TIMEOUT_S`) and one attribute in code (`settings.service`).
A field whose flat name of lcgraph 0.1 differs from `<field>` names it in `flat` (see
`flat_names`), so that `LCGRAPH_REMOTE_USER` keeps meaning `remote.user`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic.config import JsonDict


def _flat(name: str) -> JsonDict:
    """The field's old flat name, where it is not the field's own name."""
    return {"flat": name}


class BuildSettings(BaseModel):
    """How `lcgraph build` checks what it loads."""

    model_config = ConfigDict(extra="forbid")

    reasoner: bool = Field(
        True, description="Check ontology consistency with HermiT (needs Java) during the build."
    )


class ServiceSettings(BaseModel):
    """How the service listens and answers queries (also `lcgraph sparql` and `query`)."""

    model_config = ConfigDict(extra="forbid")

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


class AnalysisSettings(BaseModel):
    """The sizes and seeds of `lcgraph analyze`."""

    model_config = ConfigDict(extra="forbid")

    seed: int = Field(
        42,
        description="Seed of every random choice in `lcgraph analyze` (sampling, Louvain).",
        json_schema_extra=_flat("analysis_seed"),
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


class RemoteSettings(BaseModel):
    """The SPARQL server behind an http(s) `store` (issue 7, docs/remote-store.md)."""

    model_config = ConfigDict(extra="forbid")

    server: str = Field(
        "oxigraph",
        description="Kind of SPARQL server behind an http(s) `store`: oxigraph, fuseki, "
        "virtuoso, graphdb or generic; picks the endpoint paths (docs/remote-store.md).",
        json_schema_extra=_flat("remote_server"),
    )
    query_path: str | None = Field(
        None,
        description="Query endpoint below the store URL; None: the server kind's default.",
        json_schema_extra=_flat("remote_query_path"),
    )
    update_path: str | None = Field(
        None,
        description="Update endpoint below the store URL; None: the server kind's default.",
        json_schema_extra=_flat("remote_update_path"),
    )
    gsp_path: str | None = Field(
        None,
        description="Graph Store endpoint below the store URL; None: the kind's default.",
        json_schema_extra=_flat("remote_gsp_path"),
    )
    user: str | None = Field(
        None, description="User name for the remote store.", json_schema_extra=_flat("remote_user")
    )
    password: SecretStr | None = Field(
        None,
        description="Password for the remote store (never shown or logged).",
        json_schema_extra=_flat("remote_password"),
    )
    token: SecretStr | None = Field(
        None,
        description="Bearer token for the remote store, instead of user and password.",
        json_schema_extra=_flat("remote_token"),
    )
    chunk_triples: int = Field(
        50_000,
        description="Triples per upload request when a build loads a remote store.",
        json_schema_extra=_flat("remote_chunk_triples"),
    )
    retries: int = Field(
        3,
        description="Retries (with backoff) of a failed upload request before a build fails.",
        json_schema_extra=_flat("remote_retries"),
    )


GROUPS: dict[str, type[BaseModel]] = {
    "build": BuildSettings,
    "service": ServiceSettings,
    "analysis": AnalysisSettings,
    "remote": RemoteSettings,
}
SECRETS = frozenset({"service.update_token", "remote.password", "remote.token"})  # never shown


def flat_names() -> dict[str, str]:
    """Every group field's flat name of lcgraph 0.1 -> its dotted name (`max_rows` ->
    `service.max_rows`): still read from `LCGRAPH_MAX_ROWS`, `Settings(max_rows=...)` and
    `--set max_rows=...`."""
    names = {}
    for group, model in GROUPS.items():
        for name, field in model.model_fields.items():
            extra = field.json_schema_extra
            flat = extra.get("flat") if isinstance(extra, dict) else None
            names[str(flat or name)] = f"{group}.{name}"
    return names

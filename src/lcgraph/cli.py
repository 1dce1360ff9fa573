"""The `lcgraph` command line: thin commands over the library.

Every command takes `--store`; `lcgraph --project DIR --set group.name=value COMMAND`
chooses the project folder and sets any setting (docs/settings.md), over `LCGRAPH_*`
variables and the project's lcgraph.toml. A domain error prints its message (every
problem, located) and exits with status 1.
"""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Column, Table

from lcgraph.cli_ontology import ontology_app
from lcgraph.cli_query import OutputFormat
from lcgraph.cli_release import diff, publish
from lcgraph.cli_support import StoreOption, console, flags_for, out, run, settings_for, steps
from lcgraph.config import Settings, settings_from
from lcgraph.config.layers import assignments
from lcgraph.iris import Iris
from lcgraph.store import open_store

app = typer.Typer(help="lcgraph: the learning-communities knowledge graph.", no_args_is_help=True)
app.add_typer(ontology_app, name="ontology")
app.command()(publish)
app.command()(diff)


@app.callback()
def main(
    context: typer.Context,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            help="The project folder (default: LCGRAPH_PROJECT or the working directory).",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="A setting as key=value (service.port=8080; flat names too); repeatable.",
        ),
    ] = None,
) -> None:
    """lcgraph: the learning-communities knowledge graph."""
    flags = run(lambda: assignments(set_ or []))
    if project is not None:
        flags["project"] = project.absolute()
    context.obj = flags


@app.command()
def build(
    context: typer.Context,
    store: StoreOption = None,
    data: Annotated[Path | None, typer.Option(help="Folder of source CSV files.")] = None,
    reasoner: Annotated[
        bool | None,
        typer.Option(
            "--reasoner/--no-reasoner",
            help="Check the ontology's consistency with HermiT (default: build.reasoner, on).",
        ),
    ] = None,
) -> None:
    """Map, validate and load the source data into a fresh store, then switch to it."""
    from lcgraph.build import STEPS as BUILD_STEPS
    from lcgraph.build import build as run_build

    settings = settings_for(context, {"store": store, "data": data, "build.reasoner": reasoner})
    target = run(lambda: open_store(settings.store, settings))
    with closing(target), steps(BUILD_STEPS, target) as step:
        report = run(lambda: run_build(settings, step, target))
    table = Table("graph", "triples", title=f"revision {report.revision} ({report.dataset})")
    for graph, count in report.graphs.items():
        table.add_row(graph, f"{count:,}")
    table.add_row("[bold]total", f"[bold]{report.triples:,}")
    out.print(table)
    out.print("seconds: " + ", ".join(f"{k} {v}" for k, v in report.timings.items()))
    for note in report.notes():
        console.print(note, highlight=False)


@app.command()
def check(context: typer.Context, store: StoreOption = None) -> None:
    """Run the ontology's quality gates (QC queries and the HermiT reasoner); say what ran."""
    from lcgraph.validation.ontology import inspect_ontology

    settings = settings_for(context, {"store": store})
    report = run(lambda: inspect_ontology(settings.ontology, reasoner=settings.build.reasoner))
    if report.counts:
        sizes = ", ".join(f"{count:,} {name}" for name, count in report.counts.items())
        out.print(f"ontology {settings.ontology / 'lcgraph-edit.ttl'}: {sizes}")
        columns = (Column("QC query", no_wrap=True), "what it finds", "rows")
        table = Table(*columns, title="quality checks (ontology/qc/)")
        for name, what, rows in report.qc:
            table.add_row(name, what, f"[red]{rows}[/]" if rows else "0")
        out.print(table)
        out.print(_reasoner_line(report.reasoner))
    for problem in report.problems:
        console.print(f"[red]{problem}[/]", highlight=False)
    if report.problems:
        raise typer.Exit(1)
    out.print("ontology: all checks passed")


def _reasoner_line(report: Any) -> str:
    if report is None:
        return "HermiT consistency: not run (build.reasoner is false)"
    if report.error is not None:
        return f"HermiT consistency: could not run ({report.error})"
    verdict = "consistent" if report.consistent else "INCONSISTENT"
    unsatisfiable = f", {len(report.unsatisfiable)} unsatisfiable class(es)"
    return f"HermiT consistency: {verdict}{unsatisfiable} ({report.seconds:.1f} s)"


TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout", help="Stop the query after this many seconds (default: query_timeout_s)."
    ),
]


@app.command()
def sparql(
    context: typer.Context,
    query: Annotated[str, typer.Argument(help="A SPARQL query, or a file that holds one.")],
    store: StoreOption = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    timeout: TimeoutOption = None,
) -> None:
    """Run any SPARQL query against the built store, without the server."""
    from lcgraph.cli_query import run_sparql

    text = Path(query).read_text(encoding="utf-8") if Path(query).is_file() else query
    settings = settings_for(context, {"store": store})
    run(lambda: run_sparql(settings, text, format, timeout, out))


@app.command()
def query(
    context: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(help="A named query: its file name in queries/, no .rq. None: list them."),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as key=value; repeat for several."),
    ] = None,
    store: StoreOption = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    timeout: TimeoutOption = None,
) -> None:
    """Run a named query (see `docs/queries.md`) against the built store; no name: list them."""
    from lcgraph.cli_query import run_named

    settings = settings_for(context, {"store": store})
    if name is None:
        _list_queries(settings)
        return
    run(lambda: run_named(settings, name, param or [], format, timeout, out))


def _list_queries(settings: Settings) -> None:
    from lcgraph.named_queries import load_queries

    queries = run(lambda: load_queries(settings.queries, Iris(settings.base_iri)))
    columns = (Column("name", no_wrap=True), "title", "parameters")
    table = Table(*columns, title=f"named queries ({settings.queries})")
    for name, named in queries.items():
        title = named.title.get("en") or next(iter(named.title.values()), "")
        params = ", ".join(p.name + ("*" if p.required else "") for p in named.params)
        table.add_row(name, title, params)
    out.print(table)
    out.print(f"{len(queries)} queries; run one with: lcgraph query NAME [--param key=value]")


@app.command()
def synth(
    context: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the CSV files to.")],
    orgs: Annotated[int, typer.Option(help="Number of organisations.")] = 1000,
    communities: Annotated[int, typer.Option(help="Number of learning communities.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same files.")] = 42,
) -> None:
    """Write a deterministic synthetic dataset in the source CSV format, for scale tests."""
    from lcgraph.synth import write_synthetic

    sources = settings_for(context).data  # the code lists to copy
    counts = write_synthetic(out_dir, orgs, communities, seed=seed, sources=sources)
    for name, count in counts.items():
        out.print(f"{name}: {count:,} rows")


@app.command()
def serve(
    context: typer.Context,
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the graph: SPARQL endpoint and editor, named queries, linked-data pages, dashboard."""
    from lcgraph.web import serve as run_server

    run_server(settings_for(context, {"store": store, "service.host": host, "service.port": port}))


@app.command()
def analyze(
    context: typer.Context,
    store: StoreOption = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Also write CSV tables, GraphML, GEXF and figures here."),
    ] = None,
) -> None:
    """Cross-sector network analyses of the live graph, written back into it (and to --out)."""
    from lcgraph.analysis import STEPS
    from lcgraph.analysis import analyze as run_analysis

    settings = settings_for(context, {"store": store})
    with steps(STEPS) as step, closing(open_store(settings.store, settings)) as store_:
        report = run(lambda: run_analysis(store_, settings, out_dir, step))
    out.print(f"{report.quads:,} triples in {report.graph} (read revision {report.read_revision})")
    for path in report.files:
        out.print(f"wrote {path}")
    out.print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in report.timings.items()))


@app.command()
def settings(
    context: typer.Context,
    store: StoreOption = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="The defaults as docs/settings.md's table.")
    ] = False,
) -> None:
    """Show every setting's value in force, group by group, and where it comes from (flag,
    env, toml or default), one `LCGRAPH_X=value  # source` line each; secrets are hidden.
    `--markdown`: the documented defaults instead (docs/settings.md)."""
    from lcgraph.config.display import as_shell, settings_in_force, settings_markdown

    if markdown:
        sys.stdout.write(settings_markdown())
        return
    flags = flags_for(context, {"store": store})
    sys.stdout.write(as_shell(settings_in_force(run(lambda: settings_from(flags)), flags)))

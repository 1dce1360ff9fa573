"""The `lcgraph` command line: thin commands over the library.

Every command takes `--store`; `lcgraph --project DIR --set group.name=value COMMAND`
chooses the project folder and sets any setting (docs/settings.md), over `LCGRAPH_*`
variables and the project's lcgraph.toml. A domain error prints its message (every
problem, located) and exits with status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from lcgraph.cli_query import OutputFormat
from lcgraph.config import Settings, settings_from
from lcgraph.config.layers import assignments
from lcgraph.errors import LcgraphError
from lcgraph.iris import Iris
from lcgraph.store import GraphStore, open_store

app = typer.Typer(help="lcgraph: the learning-communities knowledge graph.", no_args_is_help=True)
ontology_app = typer.Typer(help="Tools for the ontology's editors.", no_args_is_help=True)
app.add_typer(ontology_app, name="ontology")
console = Console(stderr=True)
out = Console(soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Store folder or URL (default: var/store in the project)."),
]
T = TypeVar("T")


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
    flags = _run(lambda: assignments(set_ or []))
    if project is not None:
        flags["project"] = project.absolute()
    context.obj = flags


def _flags(context: typer.Context, options: dict[str, Any]) -> dict[str, Any]:
    """`--project` and `--set`, then this command's own options (those given): the flags.

    A path given as an option is taken from the working directory, as a shell user expects.
    """
    flags = dict(context.find_root().obj or {})
    for name, value in options.items():
        if value is None:
            continue
        if isinstance(value, Path):
            value = value.absolute()
        elif name == "store" and "://" not in value:
            value = str(Path(value).absolute())
        flags[name] = value
    return flags


def _settings(context: typer.Context, options: dict[str, Any] | None = None) -> Settings:
    """The settings in force: the flags (see `_flags`) over environment, toml, defaults."""
    flags = _flags(context, options or {})
    return _run(lambda: settings_from(flags))


def _run(action: Callable[[], T]) -> T:
    """Run a command's core; a domain error becomes its message and exit status 1."""
    try:
        return action()
    except LcgraphError as err:
        console.print(f"[bold red]error:[/] {err}", highlight=False)
        raise typer.Exit(1) from err


@contextmanager
def _steps(
    names: Sequence[str], store: GraphStore | None = None
) -> Iterator[Callable[[str], None]]:
    """A progress bar over named steps; the core calls `step(name)` as each one starts.

    With a remote `store`, a second bar follows its chunked upload.
    """
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(names[0], total=len(names))
        if store is not None:
            _follow_upload(progress, store)

        def step(name: str) -> None:
            done = names.index(name) if name in names else progress.tasks[0].completed
            progress.update(task, description=name, completed=done)

        try:
            yield step
        except BaseException:
            progress.live.transient = True  # the error report is the last thing shown
            raise
        progress.update(task, completed=len(names), description="done")


def _follow_upload(progress: Progress, store: GraphStore) -> None:
    from lcgraph.store.remote import RemoteStore
    from lcgraph.store.remote_upload import UploadProgress

    if not isinstance(store, RemoteStore):
        return
    task = progress.add_task("uploading", total=None, visible=False)

    def show(chunk: UploadProgress) -> None:
        name = chunk.graph.rsplit("/graph/", 1)[-1]
        progress.update(
            task,
            visible=True,
            completed=chunk.sent,
            total=chunk.total,
            description=f"uploading {name}, chunk {chunk.chunk}",
        )

    store.progress = show


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

    settings = _settings(context, {"store": store, "data": data, "build.reasoner": reasoner})
    target = _run(lambda: open_store(settings.store, settings))
    with closing(target), _steps(BUILD_STEPS, target) as step:
        report = _run(lambda: run_build(settings, step, target))
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

    settings = _settings(context, {"store": store})
    report = _run(lambda: inspect_ontology(settings.ontology, reasoner=settings.build.reasoner))
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
    settings = _settings(context, {"store": store})
    _run(lambda: run_sparql(settings, text, format, timeout, out))


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

    settings = _settings(context, {"store": store})
    if name is None:
        _list_queries(settings)
        return
    _run(lambda: run_named(settings, name, param or [], format, timeout, out))


def _list_queries(settings: Settings) -> None:
    from lcgraph.named_queries import load_queries

    queries = _run(lambda: load_queries(settings.queries, Iris(settings.base_iri)))
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

    sources = _settings(context).data  # the code lists to copy
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

    run_server(_settings(context, {"store": store, "service.host": host, "service.port": port}))


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

    settings = _settings(context, {"store": store})
    with _steps(STEPS) as step, closing(open_store(settings.store, settings)) as store_:
        report = _run(lambda: run_analysis(store_, settings, out_dir, step))
    out.print(f"{report.quads:,} triples in {report.graph} (read revision {report.read_revision})")
    for path in report.files:
        out.print(f"wrote {path}")
    out.print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in report.timings.items()))


@app.command()
def publish(
    context: typer.Context,
    out_dir: Annotated[Path, typer.Argument(help="Folder for the release and the static site.")],
    store: StoreOption = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            help="Root URL of a live service for the site's SPARQL/query/dashboard links."
        ),
    ] = None,
) -> None:
    """Write the release: dumps, delta, checksums, VoID, DCAT catalogue and the static site."""
    from lcgraph.publish import STEPS
    from lcgraph.publish import publish as run_publish

    settings = _settings(context, {"store": store})
    with _steps(STEPS) as step:
        report = _run(lambda: run_publish(settings, out_dir, step, endpoint))
    out.print(f"release {report.release}: {report.triples:,} triples, {report.pages:,} pages")
    for name, digest in report.files.items():
        out.print(f"{digest}  {name}")


class DiffFormat(StrEnum):
    table = "table"
    nquads = "nquads"
    json = "json"


@app.command()
def diff(
    context: typer.Context,
    a: Annotated[
        str, typer.Argument(help="The earlier side: a release id, release folder or store.")
    ],
    b: Annotated[str, typer.Argument(help="The later side, likewise.")],
    format: Annotated[DiffFormat, typer.Option(help="Output format.")] = DiffFormat.table,
) -> None:
    """What changed from A to B: quads per named graph, resources created/changed/removed."""
    from lcgraph.publish import diff as diffing

    changes = _run(lambda: diffing.diff(_settings(context), a, b))
    if format is DiffFormat.table:
        _print_delta(changes)
    else:
        text = diffing.as_json(changes) if format is DiffFormat.json else diffing.as_nquads(changes)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _print_delta(changes: Any) -> None:
    graphs = Table("named graph", "added", "removed")
    for graph, counts in changes.graphs.items():
        graphs.add_row(graph or "(default graph)", str(counts["added"]), str(counts["removed"]))
    out.print(graphs)
    resources = Table("resource", "change")
    for kind, iris in changes.resources.items():
        for iri in iris:
            resources.add_row(iri, kind)
    out.print(resources)


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
    flags = _flags(context, {"store": store})
    sys.stdout.write(as_shell(settings_in_force(_run(lambda: settings_from(flags)), flags)))


@ontology_app.command("normalize")
def ontology_normalize(
    context: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="Turtle file (default: the edit file and the imports).")
    ] = None,
) -> None:
    """Rewrite the ontology in a deterministic order so diffs stay reviewable."""
    from lcgraph.ontology.normalize import normalize

    folder = _settings(context).ontology
    edit_file, imports = folder / "lcgraph-edit.ttl", sorted(folder.glob("imports/*.ttl"))
    targets = [path] if path else [edit_file, *imports]
    for target in targets:
        changed = _run(lambda target=target: normalize(target))  # type: ignore[misc]
        out.print(f"{target}: {'normalized' if changed else 'already normalized'}")


@ontology_app.command("diff")
def ontology_diff(
    old: Annotated[Path, typer.Argument(help="The earlier version.")],
    new: Annotated[Path, typer.Argument(help="The later version.")],
) -> None:
    """List classes, properties and concepts added, removed or changed."""
    from lcgraph.ontology.diff import diff

    out.print(_run(lambda: diff(old, new)).render())

"""`lcgraph publish` and `lcgraph diff`: a release, and what changed between two."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from lcgraph.cli_support import StoreOption, out, run, settings_for, steps


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

    settings = settings_for(context, {"store": store})
    with steps(STEPS) as step:
        report = run(lambda: run_publish(settings, out_dir, step, endpoint))
    out.print(f"release {report.release}: {report.triples:,} triples, {report.pages:,} pages")
    for name, digest in report.files.items():
        out.print(f"{digest}  {name}")


class DiffFormat(StrEnum):
    table = "table"
    nquads = "nquads"
    json = "json"


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

    changes = run(lambda: diffing.diff(settings_for(context), a, b))
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

"""`lcgraph ontology normalize|diff`: tools for the ontology's editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lcgraph.cli_support import console, out, run, settings_for
from lcgraph.config.layers import bundled

ontology_app = typer.Typer(help="Tools for the ontology's editors.", no_args_is_help=True)


@ontology_app.command("normalize")
def ontology_normalize(
    context: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="Turtle file (default: the edit file and the imports).")
    ] = None,
) -> None:
    """Rewrite the ontology in a deterministic order so diffs stay reviewable."""
    from lcgraph.ontology.normalize import normalize

    settings = settings_for(context)
    folder = settings.ontology
    if path is None and folder == bundled("ontology"):  # never rewrite the installed package
        console.print(
            f"[bold red]error:[/] {settings.project} has no ontology/ folder: the ontology in use "
            "is lcgraph's own package data, which normalize does not rewrite (run it in a "
            "project folder with an ontology/, or give --project DIR or a file)",
            highlight=False,
        )
        raise typer.Exit(1)
    edit_file, imports = folder / "lcgraph-edit.ttl", sorted(folder.glob("imports/*.ttl"))
    targets = [path] if path else [edit_file, *imports]
    for target in targets:
        changed = run(lambda target=target: normalize(target))  # type: ignore[misc]
        out.print(f"{target}: {'normalized' if changed else 'already normalized'}")


@ontology_app.command("diff")
def ontology_diff(
    old: Annotated[Path, typer.Argument(help="The earlier version.")],
    new: Annotated[Path, typer.Argument(help="The later version.")],
) -> None:
    """List classes, properties and concepts added, removed or changed."""
    from lcgraph.ontology.diff import diff

    out.print(run(lambda: diff(old, new)).render())

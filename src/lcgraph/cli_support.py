"""What every `lcgraph` command shares: the consoles, the settings in force, the error exit
and the progress bar over a command's steps."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from lcgraph.config import Settings, settings_from
from lcgraph.errors import LcgraphError
from lcgraph.steps import Step
from lcgraph.store import GraphStore

console = Console(stderr=True)
out = Console(soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Store folder or URL (default: var/store in the project)."),
]
T = TypeVar("T")


def flags_for(context: typer.Context, options: dict[str, Any]) -> dict[str, Any]:
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


def settings_for(context: typer.Context, options: dict[str, Any] | None = None) -> Settings:
    """The settings in force: the flags (see `_flags`) over environment, toml, defaults."""
    flags = flags_for(context, options or {})
    return run(lambda: settings_from(flags))


def run(action: Callable[[], T]) -> T:
    """Run a command's core; a domain error becomes its message and exit status 1."""
    try:
        return action()
    except LcgraphError as err:
        console.print(f"[bold red]error:[/] {err}", highlight=False)
        raise typer.Exit(1) from err


@contextmanager
def steps(names: Sequence[str], store: GraphStore | None = None) -> Iterator[Step]:
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

"""Docs are generated or tested: every command, setting and route a user meets is documented."""

from __future__ import annotations

from pathlib import Path

import typer.main

from lcgraph.cli import app
from lcgraph.config.display import settings_markdown

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        names.extend(f"{name} {sub}" for sub in subcommands) if subcommands else names.append(name)
    return names


def test_every_cli_command_is_in_the_readme() -> None:
    missing = [name for name in _commands() if f"lcgraph {name}" not in README]
    assert missing == []


def test_every_cli_command_has_help() -> None:
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, name


def test_settings_page_is_current() -> None:
    page = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == settings_markdown(), "run: lcgraph settings > docs/settings.md"


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "make test " in README

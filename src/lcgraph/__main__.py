"""`python -m lcgraph` runs the CLI."""

from lcgraph.cli import app

app()

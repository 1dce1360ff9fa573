"""The HTTP face of lcgraph: a SPARQL 1.1 endpoint over the built graph (issue 3)."""

from lcgraph.web.app import create_app
from lcgraph.web.server import serve

__all__ = ["create_app", "serve"]

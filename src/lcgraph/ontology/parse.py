"""Parse a Turtle file into an rdflib Graph, turning syntax errors into located Problems.

rdflib's Turtle parser raises `BadSyntax` carrying the whole document and the character
offset where it gave up; the line and column are computed from that offset, so the
message points at the place an editor must look (1-based, as editors count).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from lcgraph.errors import Problem, ValidationFailed, relative

STAGE = "ontology"


def parse_turtle(path: Path) -> Graph:
    """The triples of the Turtle file `path`, with the prefixes it declares and no others.

    Raises ValidationFailed(stage="ontology") with one Problem (file, row=line, column)
    when the file does not parse, or when it cannot be read.
    """
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as error:
        raise ValidationFailed([syntax_problem(path, error)], stage=STAGE) from error
    except OSError as error:
        problem = Problem(file=relative(path), message=f"cannot read the file: {error.strerror}")
        raise ValidationFailed([problem], stage=STAGE) from error
    return graph


def syntax_problem(path: Path, error: BadSyntax) -> Problem:
    """A Problem at the line and column where rdflib stopped parsing."""
    text = error._str.decode("utf-8", errors="replace")
    offset = min(error._i, len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    near = text[offset : offset + 30].split("\n", 1)[0]
    return Problem(
        file=relative(path),
        row=line,
        column=column,
        value=near or None,
        message=f"Turtle syntax error: {error._why}",
    )

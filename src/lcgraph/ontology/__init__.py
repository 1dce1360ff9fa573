"""Tools for editing the ontology file: parse with located errors, normalize, diff.

Reading it with its imports is `lcgraph.ontology.load`; the quality gates (QC queries,
catalog, reasoner) live in `lcgraph.validation.ontology`.
"""

from __future__ import annotations

from lcgraph.ontology.diff import OntologyDiff, TermChange, diff
from lcgraph.ontology.normalize import normalize, render
from lcgraph.ontology.parse import parse_turtle

__all__ = ["OntologyDiff", "TermChange", "diff", "normalize", "parse_turtle", "render"]

"""A query built at /explore as a named-query file: `queries/<name>.rq` with a `#+` header.

Sparnatural writes a value the user picked from a list in place (`lc:sector <iri>`), or as
`VALUES ?Topsector_2 { <iri> }`. Each such single value becomes a typed parameter of the
named query: the IRI becomes the variable (or the VALUES block is taken out), the variable
is projected (pyoxigraph binds only projected variables), and the header declares it as
`{type: iri, class: …, default: <the chosen value>}`, so the saved query answers as the
built one did and can be asked for another sector. Values chosen together (several in one
VALUES block) stay in the query as they are.

The file is checked with the named-query loader before it is handed out: what the builder
offers for download is a file that `lcgraph serve` would load.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from lcgraph.errors import ValidationFailed
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery, load_query

_SLUG = re.compile(r"[^a-z0-9]+")
_SELECT = re.compile(r"SELECT\s+(DISTINCT\s+|REDUCED\s+)?(?P<vars>(\?\w+\s+)+)WHERE", re.I)
_INTRO = {
    "en": "Built with the guided query builder (/explore).",
    "nl": "Samengesteld met de vraagbouwer (/explore).",
}
_CHOSEN = {
    "en": "The chosen values are its parameters: ",
    "nl": "De gekozen waarden zijn haar parameters: ",
}


@dataclass(frozen=True)
class Chosen:
    """A value picked in the builder: the variable it fills, the IRI, its label and class."""

    variable: str
    iri: str
    label: str = ""
    class_iri: str | None = None


class SaveError(ValueError):
    """The built query cannot become a named query; the message says why."""


def slug(title: str) -> str:
    """A file name for `title`: lowercase words joined by hyphens."""
    return _SLUG.sub("-", title.lower()).strip("-")[:60].strip("-") or "explore-query"


def named_query_text(sparql: str, title: str, chosen: list[Chosen]) -> str:
    """The `.rq` text: header (title and description in nl and en, parameters) + SPARQL."""
    params: dict[str, dict[str, str]] = {}
    for value in chosen:
        bound = _bind(sparql, value)
        if bound is not None:
            sparql = _project(bound, value.variable)
            params[value.variable] = _param(value)
    names = ", ".join(f"{name} ({spec['description']})" for name, spec in params.items())
    header = {
        "title": {"nl": title, "en": title},
        "description": {
            lang: _INTRO[lang] + (" " + _CHOSEN[lang] + names + "." if params else "")
            for lang in ("nl", "en")
        },
        "tags": ["explore"],
        **({"params": params} if params else {}),
    }
    lines = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=1000).splitlines()
    return "".join(f"#+ {line}\n" for line in lines) + sparql.strip() + "\n"


def checked(text: str, name: str, iris: Iris) -> NamedQuery:
    """Load `text` as `name.rq` with the named-query loader; SaveError when it would fail."""
    with tempfile.TemporaryDirectory(prefix="lcgraph-explore-") as folder:
        path = Path(folder) / f"{name}.rq"
        path.write_text(text, encoding="utf-8")
        try:
            return load_query(path, iris)
        except ValidationFailed as failed:
            raise SaveError("; ".join(p.message for p in failed.problems)) from failed


def _bind(sparql: str, value: Chosen) -> str | None:
    """`sparql` with the chosen IRI turned into `?variable`, or None when it is not there.

    Sparnatural writes one chosen value inline (`lc:sector <iri>`), several as a VALUES block.
    """
    if not re.fullmatch(r"\w+", value.variable):
        return None
    iri = "<" + value.iri + ">"
    block = re.compile(
        r"VALUES\s+\?" + re.escape(value.variable) + r"\s*\{\s*" + re.escape(iri) + r"\s*\}"
    )
    if block.search(sparql):
        return block.sub("", sparql, count=1)
    if iri in sparql and f"?{value.variable}" not in sparql:
        return sparql.replace(iri, f"?{value.variable}")
    return None


def _param(value: Chosen) -> dict[str, str]:
    spec = {"type": "iri", "default": value.iri, "example": value.iri}
    if value.class_iri:
        spec["class"] = value.class_iri
    spec["description"] = value.label or value.iri
    return spec


def _project(sparql: str, variable: str) -> str:
    """`sparql` with `?variable` added to a SELECT list that lacks it (not to `SELECT *`)."""
    match = _SELECT.search(sparql)
    if match is None or f"?{variable}" in match.group("vars").split():
        return sparql
    end = match.end("vars")
    return sparql[:end] + f"?{variable} " + sparql[end:]

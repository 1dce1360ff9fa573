"""The named-query catalogue as Markdown (docs/queries.md), generated from the headers.

Regenerate with `python -m lcgraph.named_queries.catalogue > docs/queries.md`; a test fails
when the committed file differs from what the headers say.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from lcgraph.config import Settings
from lcgraph.named_queries.params import Param
from lcgraph.named_queries.query import NamedQuery, load_queries

_INTRO = """\
# Named queries

The researchers' questions as named queries: one `queries/<name>.rq` file each, with a
`#+` YAML header that declares its titles, description, typed parameters and tags.
Parameters are bound as RDF terms, never pasted into the query text. An `iri` value may be
a full IRI or a CURIE (`def:topsector/EN`, `id:organisation/...`).

This page is generated from the headers (`python -m lcgraph.named_queries.catalogue >
docs/queries.md`); do not edit it by hand.
"""


def catalogue_markdown(queries: Mapping[str, NamedQuery]) -> str:
    """The whole catalogue page: an index, then one section per query."""
    index = [
        f"| [`{q.name}`](#{q.name}) | {q.title['en']} | {', '.join(q.tags)} |"
        for q in queries.values()
    ]
    parts = [_INTRO, "| query | question | tags |", "|---|---|---|", *index, ""]
    parts.extend(_section(query) for query in queries.values())
    return "\n".join(parts)


def _section(query: NamedQuery) -> str:
    lines = [
        f"## {query.name}",
        "",
        f"**{query.title['en']}** · *{query.title['nl']}*",
        "",
        query.description["en"],
        "",
        f"> {query.description['nl']}",
        "",
    ]
    if query.params:
        lines += [
            "| parameter | type | required | default | example | description |",
            "|---|---|---|---|---|---|",
        ]
        lines += [_param_row(p) for p in query.params]
        lines.append("")
    lines += ["```sparql", query.sparql.rstrip("\n"), "```", ""]
    return "\n".join(lines)


def _param_row(param: Param) -> str:
    cells = [
        f"`{param.name}`",
        _escape(param.expected),
        "yes" if param.required else "no",
        f"`{param.default}`" if param.default is not None else "",
        f"`{param.example}`",
        _escape(param.description or ""),
    ]
    return "| " + " | ".join(cells) + " |"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def main() -> None:
    """Write the catalogue of the project's queries (or the folder given) to stdout."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Settings().queries
    sys.stdout.write(catalogue_markdown(load_queries(folder)))


if __name__ == "__main__":
    main()

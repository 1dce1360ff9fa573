"""The dataset as a whole: its title and description, and its statistics counted from the store.

What the landing page shows and what the release's VoID and DCAT say (`lcgraph.publish.void`,
`lcgraph.publish.dcat`) come from here. Counts are read from the live graph, never typed in:
triples, distinct subjects and objects, entities per class, triples per property and per named
graph. The default graph of every query is the union of the named graphs, as in the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lcgraph.iris import LC
from lcgraph.pages.describe import select
from lcgraph.store import Reader

TITLE = ("Learning communities in the Dutch topsectoren", "Leergemeenschappen in de topsectoren")
DESCRIPTION = (
    "A knowledge graph of learning communities, organisations, funded projects, regions and "
    "research themes of the Dutch topsectoren, after the 2017 research agenda of the Human "
    "Capital Agenda, with the organisations and collaborations that Dutch open data publishes.",
    "Een kennisgraaf van leergemeenschappen, organisaties, gesubsidieerde projecten, regio's en "
    "onderzoeksthema's in de Nederlandse topsectoren, naar de onderzoeksagenda 2017 van de Human "
    "Capital Agenda, met de organisaties en samenwerkingen die Nederlandse open data publiceert.",
)


@dataclass(frozen=True)
class Statistics:
    """What the graph holds, counted."""

    triples: int
    subjects: int
    objects: int
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> distinct instances
    properties: dict[str, int] = field(default_factory=dict)  # property IRI -> triples
    graphs: dict[str, int] = field(default_factory=dict)  # named graph -> quads
    sectors: dict[str, int] = field(default_factory=dict)  # topsector -> learning communities


def _pairs(store: Reader, query: str) -> dict[str, int]:
    return {row[0]: int(row[1]) for row in select(store, query)}


def _one(store: Reader, query: str) -> int:
    return int(select(store, query)[0][0])


def statistics(store: Reader) -> Statistics:
    """Count the live graph (a few aggregate queries)."""
    return Statistics(
        triples=_one(store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"),
        subjects=_one(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"),
        objects=_one(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }"),
        classes=_pairs(
            store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c ORDER BY ?c"
        ),
        properties=_pairs(
            store,
            "SELECT ?p (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } } "
            "GROUP BY ?p ORDER BY ?p",
        ),
        graphs=_pairs(
            store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        ),
        sectors=_pairs(
            store,
            f"SELECT ?sector (COUNT(DISTINCT ?lc) AS ?n) {{ ?lc a <{LC}LearningCommunity> ; "
            f"<{LC}sector> ?sector }} GROUP BY ?sector ORDER BY ?sector",
        ),
    )


# What the graph is about, in the words of the landing page and the release's description:
# (class, English plural, Dutch plural). Counted from `Statistics.classes`, never typed in.
FIGURES: tuple[tuple[str, str, str], ...] = (
    (f"{LC}Organisation", "organisations", "organisaties"),
    (f"{LC}FundedProject", "funded projects", "gesubsidieerde projecten"),
    (f"{LC}LearningCommunity", "learning communities", "leergemeenschappen"),
    (f"{LC}Participation", "participations", "deelnames"),
)


def figures(stats: Statistics) -> list[tuple[str, int, str, str]]:
    """(class, instances, English, Dutch) for each of FIGURES, zero where there are none."""
    return [(c, stats.classes.get(c, 0), en, nl) for c, en, nl in FIGURES]


def summary(stats: Statistics) -> tuple[str, str]:
    """One sentence per language (en, nl) that says what the graph holds, from its counts."""
    rows = figures(stats)
    en = ", ".join(f"{n:,} {name}" for _, n, name, _ in rows)
    nl = ", ".join(f"{dutch_number(n)} {name}" for _, n, _, name in rows)
    return (
        f"It holds {en} ({stats.triples:,} triples).",
        f"Hij bevat {nl} ({dutch_number(stats.triples)} triples).",
    )


def dutch_number(n: int) -> str:
    """1234567 as Dutch writes it: 1.234.567."""
    return f"{n:,}".replace(",", ".")


def own_classes(stats: Statistics) -> dict[str, int]:
    """The instance counts of our own classes (`lc:`), for people; VoID lists them all."""
    return {c: n for c, n in stats.classes.items() if c.startswith(LC)}

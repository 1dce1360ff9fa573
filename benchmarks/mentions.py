"""Named partners and topsector rules over the real EU projects: time, counts, samples.

    .venv/bin/python benchmarks/mentions.py                        # timings and counts
    .venv/bin/python benchmarks/mentions.py --sample 60            # mentions to label (CSV)
    .venv/bin/python benchmarks/mentions.py --topsector-sample 20  # sector inferences to label

Names come from ROR, RPO, DUO HO, mbo and the EU beneficiaries (tests/mentions_corpus.py);
the stop list is data/rules/mention-stoplist.csv. The labelled sample is kept as
tests/fixtures/mentions/sample.csv (docs/mentions.md).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import mentions_corpus  # noqa: E402

from lcgraph.iris import Iris  # noqa: E402
from lcgraph.stakeholders.mentions import Mention, find_mentions  # noqa: E402
from lcgraph.stakeholders.name_index import NameIndex, read_stoplist  # noqa: E402
from lcgraph.stakeholders.topsectors import Rule, matches, read_rules  # noqa: E402

SEED = 13


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="print N random mentions as CSV")
    parser.add_argument("--topsector-sample", type=int, default=0, help="N sector inferences")
    args = parser.parse_args()
    corpus = mentions_corpus.load()
    stop = read_stoplist(ROOT / "data" / "rules" / "mention-stoplist.csv")
    start = time.perf_counter()
    index = NameIndex(corpus.names, stop, corpus.places)
    indexed = time.perf_counter()
    mentions = find_mentions(corpus.summaries, index)
    found = time.perf_counter()
    report = {
        "organisations": len(corpus.names),
        "patterns": len(index.patterns),
        "excluded": len(index.excluded),
        "summaries": len(corpus.summaries),
        "characters": sum(len(s.text) for s in corpus.summaries),
        "index_s": round(indexed - start, 3),
        "match_s": round(found - indexed, 3),
        "mentions": len(mentions),
        "projects_with_mentions": len({m.project for m in mentions}),
        "organisations_mentioned": len({m.slug for m in mentions}),
        "common_words": index.common,
    }
    sectors = topsector_matches(corpus)
    report["projects_with_inferred_sector"] = len(sectors)
    report["sector_inferences"] = sum(len({r.topsector for r in rs}) for rs in sectors.values())
    print(json.dumps(report, indent=2), file=sys.stderr)
    if args.sample:
        texts = {s.project: s.text for s in corpus.summaries}
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["project", "slug", "start", "end", "matched", "beneficiary", "context"])
        for m in sorted(sorted(mentions, key=_draw)[: args.sample], key=_order):
            text = texts[m.project]
            context = text[max(0, m.start - 90) : m.end + 90].replace("\n", " ")
            out.writerow(
                [
                    m.project,
                    m.slug,
                    m.start,
                    m.end,
                    m.matched,
                    corpus.beneficiary[m.project],
                    context,
                ]
            )
    if args.topsector_sample:
        topsector_sample(corpus, args.topsector_sample)


def topsector_matches(corpus: mentions_corpus.Corpus) -> dict[str, list[Rule]]:
    """Project -> the rules of data/rules/topsectors.csv that give it a sector."""
    iris = Iris("https://w3id.org/lcgraph")
    with (ROOT / "data" / "sources" / "topsectoren.csv").open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    rules = read_rules(ROOT / "data" / "rules" / "topsectors.csv", codes, iris)
    return matches(rules, corpus.projects(), iris)


def topsector_sample(corpus: mentions_corpus.Corpus, size: int) -> None:
    sectors = topsector_matches(corpus)
    pairs = sorted({(p, r.topsector) for p, rs in sectors.items() for r in rs}, key=_pair_order)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["project", "topsector", "rules", "title", "beneficiary"])
    for project, sector in sorted(sorted(pairs, key=_draw)[:size], key=_pair_order):
        rules = " ".join(r.id for r in sectors[project] if r.topsector == sector)
        title = corpus.titles[project]
        out.writerow([project, sector, rules, title, corpus.beneficiary[project]])


def _draw(item: Mention | tuple[str, str]) -> str:
    """A stable random order (bottom-k by hash, salted with the seed): a change to the
    matcher that keeps a mention keeps it in the sample, so labels need not be redone."""
    key = f"{item.project}:{item.start}" if isinstance(item, Mention) else ":".join(item)
    return hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()


def _pair_order(pair: tuple[str, str]) -> tuple[int, str]:
    return int(pair[0].split("-")[1]), pair[1]


def _order(mention: Mention) -> tuple[int, str]:
    return int(mention.project.split("-")[1]), mention.slug


if __name__ == "__main__":
    main()

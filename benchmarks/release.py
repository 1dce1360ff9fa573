"""Release benchmark: the delta between two releases against writing the release's N-Quads dump.

Two builds of a synthetic data folder (~1M triples, `lcgraph.synth`): the second with 1% of
the rows changed (the name of every 100th organisation and learning community, every 100th
participation removed). Timed on the second graph, in this process, as `lcgraph publish`
does them: writing `lcgraph.nq.gz` (every quad read, sorted, serialised and gzipped:
`releases.dumps`), and the delta against the first release's `lcgraph.nq.gz` (both files
read, blank nodes skolemised, two set differences, the per-graph counts and per-resource
summary: `publish._delta`). Prints the ratio delta / dump (target <= 0.5).

    .venv/bin/python benchmarks/release.py [--orgs 30000] [--communities 6000]
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import tempfile
import time
from pathlib import Path

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.publish import _delta
from lcgraph.releases import dumps, history
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.synth import write_synthetic

EVERY = 100  # one row in a hundred changes


def _edit(folder: Path) -> int:
    """Change 1% of the rows; the number of rows changed."""
    changed = 0
    for name, column in (("organisations.csv", "name"), ("learning_communities.csv", "name")):
        rows = _read(folder / name)
        for row in rows[::EVERY]:
            row[column] += " (renamed)"
            changed += 1
        _write(folder / name, rows)
    participations = _read(folder / "participations.csv")
    kept = [row for i, row in enumerate(participations) if i % EVERY != 0]
    changed += len(participations) - len(kept)
    _write(folder / "participations.csv", kept)
    return changed


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _store(work: Path, name: str, data: Path) -> EmbeddedStore:
    settings = Settings(store=str(work / name), data=data, reasoner=False, history=work / "none")
    start = time.perf_counter()
    report = build(settings)
    print(f"build {name}: {report.triples:,} triples in {time.perf_counter() - start:.1f} s")
    return EmbeddedStore(work / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=30_000)
    parser.add_argument("--communities", type=int, default=6_000)
    args = parser.parse_args()
    iris = Iris(Settings().base_iri)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        counts = write_synthetic(work / "data", orgs=args.orgs, communities=args.communities)
        first = _store(work, "first", work / "data")
        old = work / "release-1"
        old.mkdir()
        (old / "lcgraph.nq.gz").write_bytes(dumps.release_files(first.reader(), iris)[0].make())
        first.close()
        previous = history.Release("release-1", old, f"{iris.base}/dataset", "", None, None)
        edited = work / "edited"
        shutil.copytree(work / "data", edited)
        changed = _edit(edited)
        second = _store(work, "second", edited)
        reader = second.reader()

        start = time.perf_counter()
        nquads_gz = dumps.release_files(reader, iris)[0].make()
        dump_s = time.perf_counter() - start
        start = time.perf_counter()
        delta = _delta(nquads_gz, previous, iris)
        delta_s = time.perf_counter() - start
        second.close()
    rows = sum(counts.values())
    resources = {kind: len(iris_) for kind, iris_ in delta.resources.items()}
    print(f"rows changed            {changed:,} of {rows:,} ({changed / rows:.1%})")
    print(f"quads added / removed   {len(delta.added):,} / {len(delta.removed):,}")
    print(f"resources               {resources}")
    print(f"write lcgraph.nq.gz     {dump_s:.2f} s ({len(nquads_gz) / 1e6:.1f} MB)")
    print(f"delta                   {delta_s:.2f} s")
    print(f"ratio delta/dump        {delta_s / dump_s:.2f}  (target <= 0.5)")


if __name__ == "__main__":
    main()

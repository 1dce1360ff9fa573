"""Build benchmark: `lcgraph build` on ~1M synthetic triples against pyoxigraph's bulk_load.

The peer, measured in the same run on the same machine, is the physical limit: the very
triples the build produced, dumped as N-Quads and bulk-loaded into an empty store. Prints
the ratio build time / bulk_load time (target <= 2.5) and the build's peak RSS (target
<= 2 GB). Each side runs in its own process so peak RSS is the build's alone. With
`--rounds N` the pair runs N times and the median of the paired ratios counts: on a shared
machine one pair can differ by a third from the next.

    .venv/bin/python benchmarks/build.py [--orgs 30000] [--communities 6000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD_BUILD = """
import json, resource, sys, time
from pathlib import Path
from lcgraph.build import build
from lcgraph.config import Settings
start = time.perf_counter()
report = build(Settings(store=sys.argv[1], data=Path(sys.argv[2]), reasoner=False))
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "rss": rss, "triples": report.triples,
                  "timings": report.timings}))
"""

CHILD_BULK = """
import json, resource, sys, time
from pyoxigraph import RdfFormat, Store
data = open(sys.argv[2], "rb").read()
start = time.perf_counter()
store = Store(sys.argv[1])
store.bulk_load(data, format=RdfFormat.N_QUADS)
store.flush()
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "rss": rss}))
"""


def _child(code: str, *args: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"benchmark step failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _dump(store_dir: Path, out: Path) -> None:
    from pyoxigraph import RdfFormat

    from lcgraph.store.embedded import EmbeddedStore

    reader = EmbeddedStore(store_dir).reader()
    reader.dump(str(out), format=RdfFormat.N_QUADS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=30_000)
    parser.add_argument("--communities", type=int, default=6_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    from lcgraph.synth import write_synthetic

    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_synthetic(work / "data", orgs=args.orgs, communities=args.communities)
        for round_ in range(1, args.rounds + 1):
            where = work / f"round-{round_}"
            ours = _child(CHILD_BUILD, str(where / "store"), str(work / "data"))
            _dump(where / "store", where / "dump.nq")
            peer = _child(CHILD_BULK, str(where / "bulk"), str(where / "dump.nq"))
            ratios.append(float(ours["seconds"]) / float(peer["seconds"]))  # type: ignore[arg-type]
            _report(round_, ours, peer, ratios[-1])
    if args.rounds > 1:
        print(
            f"median ratio build/bulk_load over {args.rounds} rounds  "
            f"{statistics.median(ratios):.2f}  (target <= 2.5)"
        )


def _report(round_: int, ours: dict[str, object], peer: dict[str, object], ratio: float) -> None:
    print(f"round {round_}")
    print(f"triples                 {ours['triples']:,}")
    print(f"lcgraph build           {ours['seconds']:.2f} s  (steps: {ours['timings']})")
    print(f"pyoxigraph bulk_load    {peer['seconds']:.2f} s")
    print(f"ratio build/bulk_load   {ratio:.2f}  (target <= 2.5)")
    print(f"peak RSS build          {int(ours['rss']) / 2**30:.2f} GiB  (target <= 2)")  # type: ignore[call-overload]
    print(f"peak RSS bulk_load      {int(peer['rss']) / 2**30:.2f} GiB")  # type: ignore[call-overload]


if __name__ == "__main__":
    main()

"""Soak `lcgraph serve` with a mixed load and count what a user would hit (issue 14).

    .venv/bin/python benchmarks/soak.py [--seconds 60] [--clients 16] [--organisations 90000]
        [--store DIR] [--set query_timeout_s=5 ...] [--baseline-src DIR]

The store is benchmarks/serve.py's synthetic one (90,000 organisations: ~500k triples).
`--clients` clients send, for `--seconds`, a mix of 50 % uncached point lookups, 15 % a
repeated dashboard query, 15 % linked-data pages, 10 % named queries (one small, one that
streams megabytes), 6 % malformed queries, 2 % heavy joins and 2 % oversized bodies. Every
response is read to its end and checked: a transfer that breaks off, or a 200 whose JSON or
CSV does not parse, counts as broken. Reported per kind: statuses, broken responses; for the
server: tracebacks in its log and the peak resident memory of its process tree.
`--baseline-src DIR` soaks a second service imported from DIR (src/ of another commit) in
the same run, before ours.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from serve import ID, PREFIXES, Server, free_port, open_store, running

from lcgraph.store.embedded import EmbeddedStore

JSON = "application/sparql-results+json"
NAMED = {
    "sectors": PREFIXES + "SELECT ?sector (COUNT(?o) AS ?n) WHERE { ?o lc:sector ?sector } "
    "GROUP BY ?sector",
    "members": PREFIXES + "SELECT ?c ?o WHERE { ?c lc:member ?o }",
}
HEAVY = [
    PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?a lc:sector ?s . ?b lc:sector ?s }",
    PREFIXES + "SELECT ?a ?b WHERE { ?a lc:sector ?s . ?b lc:sector ?s } ORDER BY ?b ?a",
]
MALFORMED = ["SELECT ?s WHERE { ?s ?p }", "SELEKT * WHERE { ?s ?p ?o }", "SELECT * { ?s ?p ?o"]
MIX = [("point", 50), ("repeated", 15), ("page", 15), ("named", 10), ("malformed", 6)]
MIX += [("heavy", 2), ("oversized", 2)]


def named_folder(folder: Path) -> Path:
    for name, text in NAMED.items():
        head = f"#+ title: {{nl: {name}, en: {name}}}\n#+ description: {{nl: x., en: x.}}\n"
        (folder / f"{name}.rq").write_text(head + "#+ tags: []\n" + text + "\n", "utf-8")
    return folder


def start(name: str, fields: dict[str, object], log: Path, src: Path | None) -> Server:
    code = (
        "from lcgraph.config import Settings; from lcgraph.web import serve; "
        f"serve(Settings(**{fields!r}))"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=out, stderr=out)
    return Server(name, f"http://127.0.0.1:{fields['port']}/sparql", process)


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * 4096
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def request_for(kind: str, base: str, organisations: int, rng: random.Random) -> httpx.Request:
    org = f"<{ID}organisation/o{rng.randrange(organisations)}>"
    sparql = f"{base}/sparql"
    if kind == "point":
        query = f"SELECT ?p ?o WHERE {{ {org} ?p ?o }}"
    elif kind == "repeated":
        query = NAMED["sectors"] + " ORDER BY DESC(?n)"
    elif kind == "page":
        path = f"/doc/organisation/o{rng.randrange(organisations)}"
        return httpx.Request("GET", base + path, headers={"Accept": "text/turtle"})
    elif kind == "named":
        return httpx.Request("GET", f"{base}/api/queries/{rng.choice(list(NAMED))}.csv")
    elif kind == "malformed":
        query = rng.choice(MALFORMED)
    elif kind == "heavy":
        query = rng.choice(HEAVY)
    else:
        body = b"query=" + b"x" * 1_100_000
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON}
        return httpx.Request("POST", sparql, content=body, headers=headers)
    return httpx.Request("GET", sparql, params={"query": query}, headers={"Accept": JSON})


def well_formed(response: httpx.Response) -> bool:
    if response.status_code != 200:
        return True
    kind = response.headers.get("content-type", "")
    try:
        if "json" in kind:
            json.loads(response.content)
        elif "csv" in kind:
            list(csv.reader(io.StringIO(response.text)))
    except ValueError:
        return False
    return True


async def client(
    base: str, until: float, organisations: int, seed: int, counts: collections.Counter[str]
) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    async with httpx.AsyncClient(timeout=60) as http:
        while time.monotonic() < until:
            kind = rng.choices(kinds, weights)[0]
            request = request_for(kind, base, organisations, rng)
            if kind == "named":
                kind = "named " + request.url.path.rsplit("/", 1)[-1]
            try:
                response = await http.send(request)
                outcome = str(response.status_code) if well_formed(response) else "broken"
                if response.status_code == 503:
                    problem = response.json()
                    outcome += f" {problem['type']} {problem['error'].rpartition('(')[2]}"
            except httpx.RemoteProtocolError:
                outcome = "broken"
            except httpx.TransportError as err:
                outcome = type(err).__name__
            counts[f"{kind} {outcome}"] += 1


async def soak(server: Server, args: argparse.Namespace) -> dict[str, object]:
    base = server.url.removesuffix("/sparql")
    counts: collections.Counter[str] = collections.Counter()
    until = time.monotonic() + args.seconds
    peak = 0
    clients = [
        asyncio.create_task(client(base, until, args.organisations, i, counts))
        for i in range(args.clients)
    ]
    while not all(c.done() for c in clients):
        peak = max(peak, tree_rss(server.process.pid))
        await asyncio.sleep(0.25)
    await asyncio.gather(*clients)
    return {"counts": dict(sorted(counts.items())), "peak_rss_mb": peak >> 20}


def report(name: str, found: dict[str, object], log: Path) -> None:
    text = log.read_text(errors="replace")
    counts: dict[str, int] = found["counts"]  # type: ignore[assignment]
    total = sum(counts.values())
    broken = sum(n for k, n in counts.items() if k.endswith(" broken"))
    cheap = [k for k in counts if k.split()[0] in ("point", "named", "page", "malformed")]
    busy = sum(counts[k] for k in cheap if " 503" in k)
    print(
        f"\n{name}: {total} responses, {broken} broken, {busy} 503 for cheap work, "
        f"peak RSS {found['peak_rss_mb']} MB, "
        f"{text.count('Exception in ASGI application')} 'Exception in ASGI application', "
        f"{text.count('Traceback')} tracebacks in the log"
    )
    for key, n in counts.items():
        print(f"  {key:24} {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--organisations", type=int, default=90_000)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--baseline-src", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lcgraph-soak-"))
    store: EmbeddedStore = open_store(args.store or work / "store", args.organisations)
    fields: dict[str, object] = {
        "store": str(store.location),
        "queries": str(named_folder(work)),
        "query_timeout_s": 5,
        "http_workers": 1,
        **dict(item.split("=", 1) for item in args.set),
    }
    runs = [("baseline", args.baseline_src)] if args.baseline_src else []
    for name, src in [*runs, ("lcgraph", None)]:
        log = work / f"{name}.log"
        server = start(name, {**fields, "port": free_port()}, log, src)
        with running([server]):
            found = asyncio.run(soak(server, args))
        report(name, found, log)


if __name__ == "__main__":
    main()

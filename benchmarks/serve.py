"""Benchmark `lcgraph serve` against `oxigraph serve-read-only` on the same store (issue 3).

    .venv/bin/python benchmarks/serve.py [--organisations 180000] [--seconds 10]
        [--store DIR] [--rounds 3] [--set query_workers=3 ...] [--baseline-src DIR]

Builds one store with an inline generator (organisations in sectors, learning communities
of 4-12 members; 180,000 organisations give ~1M triples), or reuses `--store`; starts
`oxigraph serve-read-only` and our service on it, on 127.0.0.1; checks that both answer
every query alike; then drives each with `wrk` (installed with apt-get when missing) and
benchmarks/wrk/sparql.lua at 8 and 32 connections, for three workloads:

- point: point lookups with a fresh random IRI per request (uncached);
- repeated: one identical dashboard query (what a polling dashboard sends);
- heavy: the mix of point lookup, GROUP BY count, join + GROUP BY, two-hop co-membership,
  regex label search with OPTIONAL and CONSTRUCT, one picked at random per request.

Our service runs with its defaults (30 s time limit, SERVICE/LOAD guard, row limit, result
cache, one HTTP process per core); `--set NAME=VALUE` overrides a Settings field.
`--baseline-src DIR` adds a third server, our service imported from DIR (a copy of src/ from
before a change), so that a before/after comparison runs on the same machine in the same
run. Requests per second count 2xx answers only; other statuses are shown, and `cpu us/req`
is the CPU (user + system, from /proc) that the server's processes spent per 2xx answer
during the run, which says how much of a throughput gap is cost per request. Between runs the
driver waits until the CPUs are idle, since neither server stops a query whose client went
away.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lcgraph.store.embedded import EmbeddedStore

ID = "https://w3id.org/lcgraph/id/"
LC = "https://w3id.org/lcgraph/def/lc/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PREFIXES = f"PREFIX lc: <{LC}> PREFIX rdfs: <{RDFS}> "
WORDS = ["Agri", "Energie", "Zorg", "Water", "Logistiek", "Chemie", "Creatief", "HTSM", "Tuinbouw"]
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk" / "sparql.lua"

# Query templates; benchmarks/wrk/sparql.lua fills @org@, @community@ and @n100@ per request.
QUERIES = {
    "point": "SELECT ?p ?o WHERE { @org@ ?p ?o }",
    "group_count": "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
    "join_group": PREFIXES + "SELECT ?sector (COUNT(DISTINCT ?c) AS ?n) WHERE "
    "{ ?c lc:member ?o . ?o lc:sector ?sector } GROUP BY ?sector",
    "two_hop": PREFIXES + "SELECT DISTINCT ?other WHERE "
    "{ @org@ ^lc:member ?c . ?c lc:member ?other }",
    "regex_optional": PREFIXES + "SELECT ?o ?label ?sector WHERE { ?o rdfs:label ?label "
    'FILTER(REGEX(?label, "^Organisatie @n100@1 ")) '
    "OPTIONAL { ?o lc:sector ?sector } } LIMIT 50",
    "construct": "CONSTRUCT WHERE { @community@ ?p ?o }",
    "dashboard": PREFIXES + "SELECT ?sector (COUNT(?o) AS ?n) WHERE { ?o lc:sector ?sector } "
    "GROUP BY ?sector ORDER BY DESC(?n)",
}
HEAVY = ["point", "group_count", "join_group", "two_hop", "regex_optional", "construct"]
WORKLOADS = {"point": ["point"], "repeated": ["dashboard"], "heavy": HEAVY}
# workload -> (least requests/s ratio, largest p99 ratio or None): issue 3, "Speed"
TARGETS = {"point": (0.4, None), "repeated": (1.0, None), "heavy": (0.9, 1.2)}


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]


@dataclass(frozen=True)
class Result:
    """One wrk run: 2xx answers per second, latency percentiles, failures."""

    rps: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int
    cpu_us: float = 0.0  # CPU (user + system) of the server's processes per 2xx answer


def generate(organisations: int, seed: int = 7) -> bytes:
    """N-Quads: organisations in sectors, communities of 4-12 member organisations."""
    rng = random.Random(seed)
    graph = f"<{ID}graph/synthetic>"
    lines = []
    for i in range(organisations):
        org = f"<{ID}organisation/o{i}>"
        lines += [
            f"{org} <{RDF_TYPE}> <{LC}Organisation> {graph} .",
            f'{org} <{RDFS}label> "Organisatie {i} {rng.choice(WORDS)}" {graph} .',
            f"{org} <{LC}sector> <{ID}sector/{rng.randrange(9)}> {graph} .",
        ]
    for j in range(organisations // 4):
        community = f"<{ID}learning-community/c{j}>"
        lines += [
            f"{community} <{RDF_TYPE}> <{LC}LearningCommunity> {graph} .",
            f'{community} <{RDFS}label> "Leergemeenschap {j}" {graph} .',
        ]
        for member in rng.sample(range(organisations), rng.randint(4, 12)):
            lines.append(f"{community} <{LC}member> <{ID}organisation/o{member}> {graph} .")
    return ("\n".join(lines) + "\n").encode()


def open_store(location: Path, organisations: int) -> EmbeddedStore:
    """The store at `location`, generated and loaded first when it has no graph yet."""
    store = EmbeddedStore(location)
    if store.revision() is None:
        started = time.perf_counter()
        data = generate(organisations)
        with store.stage() as staging:
            staging.load(data)
        triples = data.count(b"\n")
        print(f"store: {triples} triples loaded in {time.perf_counter() - started:.1f} s")
    return store


def ensure_wrk() -> str:
    """The path of wrk, installing the Debian package when it is missing (needs root)."""
    found = shutil.which("wrk")
    if found is None:
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed and apt-get could not install it")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, query: str) -> tuple[int, bytes]:
    """One GET of `query` at `url`: (status, body)."""
    full = url + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(full, headers={"Accept": ACCEPT})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
    except OSError:
        return 0, b""


def wait_up(server: Server) -> None:
    for _ in range(600):
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited at start-up: {server.process.args!r}")
        if get(server.url, "ASK {}")[0] == 200:
            return
        time.sleep(0.1)
    raise SystemExit(f"{server.name} did not start")


def start_oxigraph(store: EmbeddedStore) -> Server:
    port = free_port()
    binary = Path(sys.executable).parent / "oxigraph"
    location = str(store.live_path())
    process = subprocess.Popen(
        [
            str(binary),
            "serve-read-only",
            "--location",
            location,
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return Server("oxigraph", f"http://127.0.0.1:{port}/query", process)


def start_lcgraph(
    name: str, store: EmbeddedStore, overrides: dict[str, str], src: Path | None = None
) -> Server:
    """Our service via `lcgraph.web.serve`, with its defaults unless `overrides` says otherwise."""
    port = free_port()
    fields = {"store": str(store.location), "port": port, **overrides}
    code = (
        "from lcgraph.config import Settings; from lcgraph.web import serve; "
        f"serve(Settings(**{fields!r}))"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    process = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return Server(name, f"http://127.0.0.1:{port}/sparql", process)


@contextmanager
def running(servers: list[Server]) -> Iterator[list[Server]]:
    try:
        for server in servers:
            wait_up(server)
        yield servers
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            server.process.wait(10)


def fill(template: str, organisations: int, rng: random.Random) -> str:
    """The Python twin of sparql.lua's placeholders, for the answer check."""
    values = {
        "@org@": f"<{ID}organisation/o{rng.randrange(organisations)}>",
        "@community@": f"<{ID}learning-community/c{rng.randrange(organisations // 4)}>",
        "@n100@": str(rng.randrange(100)),
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template


def answer_size(body: bytes) -> int:
    """Rows of a JSON result, or non-empty lines of a Turtle one."""
    if body.startswith(b"{"):
        return len(json.loads(body)["results"]["bindings"])
    return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"@prefix"))


def check_answers(servers: list[Server], organisations: int) -> None:
    """Every query gets a 200 from every server, with the same number of rows."""
    for name, template in QUERIES.items():
        query = fill(template, organisations, random.Random(name))
        answers = {s.name: get(s.url, query) for s in servers}
        sizes = {
            n: (status, answer_size(body) if status == 200 else body[:200])
            for n, (status, body) in answers.items()
        }
        statuses = {status for status, _ in sizes.values()}
        if statuses != {200} or len({size for _, size in sizes.values()}) != 1:
            raise SystemExit(f"servers disagree on {name}: {sizes}")


def cpu_busy(interval: float) -> float:
    """The share of all CPUs busy over `interval` seconds (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]

    total0, idle0 = sample()
    time.sleep(interval)
    total1, idle1 = sample()
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def wait_idle(limit_s: float = 90) -> None:
    """Wait until leftover queries (clients gone, server still computing) have finished."""
    deadline = time.monotonic() + limit_s
    while cpu_busy(0.5) > 0.15 and time.monotonic() < deadline:
        pass


def tree_cpu_s(root: int) -> float:
    """CPU seconds (user + system) used so far by process `root` and all its descendants,
    from /proc: our service is a parent, its HTTP processes and their query workers. A
    process's own time plus that of its children it has reaped, so a worker replaced
    during a run still counts (in its parent's) and the difference over a run never shrinks.
    """
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # fields after the command name, which is in parentheses and may hold spaces:
            # [1] is the parent (field 4 of proc(5)), [11:15] utime, stime, cutime, cstime
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # gone meanwhile
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(f) for f in fields[11:15]) / tick
    total = 0.0
    for pid, spent in times.items():
        ancestor, steps = pid, 0
        # bounded: a pid reused while /proc was read could make two entries each other's parent
        while ancestor not in (root, 0) and ancestor in parents and steps < 64:
            ancestor, steps = parents[ancestor], steps + 1
        if ancestor == root:
            total += spent
    return total


def run_wrk(
    wrk: str,
    url: str,
    templates: list[str],
    connections: int,
    seconds: float,
    organisations: int,
    pid: int | None = None,
) -> Result:
    """One wrk run; parses the RESULT line that sparql.lua prints. With `pid`, also the CPU
    that process tree spent per 2xx answer."""
    command = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "60s",
        "-s",
        str(WRK_SCRIPT),
        url,
        "--",
        str(organisations),
        *templates,
    ]
    cpu_before = tree_cpu_s(pid) if pid is not None else 0.0
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    cpu = tree_cpu_s(pid) - cpu_before if pid is not None else 0.0
    line = next((ln for ln in out.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no RESULT line:\n{out}")
    raw = json.loads(line.removeprefix("RESULT "))
    ok = raw["requests"] - raw["non2xx"]
    return Result(
        ok / (raw["duration_us"] / 1e6),
        raw["p50_us"] / 1000,
        raw["p99_us"] / 1000,
        raw["non2xx"],
        raw["socket_errors"],
        cpu / ok * 1e6 if ok else 0.0,
    )


def ratio_line(workload: str, connections: int, ours: list[Result], theirs: list[Result]) -> str:
    """The target's verdict on the median of the per-round ratios (each round measures both
    servers back to back, so a round's ratio shares that moment's machine noise)."""
    least, p99_most = TARGETS[workload]
    rps = statistics.median(_ratios([o.rps for o in ours], [t.rps for t in theirs]))
    verdict = rps >= least
    line = f"ratio {workload} {connections}: {rps:.2f}x requests/s (target >= {least})"
    if p99_most is not None:
        p99 = statistics.median(_ratios([o.p99_ms for o in ours], [t.p99_ms for t in theirs]))
        verdict = verdict and p99 <= p99_most
        line += f", p99 {p99:.2f}x (target <= {p99_most})"
    if len(ours) > 1:
        rounds = ", ".join(
            f"{r:.2f}" for r in _ratios([o.rps for o in ours], [t.rps for t in theirs])
        )
        line += f"; median of {len(ours)} rounds: {rounds}"
    return line + ("  ok" if verdict else "  MISSED")


def _ratios(ours: list[float], theirs: list[float]) -> list[float]:
    return [o / t if t else float("inf") for o, t in zip(ours, theirs, strict=True)]


def benchmark(
    wrk: str, servers: list[Server], args: argparse.Namespace
) -> dict[tuple[str, int, str], list[Result]]:
    """Every workload at every connection count against every server, `args.rounds` times,
    printed as it goes."""
    results: dict[tuple[str, int, str], list[Result]] = {}
    print(
        f"{'workload':9} {'conn':>4} {'server':16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'non-2xx':>7} {'sock err':>8} {'cpu us/req':>10}",
        flush=True,
    )
    for workload in args.workloads:
        templates = [QUERIES[q] for q in WORKLOADS[workload]]
        for server in servers:  # warm caches and page cache alike for every server
            run_wrk(wrk, server.url, templates, 8, args.warmup, args.organisations)
            wait_idle()
        for connections in args.connections:
            for server in (s for _ in range(args.rounds) for s in servers):
                r = run_wrk(
                    wrk,
                    server.url,
                    templates,
                    connections,
                    args.seconds,
                    args.organisations,
                    server.process.pid,
                )
                wait_idle()
                results.setdefault((workload, connections, server.name), []).append(r)
                print(
                    f"{workload:9} {connections:>4} {server.name:16} {r.rps:>9.1f} "
                    f"{r.p50_ms:>8.2f} {r.p99_ms:>8.1f} {r.non2xx:>7} {r.socket_errors:>8} "
                    f"{r.cpu_us:>10.1f}",
                    flush=True,
                )
    return results


def print_ratios(results: dict[tuple[str, int, str], list[Result]], servers: list[Server]) -> None:
    for ours in (s.name for s in servers if s.name != "oxigraph"):
        print(f"\n{ours} / oxigraph:")
        for (workload, connections, name), result in results.items():
            if name == ours:
                theirs = results[(workload, connections, "oxigraph")]
                print(ratio_line(workload, connections, result, theirs))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--organisations", type=int, default=180_000, help="~5.5 triples each")
    parser.add_argument("--store", type=Path, help="store folder to reuse (built when empty)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="per server and workload")
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument(
        "--rounds", type=int, default=1, help="runs per server and setting; ratios: the median"
    )
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Settings field of our service, e.g. query_workers=3",
    )
    parser.add_argument("--baseline-src", type=Path, help="also run our service from this src/")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    wrk = ensure_wrk()
    overrides = dict(item.split("=", 1) for item in args.set)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.store or Path(tmp) / "store", args.organisations)
        servers = [start_oxigraph(store), start_lcgraph("lcgraph", store, overrides)]
        if args.baseline_src:
            servers.append(start_lcgraph("lcgraph-before", store, overrides, args.baseline_src))
        print(
            f"cpus: {os.cpu_count()}; lcgraph settings: defaults + {overrides}; "
            f"{args.seconds:g} s per run, wrk -t1 --timeout 60s"
        )
        with running(servers):
            check_answers(servers, args.organisations)
            results = benchmark(wrk, servers, args)
        print_ratios(results, servers)


if __name__ == "__main__":
    main()

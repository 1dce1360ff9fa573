"""The benchmarks' own measuring tools (issue 14): they must measure what they say.

`benchmarks/serve.py` reports the CPU a server's processes spend per answer, and
`benchmarks/edge.py --parts` breaks a point lookup down; both feed the figures in
docs/benchmarks.md, so a tool that silently measured nothing would mislead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import serve  # noqa: E402  (a script beside the tests, not a package)


def _spinner(marker: Path, then: str = "") -> str:
    """Python code that starts `then` (more code, in its own process), uses 0.6 s of CPU,
    leaves `marker` and sleeps: alive, and idle, until it is killed."""
    start = f"subprocess.Popen([sys.executable, '-c', {then!r}])\n" if then else ""
    return (
        "import pathlib, subprocess, sys, time\n"
        + start
        + "end = time.process_time() + 0.6\n"
        + "while time.process_time() < end: pass\n"
        + f"pathlib.Path({str(marker)!r}).touch()\n"
        + "time.sleep(60)"
    )


def _started(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True)


def _wait_for(*markers: Path) -> None:
    deadline = time.monotonic() + 60
    while not all(m.exists() for m in markers):
        assert time.monotonic() < deadline, "the spinners did not finish"
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)  # the whole session: parent, child, grandchild
    process.wait()


def test_tree_cpu_counts_children_and_grandchildren(tmp_path: Path) -> None:
    # as our service's HTTP processes and their query workers hang below the started one
    child, grandchild = tmp_path / "child", tmp_path / "grandchild"
    code = _spinner(child, then=_spinner(grandchild))
    start = f"subprocess.Popen([sys.executable, '-c', {code!r}])"
    parent = _started(f"import subprocess, sys, time\n{start}\ntime.sleep(60)")
    try:
        before = serve.tree_cpu_s(parent.pid)
        _wait_for(child, grandchild)
        spent = serve.tree_cpu_s(parent.pid) - before
    finally:
        _stop(parent)
    assert 1.1 <= spent <= 3.0, spent  # 2 x 0.6 s of spinning, and the start-ups


def test_tree_cpu_leaves_out_other_processes(tmp_path: Path) -> None:
    busy = _started(_spinner(tmp_path / "busy"))
    idle = _started("import time; time.sleep(60)")
    try:
        before = serve.tree_cpu_s(idle.pid)
        _wait_for(tmp_path / "busy")
        assert serve.tree_cpu_s(idle.pid) - before < 0.3
    finally:
        try:
            _stop(busy)
        finally:
            _stop(idle)


def test_edge_parts_prints_every_part_and_layer(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "edge.py"),
            "--parts",
            "--organisations",
            "2000",
            "--requests",
            "300",
            "--store",
            str(tmp_path / "store"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    for name in (
        "bounded test",
        "engine: quads_for_pattern",
        "SPARQL JSON rows",
        "QueryService.answer",
        "whole app",
    ):
        line = next(ln for ln in lines if name in ln)
        assert float(line.split("µs")[0].split()[-1]) > 0, line
    heading = next(ln for ln in lines if ln.startswith("a point lookup, "))
    assert " 0.0 rows" not in heading, heading  # lookups of organisations that exist

"""Real SPARQL servers for the remote-store tests, on free 127.0.0.1 ports, stopped by PID.

`oxigraph_server(folder)` runs `oxigraph serve` (PyPI `oxigraph`, in the venv);
`virtuoso_server(folder)` runs Virtuoso Open Source (Debian `virtuoso-opensource`) with a
private virtuoso.ini that listens on loopback only, and creates the `lcgraph` user with the
SPARQL_UPDATE role, as docs/remote-store.md tells an administrator to do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from support import free_port

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "lcgraph", "lcgraph-test-password"


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Poll `url` until it answers; fail early when the server process died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server we started, by its PID: SIGTERM, then SIGKILL."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_oxigraph(folder: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        # --timeout-s: the server's own limit, as a deployment should set it; without it
        # the runaway queries of the limit tests go on using a core after lcgraph's limit
        # answered their clients, for the rest of the session
        [
            str(OXIGRAPH),
            "serve",
            "--location",
            str(folder),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            "30",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process)
    return process


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """`oxigraph serve` on a free loopback port with its data in `folder`; yields its URL."""
    port = free_port()
    process = start_oxigraph(folder, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def virtuoso_available() -> bool:
    return Path(VIRTUOSO).exists() and Path(ISQL).exists()


def install_virtuoso() -> None:
    """apt-get install virtuoso-opensource when it is missing (needs root and the mirror)."""
    if virtuoso_available():
        return
    subprocess.run(
        ["apt-get", "install", "-y", "virtuoso-opensource"],
        check=True,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        capture_output=True,
    )


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableTcpSocket = 0
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 40000
MaxDirtyBuffers = 30000
DirsAllowed = ., {dir}
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
DefaultQuery = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
"""


def _isql(port: int, sql: str) -> None:
    subprocess.run(
        [ISQL, str(port), "dba", "dba", f"exec={sql}"], check=True, capture_output=True, timeout=60
    )


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[str]:
    """Virtuoso on free loopback ports with its database in `folder`; yields its URL.

    Creates user `lcgraph` (VIRTUOSO_PASSWORD) with the SPARQL_UPDATE role.
    """
    http_port, isql_port = free_port(), free_port()
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, http_port=http_port, isql_port=isql_port))
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", process, seconds=120)
        _isql(isql_port, f"DB.DBA.USER_CREATE('{VIRTUOSO_USER}', '{VIRTUOSO_PASSWORD}')")
        _isql(isql_port, f'GRANT SPARQL_UPDATE TO "{VIRTUOSO_USER}"')
        yield f"http://127.0.0.1:{http_port}"
    finally:
        stop(process)

"""How `lcgraph serve` puts the app on the network: uvicorn, through its public API only.

One HTTP process: `uvicorn.Server(config).run()`. Several (`http_workers`): the parent binds
one listening socket per process on the same host:port with SO_REUSEPORT, starts each
process with `multiprocessing` (spawn) and runs `uvicorn.Server(config).run(sockets=[its
socket])` there (the documented way to hand uvicorn a socket, as Gunicorn's worker does).

- Spread: with one shared listener the first process to wake accepts every pending
  connection (wrk's 8 keep-alive connections landed 8/0 or 7/1 on two processes); with a
  listener per process the kernel picks the listener of each new connection from a hash of
  its addresses, so every process gets its share whatever the others are doing.
- TCP_NODELAY: uvloop (0.23) switches Nagle's algorithm off on every accepted connection;
  asyncio's own loop only on those accepted from a listener whose socket says IPPROTO_TCP,
  which uvicorn's socket for several workers does not (protocol 0: uvicorn issue #3149, a
  flat ~44 ms per keep-alive answer, Nagle + delayed ACK). Ours say IPPROTO_TCP, so either
  loop does it. tests/test_serve_transport.py and test_serve_processes.py fail when an
  upgrade of uvicorn, uvloop or asyncio changes this.
- A process that dies is replaced on the same listener: connections that arrive meanwhile
  wait in its backlog. A process that cannot start (exit status 3, uvicorn's own for a
  failed start) stops the service. SIGINT/SIGTERM stop every process gracefully (uvicorn
  finishes the requests in hand), those still running after STOP_WAIT_S are killed.
- No second service joins ours: before binding, the port is taken once without
  SO_REUSEPORT, which fails where anything, lcgraph included, listens there already.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

logger = logging.getLogger("uvicorn.error")
STARTUP_FAILURE = 3  # the exit status uvicorn gives a server that could not start
WATCH_S = 0.2  # how often the parent looks at its processes
STOP_WAIT_S = 30.0  # how long a process may take to finish its requests when stopped
BACKLOG = 2048  # uvicorn's default


def listeners(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` TCP listeners on host:port (port 0: one free port for all), SO_REUSEPORT."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET  # "::" as uvicorn does
    with socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))  # fails where anything listens already
        port = probe.getsockname()[1]
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(BACKLOG)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _process(app: str, options: dict[str, Any], sock: socket.socket) -> None:
    """One HTTP process: uvicorn on `sock` (the Config is made here: it sets up logging)."""
    server = uvicorn.Server(uvicorn.Config(app, factory=True, **options))
    server.run(sockets=[sock])
    if not server.started:  # the app's lifespan failed; uvicorn has logged why
        sys.exit(STARTUP_FAILURE)


def serve_processes(app: str, options: dict[str, Any], processes: int) -> None:
    """Serve the app factory `app` ("module:function") in `processes` HTTP processes."""
    host, port = options["host"], options["port"]
    try:
        sockets = listeners(host, port, processes)
    except OSError as err:  # as uvicorn reports it: one line, no traceback
        logger.error(err)
        raise SystemExit(STARTUP_FAILURE) from None
    worker_options = {k: v for k, v in options.items() if k not in ("host", "port")}
    context = multiprocessing.get_context("spawn")

    def start(sock: socket.socket) -> BaseProcess:
        process = context.Process(target=_process, args=(app, worker_options, sock))
        process.start()
        return process

    stopping: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers: list[BaseProcess] = []
    try:
        workers.extend(start(sock) for sock in sockets)
        shown = f"[{host}]" if ":" in host else host
        bound = sockets[0].getsockname()[1]
        logger.info(
            "Uvicorn running on http://%s:%d with %d HTTP processes", shown, bound, processes
        )
        while not stopping:
            for index, process in enumerate(workers):
                process.join(WATCH_S / len(workers))
                if process.exitcode is None or stopping:
                    continue
                if process.exitcode == STARTUP_FAILURE:  # another try would fail too
                    raise SystemExit(STARTUP_FAILURE)
                logger.warning(
                    "HTTP process %s exited (code %s): starting another",
                    process.pid,
                    process.exitcode,
                )
                workers[index] = start(sockets[index])
    finally:
        for process in workers:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn's graceful shutdown
        for process in workers:
            process.join(STOP_WAIT_S)
            if process.is_alive():
                process.kill()
        for sock in sockets:
            sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

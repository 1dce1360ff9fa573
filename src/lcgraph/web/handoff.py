"""Several HTTP processes, each handed its connections in turn by the parent process.

uvicorn's own worker processes share one listening socket, and the first process to wake
accepts every pending connection: wrk's 8 keep-alive connections landed 8/0, 7/1 or 6/2 on
two processes (benchmarks/serve.py), so one core idled while the other queued, and a
dashboard's connections could all pile on one process the same way. Here the parent
accepts and passes each connection (its file descriptor, over a Unix socket: SCM_RIGHTS)
to the next process in turn, where uvicorn's HTTP protocol takes it as if it had accepted
it itself. The parent also restarts a process that dies, and stops them all on SIGINT or
SIGTERM. The processes are started with uvicorn's own helper for its workers (logging set up,
stdin passed on; uvicorn is pinned in pyproject.toml).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
import socket
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn
from uvicorn._subprocess import get_subprocess
from uvicorn.config import STARTUP_FAILURE

logger = logging.getLogger("uvicorn.error")
ACCEPT_WAIT_S = 0.2  # how often the parent looks up from accept() to check its processes
STOP_WAIT_S = 30.0  # how long a process may take to finish its requests when stopped


class HandoffServer(uvicorn.Server):
    """A uvicorn server whose connections arrive over `channel`, a Unix seqpacket socket."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel
        self.adopting: set[asyncio.Task[Any]] = set()  # the loop holds tasks weakly

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the app's lifespan; no listening socket
        protocol: Callable[[], asyncio.Protocol] = functools.partial(
            self.config.http_protocol_class,
            config=self.config,  # type: ignore[call-arg]
            server_state=self.server_state,
            app_state=self.lifespan.state,
        )
        loop = asyncio.get_running_loop()
        self.channel.setblocking(False)
        loop.add_reader(self.channel, self._take, loop, protocol)

    def _take(
        self, loop: asyncio.AbstractEventLoop, protocol: Callable[[], asyncio.Protocol]
    ) -> None:
        """Adopt every connection waiting on the channel."""
        while True:
            try:
                _, fds, _, _ = socket.recv_fds(self.channel, 1, 1)
            except BlockingIOError:
                return
            if not fds:  # the parent is gone: finish what is in hand, then exit
                loop.remove_reader(self.channel)
                self.should_exit = True
                return
            connection = socket.socket(fileno=fds[0])
            task = loop.create_task(loop.connect_accepted_socket(protocol, connection))
            self.adopting.add(task)
            task.add_done_callback(self.adopting.discard)


def _run(config: uvicorn.Config, sockets: list[socket.socket]) -> None:
    HandoffServer(config, sockets[0]).run()


def serve_handed(config: uvicorn.Config, processes: int) -> None:
    """Listen on config.host:config.port and hand connections to `processes` processes."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET  # "::" as uvicorn does
    try:
        listener = socket.create_server(
            (config.host, config.port), family=family, backlog=config.backlog
        )
    except OSError as err:  # as uvicorn reports it: one line, no traceback
        logger.error(err)
        raise SystemExit(STARTUP_FAILURE) from None
    stopping: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers: list[tuple[BaseProcess, socket.socket]] = []
    try:
        workers.extend(_start(config) for _ in range(processes))
        host, port = listener.getsockname()[:2]
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        logger.info(
            "Uvicorn running on http://%s:%d with %d HTTP processes", shown, port, processes
        )
        listener.settimeout(ACCEPT_WAIT_S)
        turn = 0
        while not stopping:
            workers = [w if w[0].is_alive() else _restart(config, w) for w in workers]
            try:
                connection, _ = listener.accept()
            except (TimeoutError, InterruptedError):
                continue
            with connection:
                for _ in workers:  # in turn; past a process that died since the last look
                    process, channel = workers[turn]
                    turn = (turn + 1) % len(workers)
                    try:
                        socket.send_fds(channel, [b"c"], [connection.fileno()])
                        break
                    except OSError:
                        logger.warning("HTTP process %s did not take a connection", process.pid)
    finally:
        listener.close()
        for process, channel in workers:
            channel.close()
            process.terminate()
        for process, _ in workers:
            process.join(STOP_WAIT_S)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start(config: uvicorn.Config) -> tuple[BaseProcess, socket.socket]:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    process = get_subprocess(config, functools.partial(_run, config), [theirs])
    process.start()
    theirs.close()
    return process, ours


def _restart(
    config: uvicorn.Config, worker: tuple[BaseProcess, socket.socket]
) -> tuple[BaseProcess, socket.socket]:
    process, channel = worker
    if process.exitcode == STARTUP_FAILURE:  # the app cannot start: another try would fail too
        raise SystemExit(STARTUP_FAILURE)
    logger.warning(
        "HTTP process %s exited (code %s): starting another", process.pid, process.exitcode
    )
    channel.close()
    return _start(config)

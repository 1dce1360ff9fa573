"""What `lcgraph.web.transport` relies on in uvicorn, asyncio and uvloop: fails loudly when an
upgrade changes it (the `lcgraph serve` side: tests/test_serve_processes.py)."""

from __future__ import annotations

import inspect
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from lcgraph.web.transport import STARTUP_FAILURE, listeners


async def ok(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


@contextmanager
def running(sock: socket.socket, loop: str) -> Iterator[None]:
    """uvicorn on `sock` in a thread, as an HTTP process of `lcgraph serve` runs it."""
    server = uvicorn.Server(uvicorn.Config(ok, log_level="warning", loop=loop))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def accepted_nodelay(client: socket.socket) -> int:
    """TCP_NODELAY on the server's end of `client`'s connection (found among our own fds)."""
    wanted = (client.getpeername(), client.getsockname())
    for fd in os.listdir("/proc/self/fd"):
        try:
            sock = socket.socket(fileno=os.dup(int(fd)))
        except OSError:
            continue
        with sock:
            try:
                if (sock.getsockname(), sock.getpeername()) == wanted:
                    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            except OSError:
                continue
    raise AssertionError("the server's end of the connection was not found")


def test_uvicorn_takes_listening_sockets_in_its_public_api() -> None:
    for method in (uvicorn.Server.run, uvicorn.Server.serve):
        assert "sockets" in inspect.signature(method).parameters
    assert "factory" in inspect.signature(uvicorn.Config).parameters


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_connections_accepted_from_our_listeners_have_nagle_off(loop: str) -> None:
    """asyncio sets TCP_NODELAY only where the listener says IPPROTO_TCP (uvloop always);
    without it, every keep-alive answer waits ~40 ms for a delayed ACK."""
    (sock,) = listeners("127.0.0.1", 0, 1)
    with sock, running(sock, loop), socket.create_connection(sock.getsockname()[:2]) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        assert client.recv(1000).startswith(b"HTTP/1.1 200")
        assert accepted_nodelay(client) == 1


def test_listeners_share_one_port_and_refuse_a_taken_one() -> None:
    sockets = listeners("127.0.0.1", 0, 3)
    try:
        ports = {sock.getsockname()[1] for sock in sockets}
        assert len(ports) == 1
        with pytest.raises(OSError):  # a second service on the same port
            listeners("127.0.0.1", ports.pop(), 1)
    finally:
        for sock in sockets:
            sock.close()


def test_a_failed_lifespan_exits_with_uvicorns_startup_failure() -> None:
    """uvicorn's Server ends a process whose app cannot start with status 3."""

    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        assert message["type"] == "lifespan.startup"
        await send({"type": "lifespan.startup.failed", "message": "no store"})

    (sock,) = listeners("127.0.0.1", 0, 1)
    with sock, pytest.raises(SystemExit) as stopped:
        uvicorn.Server(uvicorn.Config(broken, log_level="critical", lifespan="on")).run([sock])
    assert stopped.value.code == STARTUP_FAILURE

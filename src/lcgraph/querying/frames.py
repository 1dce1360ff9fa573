"""The wire between the service and its query workers: typed, length-prefixed frames.

One frame is a 1-byte kind, a 4-byte big-endian length and the payload. The worker sends
READY once at start, then per job HEAD (JSON: chosen format and result kind), then DATA
chunks, then END (JSON: rows, truncated) or ERROR (JSON: error type, message, line,
column). The service sends JOB (JSON). Blocking socket writes give back-pressure: a worker
never gets ahead of a slow client by more than the socket buffers.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

JOB, READY, HEAD, DATA, END, ERROR = b"J", b"R", b"H", b"D", b"E", b"X"
_HEADER = struct.Struct(">cI")
HEADER_SIZE = _HEADER.size
CHUNK_BYTES = 64 * 1024


def encode(kind: bytes, payload: bytes) -> bytes:
    return _HEADER.pack(kind, len(payload)) + payload


def encode_json(kind: bytes, value: dict[str, Any]) -> bytes:
    return encode(kind, json.dumps(value, separators=(",", ":")).encode())


def decode_header(header: bytes) -> tuple[bytes, int]:
    kind, size = _HEADER.unpack(header)
    return kind, size


def recv_frame(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """Read one frame (blocking); None when the other side closed the connection."""
    header = _recv_exactly(sock, HEADER_SIZE)
    if header is None:
        return None
    kind, size = decode_header(header)
    payload = _recv_exactly(sock, size)
    return None if payload is None else (kind, payload)


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    parts, missing = [], size
    while missing:
        part = sock.recv(min(missing, 1 << 20))
        if not part:
            return None
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


class FrameWriter:
    """A binary file-like object that ships what is written as DATA frames of ~64 KiB.

    `queue()` adds a whole frame (HEAD, END, ERROR) behind the data written so far; frames
    go out together at the next flush, so a small result costs the worker one `sendall`
    and the service one wake-up instead of three.
    """

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.pending = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK_BYTES:
            self.flush()
        return len(data)

    def queue(self, kind: bytes, value: dict[str, Any]) -> None:
        self._seal()
        self.pending += encode_json(kind, value)

    def _seal(self) -> None:
        if self.buffer:
            self.pending += encode(DATA, bytes(self.buffer))
            self.buffer.clear()

    def flush(self) -> None:
        self._seal()
        if self.pending:
            self.sock.sendall(self.pending)
            self.pending.clear()

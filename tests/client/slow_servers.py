"""Misbehaving HTTP servers on loopback sockets: hung, dripping, always rate-limiting.

Real sockets, not httpx.MockTransport: deadlines are about socket timeouts and real sleeps.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

Behaviour = Callable[[socket.socket, threading.Event], None]


def _read_request_head(conn: socket.socket) -> None:
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


def hang(conn: socket.socket, stop: threading.Event) -> None:
    """Read the request, never answer."""
    _read_request_head(conn)
    stop.wait()


def drip(interval: float, size: int = 1000) -> Behaviour:
    """Answer 200 at once, then send the body one byte every ``interval`` seconds."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        _read_request_head(conn)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + f"content-length: {size}\r\n\r\n".encode()
        )
        for _ in range(size):
            if stop.wait(interval):
                return
            conn.sendall(b" ")

    return behave


def status(code: int, body: bytes, headers: dict[str, str] | None = None) -> Behaviour:
    """Answer every request with ``code`` and ``body`` (keep-alive)."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    reason = {200: "OK", 429: "Too Many Requests", 503: "Service Unavailable"}.get(code, "X")
    head = (
        f"HTTP/1.1 {code} {reason}\r\ncontent-type: application/json\r\n{extra}"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode()

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                _read_request_head(conn)
                conn.sendall(head + body)
            except OSError:
                return

    return behave


@contextmanager
def serve(behaviour: Behaviour) -> Iterator[tuple[str, list[float]]]:
    """Run a server; yields its base URL and the times (monotonic) connections arrived."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    stop = threading.Event()
    arrivals: list[float] = []
    conns: list[socket.socket] = []

    def handle(conn: socket.socket) -> None:
        with suppress(OSError):
            behaviour(conn, stop)

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            arrivals.append(time.monotonic())
            conns.append(conn)
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept_loop, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", arrivals
    finally:
        stop.set()
        thread.join(2)
        for conn in conns:
            conn.close()
        listener.close()

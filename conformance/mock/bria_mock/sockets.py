"""The listening socket the CLI and ``testing.LoopbackMock`` serve on."""

from __future__ import annotations

import socket


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before serving so the start-up line can name the port
    ``--port 0`` got.

    Made from ``getaddrinfo``'s protocol: asyncio turns Nagle's algorithm off only on sockets
    whose protocol is TCP, and a socket made with protocol 0 makes every answer wait ~40 ms for
    the client's delayed ACK.
    """
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        # listening already: a client that read the start-up line can connect at once
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock

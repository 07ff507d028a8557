"""A small HTTP file server the suite runs, so a target can fetch what the suite hands it by URL.

Bria's bundle declares bulk upload only as JSON ``{"zip_url": ...}``: a target that refuses the
multipart form gets the archive by URL, and the URL must be one the target can reach. By default
the server listens on ``127.0.0.1`` (a port the OS picks), which a target on the same machine
reaches; ``--serve-files URL`` makes it listen on that URL's host and port and hand out URLs under
it (a CI runner's address the target can reach, or a tunnel in front of it).

Each file gets an unguessable path, is served with ``GET`` only, and every fetch is counted, so
a test can tell "the target refused the archive" from "the target never came to get it".
"""

from __future__ import annotations

import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


class FileServer:
    def __init__(self, url: str | None = None) -> None:
        parts = urlsplit(url) if url else None
        if parts is not None and (parts.scheme != "http" or not parts.hostname):
            raise ValueError(f"--serve-files {url!r}: an http:// URL with a host is needed")
        host = parts.hostname if parts else "127.0.0.1"
        port = (parts.port or 80) if parts else 0
        self._files: dict[str, tuple[bytes, str]] = {}
        self.fetches: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host or "127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        bound_port = self._server.server_address[1]
        prefix = (parts.path.rstrip("/") if parts else "") or ""
        self.base_url = (
            f"http://{parts.netloc}{prefix}" if parts else f"http://127.0.0.1:{bound_port}"
        )
        self._prefix = prefix
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def host(self, data: bytes, filename: str, content_type: str = "application/zip") -> str:
        """Serve ``data`` and return the URL the target fetches it from."""
        key = f"{secrets.token_hex(12)}/{filename}"
        with self._lock:
            self._files[key] = (data, content_type)
            self.fetches[key] = 0
        return f"{self.base_url}/files/{key}"

    def fetched(self, url: str) -> int:
        """How many times the file behind ``url`` was fetched."""
        key = url.removeprefix(f"{self.base_url}/files/")
        with self._lock:
            return self.fetches.get(key, 0)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                key = self.path.split("?", 1)[0].removeprefix(server._prefix + "/files/")
                with server._lock:
                    found = server._files.get(key)
                    if found is not None:
                        server.fetches[key] += 1
                if found is None:
                    self.send_error(404)
                    return
                data, content_type = found
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the suite's output is its report, not an access log

        return Handler

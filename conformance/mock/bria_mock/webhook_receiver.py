"""A webhook receiver on a loopback port, for tests: it records every delivery it is sent.

::

    with WebhookReceiver() as receiver:
        submit(..., webhook_url=receiver.url)
        delivery = receiver.wait_for(request_id, timeout=10)
        status = delivery.verify(api_token)     # signature checked, body parsed

``answers`` makes it answer with other statuses first (e.g. ``[500, 500]`` then 200), to watch a
sender retry. It is what the ``bria_webhooks`` pytest fixture and the conformance suite's
webhook check listen with.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bria_tailored.models import RequestStatus

#: the largest delivery body the receiver reads
MAX_BODY = 8 * 1024 * 1024


@dataclass(frozen=True)
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float
    answered: int

    @property
    def webhook_id(self) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == "bria-webhook-id"), "")

    def verify(self, api_token: str, *, tolerance: float = 300.0) -> RequestStatus:
        """The delivered job status, after checking its signature with ``api_token``."""
        from bria_tailored.runtime.webhooks import parse_webhook, verify_webhook

        verify_webhook(self.body, self.headers, api_token, tolerance=tolerance)
        return parse_webhook(self.body)


@dataclass
class _Shared:
    deliveries: list[Delivery] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)


class WebhookReceiver:
    """Listens on ``host`` (default 127.0.0.1) at a free port; ``url`` is where to deliver."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, answers: Iterable[int] = ()) -> None:
        shared = self._shared = _Shared(answers=list(answers))

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = self.headers.get("Content-Length", "0")
                size = int(length) if length.isdigit() else 0
                body = self.rfile.read(min(size, MAX_BODY))
                with shared.arrived:
                    status = shared.answers.pop(0) if shared.answers else 200
                    shared.deliveries.append(
                        Delivery(self.path, dict(self.headers.items()), body, time.time(), status)
                    )
                    shared.arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        address = self._server.server_address
        bound_host, bound_port = str(address[0]), int(address[1])
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.url = f"http://{shown}:{bound_port}/webhook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def deliveries(self) -> list[Delivery]:
        with self._shared.arrived:
            return list(self._shared.deliveries)

    def answer_next(self, *statuses: int) -> None:
        """Answer the next deliveries with ``statuses`` (then 200 again)."""
        with self._shared.arrived:
            self._shared.answers.extend(statuses)

    def wait_for(self, webhook_id: str | None = None, *, timeout: float = 10.0) -> Delivery:
        """The first delivery (for ``webhook_id``) that was answered 2xx, waiting up to
        ``timeout`` seconds; TimeoutError names what did arrive."""
        deadline = time.monotonic() + timeout
        with self._shared.arrived:
            while True:
                for delivery in self._shared.deliveries:
                    if 200 <= delivery.answered < 300 and webhook_id in (None, delivery.webhook_id):
                        return delivery
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(d.webhook_id, d.answered) for d in self._shared.deliveries]
                    raise TimeoutError(
                        f"no delivery for {webhook_id or 'any job'} within {timeout:g} s "
                        f"(received: {seen or 'nothing'})"
                    )
                self._shared.arrived.wait(left)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> WebhookReceiver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

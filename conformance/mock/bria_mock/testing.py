"""The mock as a test double for your own code: in-process or on a loopback port, with a Python API.

::

    from bria_mock.testing import InProcessMock

    with InProcessMock() as mock:
        client = mock.client()                        # a bria_tailored AuthenticatedClient
        project = create_project.sync(client=client, body=...)
        mock.clock.advance(7200)                      # finish a training
        mock.fail_training(model_id)                  # or make it fail
        mock.rate_limit(2)                            # 2 requests / 60 s, then 429 + Retry-After

The pytest fixtures of :mod:`bria_mock.pytest_plugin` are thin wrappers around these classes.
The methods do what the ``/_mock`` control endpoints do (docs/mock.md), without HTTP.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import anyio.from_thread
import httpx

from .app import create_app
from .config import MockConfig
from .core import Mock
from .domain import models
from .domain.models import Model
from .errors import ApiError
from .sockets import bind

if TYPE_CHECKING:
    from bria_tailored import AuthenticatedClient
    from starlette.applications import Starlette

__all__ = ["DEFAULT_TOKEN", "InProcessMock", "LoopbackMock", "MockClock", "SyncASGITransport"]

#: The token the fixture clients send; any non-empty token is accepted unless tokens are fixed.
DEFAULT_TOKEN = "bria-mock-test-token"
IN_PROCESS_BASE_URL = "http://bria-mock.test"


class SyncASGITransport(httpx.BaseTransport):
    """A synchronous httpx transport that drives an ASGI app (``httpx.ASGITransport`` is
    async-only, so ``sync`` / ``sync_detailed`` calls need this).

    The app runs on an event loop in a helper thread (an anyio blocking portal), started on the
    first request and stopped by :meth:`close`.
    """

    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._portal_cm: contextlib.AbstractContextManager[anyio.from_thread.BlockingPortal] | None
        self._portal_cm = None
        self._portal: anyio.from_thread.BlockingPortal | None = None
        self._lock = threading.Lock()

    def _get_portal(self) -> anyio.from_thread.BlockingPortal:
        with self._lock:
            if self._portal is None:
                self._portal_cm = anyio.from_thread.start_blocking_portal()
                self._portal = self._portal_cm.__enter__()
            return self._portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # The request body may be a sync-only stream: read it here, hand the app plain bytes.
        body = request.read()
        async_request = httpx.Request(
            request.method,
            request.url,
            headers=request.headers,
            content=body,
            extensions=request.extensions,
        )

        async def send() -> tuple[int, list[tuple[bytes, bytes]], bytes, dict[str, Any]]:
            response = await self._inner.handle_async_request(async_request)
            content = await response.aread()
            return response.status_code, response.headers.raw, content, dict(response.extensions)

        status, headers, content, extensions = self._get_portal().call(send)
        return httpx.Response(
            status, headers=headers, content=content, extensions=extensions, request=request
        )

    def close(self) -> None:
        with self._lock:
            if self._portal_cm is not None:
                self._portal_cm.__exit__(None, None, None)
            self._portal_cm = None
            self._portal = None


class MockClock:
    """The mock's virtual clock: trainings, captions, uploads and generations run on it."""

    def __init__(self, mock: Mock) -> None:
        self._mock = mock

    def now(self) -> float:
        """Virtual time, in unix seconds."""
        return self._mock.clock.now()

    def advance(self, seconds: float) -> float:
        """Move virtual time forward and run every piece of work that became due."""
        if not (seconds >= 0 and seconds < float("inf")):
            raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}")
        self._mock.clock.advance(float(seconds))
        with self._mock.store.transaction():
            pass  # running a transaction runs the work that became due
        return self.now()


class _MockControls:
    """The Python API shared by the in-process and the loopback mock."""

    app: Starlette
    base_url: str
    token: str

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _init_controls(self, config: MockConfig | None, token: str) -> None:
        self.config = config or MockConfig()
        self.app = create_app(self.config)
        self.mock: Mock = self.app.state.mock
        self.token = token
        self.clock = MockClock(self.mock)

    # -- the /_mock control endpoints, as methods --------------------------------------------
    def webhooks(self) -> list[dict[str, Any]]:
        """Every webhook delivery (``GET /_mock/webhooks``): URL, state, attempts, body."""
        return self.mock.webhooks.listing()

    def deliver_webhooks(self) -> list[dict[str, Any]]:
        """Send every pending webhook delivery now (``POST /_mock/webhooks/deliver``); a
        :class:`LoopbackMock` also sends them by itself."""
        return anyio.run(lambda: self.mock.webhooks.deliver_due(force=True))

    def allow_url(self, prefix: str) -> None:
        """Admit ``prefix`` for fetches and webhook deliveries (like ``--allow-url``)."""
        config = self.mock.config
        config.allow_url_prefixes = (*config.allow_url_prefixes, prefix)
        self.mock.fetcher = type(self.mock.fetcher)(
            self.mock.artefacts.resolve,
            config.allow_url_prefixes,
            config.fetch_timeout_seconds,
            config.public_base_url,
        )

    def reset(self) -> None:
        """Forget every project, dataset, model and request; counters and limits start over."""
        self.mock.reset()

    def fail_training(self, model_id: int, reason: str = "training failed") -> None:
        """End the running training of ``model_id`` as ``Failed``."""
        with self.mock.store.transaction() as tx:
            model = tx.get(Model, int(model_id))
            if model is None:
                raise LookupError(f"the mock has no model {model_id}")
            try:
                models.fail_training(tx, model, str(reason))
            except ApiError as exc:
                raise ValueError(exc.message) from None

    def rate_limit(self, requests: int | None, per_seconds: float = 60.0) -> None:
        """Answer 429 with ``Retry-After`` beyond ``requests`` per ``per_seconds`` per
        organization; ``None`` switches rate limiting off."""
        if requests is not None and requests < 1:
            raise ValueError("requests must be at least 1 (or None to switch the limit off)")
        if per_seconds <= 0:
            raise ValueError("per_seconds must be positive")
        self.config.rate_limit = requests
        self.config.rate_window_seconds = float(per_seconds)
        self.mock.tenancy.reset()

    @property
    def moderation_marker(self) -> str:
        """Text that makes content moderation refuse any prompt or file containing it."""
        return self.config.moderation_marker

    def unsafe_prompt(self, text: str = "a poster") -> str:
        """A prompt that the mock's content moderation refuses (422)."""
        return f"{text} {self.moderation_marker}"

    def unsafe_image(self, image: bytes) -> bytes:
        """``image`` with the moderation marker appended: still decodes, moderation refuses it."""
        return image + self.moderation_marker.encode()

    def host_file(
        self,
        data: bytes,
        filename: str = "file.bin",
        content_type: str = "application/octet-stream",
    ) -> str:
        """Store ``data`` in the mock and return a signed URL to it (for image_url, zip_url …)."""
        upload_id = secrets.token_hex(8)
        self.mock.store.put_blob(f"upload/{upload_id}", content_type, data)
        name = filename.rsplit("/", 1)[-1] or "file.bin"
        return self.mock.signed_url(
            self.base_url + "/", f"uploads/{upload_id}/{name}", self.mock.clock.now()
        )

    # -- waiting on the virtual clock ----------------------------------------------------------
    def sleep(self, seconds: float) -> None:
        """Pass as ``sleep=`` to a waiter: advances virtual time instead of waiting."""
        self.clock.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        """Async twin of :meth:`sleep` (``sleep=`` of the ``*_async`` waiters)."""
        self.clock.advance(seconds)


class InProcessMock(_MockControls):
    """The mock inside this process, reached through httpx transports (no socket).

    Args:
        config: the mock's settings (default ``MockConfig()``).
        token: the token :meth:`client` sends.
    """

    base_url = IN_PROCESS_BASE_URL

    def __init__(self, config: MockConfig | None = None, *, token: str = DEFAULT_TOKEN) -> None:
        self._init_controls(config, token)
        self.sync_transport = SyncASGITransport(self.app)
        self.async_transport = httpx.ASGITransport(app=self.app)

    def client(self, token: str | None = None, **options: Any) -> AuthenticatedClient:
        """A ``bria_tailored`` client wired to this mock, for sync and async calls.

        Retries wait on the virtual clock (a 429's ``Retry-After`` costs no real time).
        ``options`` go to :func:`bria_tailored.runtime.make_client`.
        """
        from bria_tailored.runtime import RetryPolicy, make_client

        options.setdefault("retry", RetryPolicy(sleep=self.sleep, async_sleep=self.async_sleep))
        return make_client(
            token or self.token,
            base_url=self.base_url,
            transport=self.sync_transport,
            async_transport=self.async_transport,
            **options,
        )

    def close(self) -> None:
        self.sync_transport.close()
        self.mock.close()


class LoopbackMock(_MockControls):
    """The mock served over HTTP on ``127.0.0.1`` (a free port), for code that opens its own
    connections. ``base_url`` is e.g. ``http://127.0.0.1:54321``.
    """

    def __init__(self, config: MockConfig | None = None, *, token: str = DEFAULT_TOKEN) -> None:
        import uvicorn

        config = config or MockConfig()
        self._sock = bind("127.0.0.1", 0)
        port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        if config.public_base_url is None:
            config.public_base_url = self.base_url
        self._init_controls(config, token)
        self._server = uvicorn.Server(
            # lifespan on: the app's background task sends webhook deliveries
            uvicorn.Config(self.app, log_level="warning", lifespan="on", access_log=False)
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"the mock server did not start on {self.base_url}")
            time.sleep(0.01)

    def client(self, token: str | None = None, **options: Any) -> AuthenticatedClient:
        """A ``bria_tailored`` client talking to this server over the loopback socket."""
        from bria_tailored.runtime import make_client

        return make_client(token or self.token, base_url=self.base_url, **options)

    @property
    def environ(self) -> dict[str, str]:
        """``BRIA_BASE_URL`` / ``BRIA_API_TOKEN`` values pointing at this server (for a
        subprocess: ``subprocess.run(..., env={**os.environ, **server.environ})``)."""
        return {"BRIA_BASE_URL": self.base_url, "BRIA_API_TOKEN": self.token}

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()
        self.mock.close()

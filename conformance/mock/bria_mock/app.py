"""The Starlette application: API dispatch, signed artefacts and the ``/_mock`` endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from .config import MockConfig
from .context import Ctx, Reply
from .control import control_routes
from .core import Mock
from .documents import read_request
from .errors import ApiError, error_body
from .profiles import Profile, profile_for
from .request_body import read_body
from .resources import HANDLERS
from .spec import Operation
from .validation import parse_body, parse_params

log = logging.getLogger("bria_mock")


def _raw_headers(headers: dict[str, str] | None) -> list[tuple[bytes, bytes]]:
    if not headers:
        return []
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


async def send_json(
    send: Send, status: int, body: Any, headers: dict[str, str] | None = None
) -> None:
    """An answer with its headers in the order Starlette's ``Response`` gives them: the given ones,
    then Content-Length (none on 204), then Content-Type (only with a JSON body)."""
    raw = _raw_headers(headers)
    if status == 204 or body is None:
        content = b""
        if status != 204 and status >= 200 and status != 304:
            raw.append((b"content-length", b"0"))
    else:
        content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        raw.append((b"content-length", str(len(content)).encode("latin-1")))
        raw.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": content})


def error_answer(
    op: Operation | None, exc: ApiError, profile: Profile | None = None
) -> tuple[int, Any, dict[str, str] | None]:
    """Status, body and headers of an error answer (each gets a fresh request id)."""
    profile = profile or Profile()
    status = exc.choose_status(op.declared() if op else None)
    schema = op.response_schema(status) if op else None
    request_id = os.urandom(16).hex()
    body = error_body(schema, status, exc.message, exc.details, request_id, exc.field_errors)
    rendered = profile.render(status, body, exc.headers or None, op.operation_id if op else None)
    return (status, *rendered)


def _header(scope: Scope, name: bytes) -> str | None:
    """The first value of a header (ASGI servers give names in lower case)."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def make_api(mock: Mock) -> ASGIApp:
    """The API dispatcher: route, authenticate, admit, parse, run the handler, render."""
    config = mock.config
    token_header = mock.spec.token_header
    token_key = token_header.lower().encode("latin-1")
    profile = profile_for(config)
    router, tenancy, handlers = mock.router, mock.tenancy, mock.handlers

    async def api(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method = scope["method"]
        path = scope["path"]
        op, raw_params, allowed = router.match(method, path)
        if op is None:
            if allowed:
                exc = ApiError(405, f"{method} is not allowed on {path}; use {', '.join(allowed)}")
                exc.headers["Allow"] = ", ".join(allowed)
            else:
                exc = ApiError(404, f"no API operation at {path}")
            await send_json(send, *error_answer(None, exc, profile))
            return
        try:
            request = Request(scope, receive)
            token = _header(scope, token_key)
            org = ""
            if op.secured:
                org = tenancy.authenticate(token, token_header)
                if tenancy.limits_requests:
                    tenancy.admit(org, mock.clock.pacing_now())
            parsed = parse_params(op, raw_params, request)
            if op.bodies:
                body = await read_body(request, config.max_request_bytes)
                await parse_body(op, _header(scope, b"content-type"), body, parsed)
                refused = profile.refusal(op.operation_id, parsed.media_type)
                if refused is not None:
                    raise refused
            ctx = Ctx(
                mock=mock,
                op=op,
                org=org,
                path=parsed.path,
                query=parsed.query,
                body=parsed.body,
                files=parsed.files,
                media_type=parsed.media_type,
                documents=read_request(parsed.body),
                request=request,
                token=token or "",
            )
            reply = handlers[op.operation_id](ctx)
            if not isinstance(reply, Reply):
                reply = await reply
            answer = profile.render(
                reply.status, reply.body, reply.headers or None, op.operation_id
            )
            await send_json(send, reply.status, *answer)
        except ApiError as exc:
            await send_json(send, *error_answer(op, exc, profile))
        except Exception:
            log.exception("internal error while serving %s %s", method, path)
            failure = {
                "error": {
                    "code": 500,
                    "message": "Internal Server Error",
                    "details": "the mock failed unexpectedly; this is a bug in the mock",
                },
                "request_id": os.urandom(16).hex(),
            }
            await send_json(send, 500, failure)

    return api


class MockApp(Starlette):
    """Starlette serves the lifespan and the ``/_mock`` endpoints; an API request goes straight to
    the dispatcher, which answers every error itself, so it skips Starlette's middleware and route
    scan (a share of each request's cost that ``benchmarks/bench_mock.py`` shows)."""

    def __init__(self, api: ASGIApp, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and not scope.get("root_path")
            and not scope["path"].startswith("/_mock/")
        ):
            scope["app"] = self
            await self._api(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(
    config: MockConfig | None = None, *, spec: dict[str, Any] | None = None
) -> Starlette:
    """Build the mock; ``spec`` (a parsed OpenAPI document) overrides the bundled one."""
    config = config or MockConfig()
    mock = Mock(profile_for(config).configure(config), HANDLERS, spec)
    api = make_api(mock)
    # Every path that is not a control endpoint goes to the API dispatcher, which answers unknown
    # paths itself (in JSON); a Starlette catch-all route would miss paths with line breaks.
    control = Router(routes=control_routes(mock), redirect_slashes=False, default=api)
    routes: list[BaseRoute] = [Mount("/_mock", app=control)]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # A running server sends webhook deliveries by itself (in-process mocks: on request).
        sender = asyncio.create_task(mock.webhooks.run())
        try:
            yield
        finally:
            mock.webhooks.stop()
            await sender
            mock.close()

    app = MockApp(api, routes=routes, lifespan=lifespan)
    app.router.redirect_slashes = False
    app.router.default = api
    app.state.mock = mock
    return app

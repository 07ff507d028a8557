"""The Starlette application: API dispatch, signed artefacts and the ``/_mock`` endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
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


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    if status == 204 or body is None:
        return Response(status_code=status, headers=headers)
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(content, status_code=status, headers=headers, media_type="application/json")


def error_response(
    op: Operation | None, exc: ApiError, request_id: str, profile: Profile | None = None
) -> Response:
    profile = profile or Profile()
    status = exc.choose_status(op.declared() if op else None)
    schema = op.response_schema(status) if op else None
    body = error_body(schema, status, exc.message, exc.details, request_id, exc.field_errors)
    rendered = profile.render(status, body, exc.headers or None, op.operation_id if op else None)
    return json_response(status, *rendered)


def asgi(endpoint: Callable[[Request], Awaitable[Response]]) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        response = await endpoint(Request(scope, receive))
        await response(scope, receive, send)

    return app


def make_api_endpoint(mock: Mock) -> Callable[[Request], Awaitable[Response]]:
    config = mock.config
    token_header = mock.spec.token_header
    profile = profile_for(config)

    async def api(request: Request) -> Response:
        request_id = os.urandom(16).hex()
        method = request.method
        path = request.scope["path"]
        op, raw_params, allowed = mock.router.match(method, path)
        if op is None:
            if allowed:
                exc = ApiError(405, f"{method} is not allowed on {path}; use {', '.join(allowed)}")
                exc.headers["Allow"] = ", ".join(allowed)
            else:
                exc = ApiError(404, f"no API operation at {path}")
            return error_response(None, exc, request_id, profile)
        try:
            org = ""
            if op.secured:
                org = mock.tenancy.authenticate(request.headers.get(token_header), token_header)
                mock.tenancy.admit(org, mock.clock.pacing_now())
            parsed = parse_params(op, raw_params, request)
            if op.bodies:
                body = await read_body(request, config.max_request_bytes)
                await parse_body(op, request.headers.get("content-type"), body, parsed)
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
                request_id=request_id,
                request=request,
                documents=read_request(parsed.body),
                token=request.headers.get(token_header) or "",
            )
            result = mock.handlers[op.operation_id](ctx)
            reply = await result if inspect.isawaitable(result) else result
            assert isinstance(reply, Reply)
            body, headers = profile.render(
                reply.status, reply.body, reply.headers or None, op.operation_id
            )
            return json_response(reply.status, body, headers)
        except ApiError as exc:
            return error_response(op, exc, request_id, profile)
        except Exception:
            log.exception("internal error while serving %s %s", method, path)
            return json_response(
                500,
                {
                    "error": {
                        "code": 500,
                        "message": "Internal Server Error",
                        "details": "the mock failed unexpectedly; this is a bug in the mock",
                    },
                    "request_id": request_id,
                },
            )

    return api


def create_app(
    config: MockConfig | None = None, *, spec: dict[str, Any] | None = None
) -> Starlette:
    """Build the mock; ``spec`` (a parsed OpenAPI document) overrides the bundled one."""
    config = config or MockConfig()
    mock = Mock(profile_for(config).configure(config), HANDLERS, spec)
    api = asgi(make_api_endpoint(mock))
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

    app = Starlette(routes=routes, lifespan=lifespan)
    app.router.redirect_slashes = False
    app.router.default = api
    app.state.mock = mock
    return app

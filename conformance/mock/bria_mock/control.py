"""Endpoints outside the API namespace: the clock, reset, fault injection, file hosting, artefacts.

``/_mock/files/...`` (signed artefacts) is always served; the control endpoints can be switched
off with ``enable_control=False`` (``--no-control``) when the mock is exposed to others.
"""

from __future__ import annotations

import json
import math
import posixpath
import secrets
import uuid
from collections import OrderedDict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import bounded_json
from .clock import iso
from .context import base_url_of
from .core import Mock
from .domain import models
from .domain.models import Model
from .errors import ApiError, error_body
from .request_body import read_body
from .signed_files import ArtefactMissing, SignatureRefused
from .state import StateWriteError
from .validation import ascii_int

MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600.0
# Control bodies are a few fields of JSON; anything bigger is a mistake (our choice).
CONTROL_BODY_BYTES = 64 * 1024
HOSTED_FILES_BYTES = 256 * 1024 * 1024


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    content = json.dumps(body, separators=(",", ":")).encode()
    return Response(content, status_code=status, headers=headers, media_type="application/json")


def _error(exc: ApiError) -> Response:
    status = exc.statuses[0]
    return _json(
        status,
        error_body(None, status, exc.message, exc.details, uuid.uuid4().hex, None),
        exc.headers,
    )


async def _json_body(request: Request) -> Any:
    raw = await read_body(request, CONTROL_BODY_BYTES)
    if not raw.strip():
        return {}
    try:
        return bounded_json.loads(raw)
    except bounded_json.JsonRejected as exc:
        raise ApiError(400, exc.message) from None


class _HostedFiles:
    """Files posted to ``/_mock/files``: forgotten when their signed URL expires, and the oldest
    first once together they exceed ``HOSTED_FILES_BYTES`` (our choice), so posting files never
    grows the mock without bound."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock
        self._live: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._bytes = 0

    def add(self, upload_id: str, size: int, now: float) -> None:
        expired: list[str] = []
        ttl = self.mock.config.signed_url_ttl_seconds
        for key, (created, old_size) in list(self._live.items()):
            if created + ttl >= now and self._bytes + size <= HOSTED_FILES_BYTES:
                break
            expired.append(key)
            self._bytes -= old_size
            del self._live[key]
        if expired:
            self.mock.store.delete_blobs(f"upload/{key}" for key in expired)
        self._live[upload_id] = (now, size)
        self._bytes += size


def control_routes(mock: Mock) -> list[BaseRoute]:
    hosted = _HostedFiles(mock)

    def clock_view() -> dict[str, Any]:
        now = mock.clock.now()
        return {
            "now": iso(now),
            "epoch": now,
            "realtime": mock.clock.realtime,
            "speed": mock.clock.speed,
        }

    async def advance(request: Request) -> Response:
        try:
            body = await _json_body(request)
            seconds = body.get("seconds") if isinstance(body, dict) else None
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise ApiError(400, 'send {"seconds": N} with N a non-negative number')
            if not math.isfinite(seconds) or seconds < 0 or seconds > MAX_ADVANCE_SECONDS:
                raise ApiError(400, f"seconds must be between 0 and {MAX_ADVANCE_SECONDS:g}")
        except ApiError as exc:
            return _error(exc)
        mock.clock.advance(float(seconds))
        try:
            with mock.store.transaction(clock_changed=True):
                pass  # runs every piece of work that became due
        except StateWriteError as exc:
            mock.clock.advance(-float(seconds), rewind=True)
            return _json(500, error_body(None, 500, str(exc), "", uuid.uuid4().hex, None))
        return _json(200, clock_view())

    async def clock(request: Request) -> Response:
        return _json(200, clock_view())

    async def reset(request: Request) -> Response:
        mock.reset()
        return _json(200, {"reset": True, **clock_view()})

    async def fail_model(request: Request) -> Response:
        raw = request.path_params["model_id"]
        try:
            model_id = ascii_int(raw)
            if model_id is None:
                raise ApiError(400, "model_id must be an integer")
            body = await _json_body(request)
            reason = (
                body.get("reason", "training failed")
                if isinstance(body, dict)
                else "training failed"
            )
            with mock.store.transaction() as tx:
                model = tx.get(Model, model_id)
                if model is None:
                    raise ApiError(404, f"Model {raw} not found")
                models.fail_training(tx, model, str(reason))
                return _json(200, {"id": model.id, "status": model.status})
        except ApiError as exc:
            return _error(exc)

    async def host_file(request: Request) -> Response:
        """Store bytes and return a signed URL to them (for image_url / zip_url / model_url)."""
        name = posixpath.basename(request.query_params.get("filename", "file.bin")) or "file.bin"
        try:
            raw = await read_body(request, mock.config.max_request_bytes)
        except ApiError as exc:
            return _error(exc)
        upload_id = secrets.token_hex(8)
        ctype = request.headers.get("content-type", "application/octet-stream")
        now = mock.clock.now()
        hosted.add(upload_id, len(raw), now)
        mock.store.put_blob(f"upload/{upload_id}", ctype, raw)
        # Inside the /_mock mount the root path ends in /_mock; the signed URL adds it again.
        base = base_url_of(request, mock.config)
        base = base.removesuffix("/_mock/") + "/" if base.endswith("/_mock/") else base
        url = mock.signed_url(base, f"uploads/{upload_id}/{name}", now)
        return _json(201, {"url": url, "size": len(raw)})

    async def serve_file(request: Request) -> Response:
        try:
            ctype, data = mock.artefacts.resolve(
                request.url.path,
                request.query_params.get("expires"),
                request.query_params.get("signature"),
            )
        except SignatureRefused as exc:
            return _error(ApiError(403, str(exc.args[0])))
        except ArtefactMissing as exc:
            return _error(ApiError(404, str(exc.args[0])))
        headers = {"Cache-Control": "private, max-age=60"}
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(data))
            return Response(status_code=200, headers=headers, media_type=ctype)
        return Response(data, status_code=200, headers=headers, media_type=ctype)

    async def webhooks(request: Request) -> Response:
        """Every webhook delivery: its URL, state, attempts and the body it sends."""
        return _json(200, {"deliveries": mock.webhooks.listing()})

    async def deliver_webhooks(request: Request) -> Response:
        """Send every pending delivery now, retries included (in-process mocks have no
        background sender); answers the deliveries attempted."""
        return _json(200, {"deliveries": await mock.webhooks.deliver_due(force=True)})

    spec_bytes = json.dumps(mock.spec.doc).encode()

    async def openapi(request: Request) -> Response:
        """The spec this mock validates against (for Schemathesis and other tools)."""
        return Response(spec_bytes, media_type="application/json")

    routes: list[BaseRoute] = [
        Route("/files/{path:path}", serve_file, methods=["GET", "HEAD"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]
    if mock.config.enable_control:
        routes += [
            Route("/clock/advance", advance, methods=["POST"]),
            Route("/clock", clock, methods=["GET"]),
            Route("/reset", reset, methods=["POST"]),
            Route("/files", host_file, methods=["POST"]),
            Route("/models/{model_id}/fail", fail_model, methods=["POST"]),
            Route("/webhooks", webhooks, methods=["GET"]),
            Route("/webhooks/deliver", deliver_webhooks, methods=["POST"]),
        ]
    return routes

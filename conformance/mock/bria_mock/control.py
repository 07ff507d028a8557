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
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .clock import iso
from .core import Mock
from .errors import ApiError, error_body
from .resources import models as models_mod
from .resources.files import ArtefactMissing, SignatureRefused

MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600.0


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
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "the request body is not valid JSON") from None


def control_routes(mock: Mock) -> list[BaseRoute]:
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
        with mock.store.transaction():
            pass  # runs every piece of work that became due
        return _json(200, clock_view())

    async def clock(request: Request) -> Response:
        return _json(200, clock_view())

    async def reset(request: Request) -> Response:
        mock.reset()
        return _json(200, {"reset": True, **clock_view()})

    async def fail_model(request: Request) -> Response:
        raw = request.path_params["model_id"]
        try:
            if not str(raw).isdigit():
                raise ApiError(400, "model_id must be an integer")
            body = await _json_body(request)
            reason = (
                body.get("reason", "training failed")
                if isinstance(body, dict)
                else "training failed"
            )
            with mock.store.transaction() as tx:
                model = tx.get("model", int(raw))
                if model is None:
                    raise ApiError(404, f"Model {raw} not found")
                models_mod.fail_training(tx, model, str(reason))
                return _json(200, {"id": model["id"], "status": model["status"]})
        except ApiError as exc:
            return _error(exc)

    async def host_file(request: Request) -> Response:
        """Store bytes and return a signed URL to them (for image_url / zip_url / model_url)."""
        name = posixpath.basename(request.query_params.get("filename", "file.bin")) or "file.bin"
        raw = await request.body()
        if len(raw) > mock.config.max_request_bytes:
            return _error(ApiError(413, "the file is larger than the mock's request limit"))
        upload_id = secrets.token_hex(8)
        ctype = request.headers.get("content-type", "application/octet-stream")
        mock.store.put_blob(f"upload/{upload_id}", ctype, raw)
        url = mock.signed_url(
            mock.config.public_base_url or str(request.base_url),
            f"uploads/{upload_id}/{name}",
            mock.clock.now(),
        )
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
        ]
    return routes

"""Deliberately broken variants of the mock, each breaking one documented rule.

Every variant is an ASGI middleware around an unmodified mock: it rewrites requests or responses
the way a non-conforming server would behave, without knowing how the mock implements the rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Scope = dict[str, Any]
Headers = list[tuple[bytes, bytes]]


class Rewriter:
    """Buffers one HTTP exchange and lets subclasses edit the request and the response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    # Hooks -------------------------------------------------------------------------------
    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        return status, headers, body

    # ASGI --------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_mock/"):
            await self.app(scope, receive, send)
            return
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        scope, body = self.request(dict(scope), b"".join(chunks))
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        scope["headers"].append((b"content-length", str(len(body)).encode()))
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        start: dict[str, Any] = {}
        out: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))

        await self.app(scope, replay, capture)
        status, headers, payload = self.response(
            scope, start["status"], list(start.get("headers", [])), b"".join(out)
        )
        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _dump(value: Any) -> bytes:
    return json.dumps(value).encode()


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((v for k, v in scope["headers"] if k.lower() == name), None)


# -- state -------------------------------------------------------------------------------------
class AcceptsUploadsToCompletedDatasets(Rewriter):
    """A completed dataset still 'accepts' images: the 409 becomes a 201 with an image."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            scope["method"] == "POST"
            and re.fullmatch(r"/v1/tailored-gen/datasets/\d+/images", scope["path"])
            and status == 409
        ):
            dataset_id = int(scope["path"].split("/")[4])
            fake = {
                "id": 999999,
                "dataset_id": dataset_id,
                "caption": None,
                "caption_source": None,
                "image_name": "accepted.png",
                "image_url": "http://x/accepted.png",
                "thumbnail_url": "http://x/t.png",
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
            }
            return 201, headers, _dump(fake)
        return status, headers, body


class ModelStatusGoesBack(Rewriter):
    """A completed model is sometimes reported as still training."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.calls = 0

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            scope["method"] == "GET"
            and re.fullmatch(r"/v1/tailored-gen/models/\d+", scope["path"])
            and status == 200
        ):
            payload = _json(body)
            if isinstance(payload, dict) and payload.get("status") == "Completed":
                self.calls += 1
                if self.calls % 2 == 0:
                    payload["status"] = "InProgress"
                    return status, headers, _dump(payload)
        return status, headers, body


class DeletesActiveCheckpoint(Rewriter):
    """Deleting the checkpoint in use 'succeeds' (204) instead of being refused with 400."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["method"] == "DELETE" and "/checkpoints/" in scope["path"] and status == 400:
            return 204, [(k, v) for k, v in headers if k.lower() != b"content-type"], b""
        return status, headers, body


# -- bounds ------------------------------------------------------------------------------------
class ClampsTrainingRank(Rewriter):
    """An out-of-range rank is silently clamped into range and the training starts."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] == "POST" and scope["path"].endswith("/start_training"):
            payload = _json(body)
            if isinstance(payload, dict) and isinstance(payload.get("rank"), int):
                payload["rank"] = min(max(payload["rank"], 4), 256)
                return scope, _dump(payload)
        return scope, body


class AcceptsElevenSchemaImages(Rewriter):
    """Generate Visual Schema quietly drops images beyond the tenth instead of refusing."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] == "POST" and scope["path"].endswith("/generate_visual_schema"):
            payload = _json(body)
            if isinstance(payload, dict) and isinstance(payload.get("images"), list):
                payload["images"] = payload["images"][:10]
                return scope, _dump(payload)
        return scope, body


# -- auth ----------------------------------------------------------------------------------------
class IgnoresMissingToken(Rewriter):
    """Requests without api_token are served as if they came from the first organization."""

    def __init__(self, app: Any, token: str) -> None:
        super().__init__(app)
        self.token = token

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if _header(scope, b"api_token") is None:
            scope["headers"] = [*scope["headers"], (b"api_token", self.token.encode())]
        return scope, body


class SharesDataAcrossOrganizations(Rewriter):
    """Every token sees the first organization's data."""

    def __init__(self, app: Any, token: str, other: str) -> None:
        super().__init__(app)
        self.token, self.other = token.encode(), other.encode()

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        scope["headers"] = [
            (k, self.token if k.lower() == b"api_token" and v == self.other else v)
            for k, v in scope["headers"]
        ]
        return scope, body


# -- response shapes ---------------------------------------------------------------------------
class ProjectIdsAsStrings(Rewriter):
    """Project bodies carry their id as a string ("12") instead of an integer."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["path"].startswith("/v1/tailored-gen/projects") and 200 <= status < 300:
            payload = _json(body)
            items = payload if isinstance(payload, list) else [payload]
            for item in items:
                if (
                    isinstance(item, dict)
                    and isinstance(item.get("id"), int)
                    and "project_name" in item
                ):
                    item["id"] = str(item["id"])
            return status, headers, _dump(payload)
        return status, headers, body


class PlainNotFound(Rewriter):
    """404 answers lose Bria's envelope: {"detail": "Not Found"}."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == 404 and scope["path"].startswith("/v1/"):
            return status, headers, _dump({"detail": "Not Found"})
        return status, headers, body


class AlwaysSynchronous(Rewriter):
    """Generation answers 200 with the result even when the client did not ask for sync."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] == "POST" and scope["path"] == "/v2/image/generate/tailored":
            payload = _json(body)
            if isinstance(payload, dict) and "sync" not in payload:
                payload["sync"] = True
                return scope, _dump(payload)
        return scope, body


# -- routing ---------------------------------------------------------------------------------
class DownloadUnderTailoredGen(Rewriter):
    """The dataset download moved to /v1/tailored-gen/datasets/{id}/download (the documented
    /v1/datasets/{id}/download answers 404)."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        path = scope["path"]
        if re.fullmatch(r"/v1/datasets/[^/]+/download", path):
            scope["path"] = "/v1/no-such-route" + path
            scope["raw_path"] = scope["path"].encode()
        elif re.fullmatch(r"/v1/tailored-gen/datasets/[^/]+/download", path):
            scope["path"] = path.replace("/tailored-gen", "", 1)
            scope["raw_path"] = scope["path"].encode()
        return scope, body


# -- v1 generation (the operations bria-guide-v1.md documents in prose) -----------------------
class IgnoresCheckpointStep(Rewriter):
    """Generation "from a checkpoint" ignores the step and uses the model's final weights."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        found = re.fullmatch(r"(/v1/text-to-(?:image|vector)/tailored/\d+)/\d+", scope["path"])
        if scope["method"] == "POST" and found:
            scope["path"] = found.group(1)
            scope["raw_path"] = found.group(1).encode()
        return scope, body


class VectorsForAnyModel(Rewriter):
    """text-to-vector 'succeeds' for models outside the illustrative domain."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            scope["method"] == "POST"
            and scope["path"].startswith("/v1/text-to-vector/")
            and (status == 400)
        ):
            return 200, headers, _dump({"result": [{"urls": ["http://x/vector.svg"]}]})
        return status, headers, body


class SecondGuidanceAlone(Rewriter):
    """guidance_method_2 without guidance_method_1 is quietly used as the first method."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        payload = _json(body)
        if (
            scope["method"] == "POST"
            and scope["path"].startswith("/v1/text-to-image/")
            and isinstance(payload, dict)
            and "guidance_method_2" in payload
            and "guidance_method_1" not in payload
        ):
            moved = {
                k.replace("guidance_method_2", "guidance_method_1"): v for k, v in payload.items()
            }
            return scope, _dump(moved)
        return scope, body


class ClampsSlowResults(Rewriter):
    """With fast=false, num_results above 2 is clamped to 2 instead of refused."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        payload = _json(body)
        if (
            scope["method"] == "POST"
            and scope["path"].startswith("/v1/text-to-image/")
            and isinstance(payload, dict)
            and payload.get("fast") is False
            and isinstance(payload.get("num_results"), int)
        ):
            payload["num_results"] = min(payload["num_results"], 2)
            return scope, _dump(payload)
        return scope, body


class LenientPrefixImages(Rewriter):
    """generate_prefix keeps the first six images and ignores image_urls next to images."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        payload = _json(body)
        if (
            scope["method"] == "POST"
            and scope["path"] == "/v1/tailored-gen/generate_prefix"
            and isinstance(payload, dict)
        ):
            if isinstance(payload.get("images"), list):
                payload["images"] = payload["images"][:6]
                payload.pop("image_urls", None)
            return scope, _dump(payload)
        return scope, body


class RestylesWithAnyModel(Rewriter):
    """restyle_portrait answers with an image for any model, compatible or not."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["method"] == "POST" and scope["path"] == "/v1/tailored-gen/restyle_portrait":
            payload = _json(body)
            error = payload.get("error") if isinstance(payload, dict) else None
            if status == 400 and isinstance(error, dict) and "model" in str(error.get("message")):
                return 200, headers, _dump({"image_res": "http://x/portrait.png"})
        return status, headers, body


@dataclass(frozen=True)
class Variant:
    name: str
    kind: str
    #: The catalog entry the broken rule belongs to.
    entry: str
    #: `--bria-only` selection: the area of the catalog the run covers (broader than the entry).
    select: str
    build: Callable[[Any, str, str], Any]


VARIANTS = [
    Variant(
        "uploads-to-completed-dataset",
        "state",
        "dataset.completed-freezes-uploads",
        "dataset.*",
        lambda app, a, b: AcceptsUploadsToCompletedDatasets(app),
    ),
    Variant(
        "model-status-goes-back",
        "state",
        "model.status-machine",
        "model.*",
        lambda app, a, b: ModelStatusGoesBack(app),
    ),
    Variant(
        "active-checkpoint-deletable",
        "state",
        "training.active-checkpoint-kept",
        "training.*checkpoint*",
        lambda app, a, b: DeletesActiveCheckpoint(app),
    ),
    Variant(
        "rank-clamped",
        "limit",
        "training.bound.rank",
        "training.bound.*,training.expert-only-parameters",
        lambda app, a, b: ClampsTrainingRank(app),
    ),
    Variant(
        "eleven-schema-images",
        "limit",
        "schema-tools.visual-schema-image-count",
        "schema-tools.*",
        lambda app, a, b: AcceptsElevenSchemaImages(app),
    ),
    Variant(
        "missing-token-accepted",
        "auth",
        "auth.token-required",
        "auth.*",
        lambda app, a, b: IgnoresMissingToken(app, a),
    ),
    Variant(
        "organizations-share-data",
        "auth",
        "auth.org-scoped-lists",
        "auth.*",
        lambda app, a, b: SharesDataAcrossOrganizations(app, a, b),
    ),
    Variant(
        "project-id-string",
        "shape",
        "shape.ids-are-integers",
        "shape.*,project.*",
        lambda app, a, b: ProjectIdsAsStrings(app),
    ),
    Variant(
        "plain-404",
        "shape",
        "shape.error-envelope",
        "shape.*",
        lambda app, a, b: PlainNotFound(app),
    ),
    Variant(
        "always-sync",
        "async",
        "generate.async-default",
        "generate.*",
        lambda app, a, b: AlwaysSynchronous(app),
    ),
    Variant(
        "download-route-moved",
        "routing",
        "shape.documented-routes",
        "dataset.download-advanced-only,op.download-dataset.*",
        lambda app, a, b: DownloadUnderTailoredGen(app),
    ),
    Variant(
        "v1-checkpoint-ignored",
        "state",
        "v1gen.checkpoint-exists",
        "v1gen.checkpoint-exists",
        lambda app, a, b: IgnoresCheckpointStep(app),
    ),
    Variant(
        "v1-vectors-for-any-model",
        "state",
        "v1gen.vector-illustrative-only",
        "v1gen.vector-illustrative-only",
        lambda app, a, b: VectorsForAnyModel(app),
    ),
    Variant(
        "v1-second-guidance-alone",
        "limit",
        "v1gen.guidance-second-needs-first",
        "v1gen.guidance-*",
        lambda app, a, b: SecondGuidanceAlone(app),
    ),
    Variant(
        "v1-slow-results-clamped",
        "limit",
        "v1gen.fast-false-one-or-two",
        "v1gen.fast-false-one-or-two,v1gen.sync-result-urls",
        lambda app, a, b: ClampsSlowResults(app),
    ),
    Variant(
        "v1-prefix-images-lenient",
        "limit",
        "v1gen.prefix-image-count",
        "v1gen.prefix-*",
        lambda app, a, b: LenientPrefixImages(app),
    ),
    Variant(
        "v1-restyle-any-model",
        "state",
        "v1gen.restyle-compatible-models",
        "v1gen.restyle-*",
        lambda app, a, b: RestylesWithAnyModel(app),
    ),
]

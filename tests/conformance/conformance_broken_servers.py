"""Deliberately broken variants of the mock, each breaking one documented rule.

Every variant is an ASGI middleware around an unmodified mock: it rewrites requests or responses
the way a non-conforming server would behave, without knowing how the mock implements the rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
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

    def passes(self, scope: Scope) -> bool:
        """Exchanges left alone: the mock's control endpoints and the files it signs URLs for."""
        return bool(scope["path"].startswith("/_mock/"))

    # ASGI --------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.passes(scope):
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


class MissingImageIsBadRequest(Rewriter):
    """An image id that does not exist is answered 400 instead of 404."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        image = re.fullmatch(r"/v1/tailored-gen/datasets/\d+/images/\d+", scope["path"])
        if image and status == 404:
            return 400, headers, body
        return status, headers, body


class OneModelPerDataset(Rewriter):
    """A second model on a dataset that already has one is refused with 409."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.used: set[Any] = set()
        self.pending: Any = None

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        self.pending = None
        if scope["method"] == "POST" and scope["path"] == "/v1/tailored-gen/models":
            payload = _json(body)
            if isinstance(payload, dict):
                self.pending = payload.get("dataset_id")
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == 201 and self.pending is not None:
            if self.pending in self.used:
                return 409, headers, _dump({"message": "the dataset already has a model"})
            self.used.add(self.pending)
        return status, headers, body


class CaptionsWithoutSchema(Rewriter):
    """Images listed without a caption are given an invented one."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            scope["method"] == "GET"
            and re.fullmatch(r"/v1/tailored-gen/datasets/\d+/images", scope["path"])
            and status == 200
        ):
            payload = _json(body)
            if isinstance(payload, list):
                for image in payload:
                    if isinstance(image, dict) and image.get("caption") is None:
                        image["caption"] = '{"subject": "invented"}'
                return status, headers, _dump(payload)
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


# -- bodies the documents fix ----------------------------------------------------------------
P_ = "/v1/tailored-gen"


class EditJson(Rewriter):
    """Rewrites the JSON body of matching successful answers with `edit` (in place)."""

    def __init__(
        self,
        app: Any,
        method: str,
        pattern: str,
        edit: Callable[[Any], None],
        statuses: tuple[int, ...] = (200, 201, 202),
    ) -> None:
        super().__init__(app)
        self.method, self.pattern, self.edit, self.statuses = method, pattern, edit, statuses

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            scope["method"] == self.method
            and status in self.statuses
            and re.fullmatch(self.pattern, scope["path"])
        ):
            payload = _json(body)
            if payload is not None:
                self.edit(payload)
                return status, headers, _dump(payload)
        return status, headers, body


def _drop(*keys: str) -> Callable[[Any], None]:
    def edit(payload: Any) -> None:
        for item in payload if isinstance(payload, list) else [payload]:
            if isinstance(item, dict):
                for key in keys:
                    item.pop(key, None)

    return edit


def _set(key: str, value: Any) -> Callable[[Any], None]:
    def edit(payload: Any) -> None:
        for item in payload if isinstance(payload, list) else [payload]:
            if isinstance(item, dict):
                item[key] = value

    return edit


def _edit_nested(key: str, edit: Callable[[Any], None]) -> Callable[[Any], None]:
    def nested(payload: Any) -> None:
        if isinstance(payload, dict) and payload.get(key) is not None:
            edit(payload[key])

    return nested


class ForbiddenAsObject(Rewriter):
    """403 answers carry {"message": ...} instead of the documented JSON string."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == 403:
            payload = _json(body)
            text = payload if isinstance(payload, str) else "Access denied"
            return status, headers, _dump({"message": text})
        return status, headers, body


class ForeignAccessIsForbidden(Rewriter):
    """Foreign resources answer 403 with an object body (the mock itself answers 404)."""

    def __init__(self, app: Any, other: str) -> None:
        super().__init__(app)
        self.other = other.encode()

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == 404 and _header(scope, b"api_token") == self.other:
            return 403, headers, _dump({"detail": "forbidden"})
        return status, headers, body


class StatusNotFoundAsRoute(Rewriter):
    """Unknown request ids get a route-not-found 404, not {"status": "NOT_FOUND"}."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["path"].startswith("/v2/status/") and status == 404:
            return status, headers, _dump({"detail": "Not Found"})
        return status, headers, body


class BoundsAsMessage(Rewriter):
    """Out-of-range training parameters get {"message"} instead of the documented errors[]."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["path"].endswith("/start_training") and status == 400:
            payload = _json(body)
            if isinstance(payload, dict) and isinstance(payload.get("errors"), list):
                first = payload["errors"][0] if payload["errors"] else {}
                return status, headers, _dump({"message": str(first.get("msg", "invalid"))})
        return status, headers, body


class ErrorsWithoutFieldInput(Rewriter):
    """errors[] items lose field_input."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["path"].endswith("/start_training") and status == 400:
            payload = _json(body)
            if isinstance(payload, dict) and isinstance(payload.get("errors"), list):
                for item in payload["errors"]:
                    if isinstance(item, dict):
                        item.pop("field_input", None)
                return status, headers, _dump(payload)
        return status, headers, body


class RemembersPut(Rewriter):
    """A server that lets an update change fields the documents keep fixed: it remembers what a
    PUT sent for `fields` and shows it in every later read of that resource."""

    def __init__(self, app: Any, pattern: str, fields: tuple[str, ...]) -> None:
        super().__init__(app)
        self.pattern, self.fields = pattern, fields
        self.changed: dict[str, dict[str, Any]] = {}

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] == "PUT" and re.fullmatch(self.pattern, scope["path"]):
            payload = _json(body)
            if isinstance(payload, dict):
                sent = {k: payload.pop(k) for k in self.fields if k in payload}
                if sent:
                    self.changed.setdefault(scope["path"], {}).update(sent)
                    return scope, _dump(payload)
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        changed = self.changed.get(scope["path"])
        if changed and status == 200:
            payload = _json(body)
            if isinstance(payload, dict):
                payload.update(changed)
                return status, headers, _dump(payload)
        return status, headers, body


class FinishesAtOnce(Rewriter):
    """Asynchronous work reads as finished right away (a stateless server answering the final
    example): `field` in answers to `pattern` is replaced per `finished`."""

    def __init__(self, app: Any, pattern: str, field: str, finished: dict[str, str]) -> None:
        super().__init__(app)
        self.pattern, self.field, self.finished = pattern, field, finished

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if 200 <= status < 300 and re.fullmatch(self.pattern, scope["path"]):
            payload = _json(body)
            if isinstance(payload, dict) and payload.get(self.field) in self.finished:
                payload[self.field] = self.finished[payload[self.field]]
                if payload[self.field] == "COMPLETED":
                    payload.setdefault("result", {"image_url": "http://x/a.png", "seed": 1})
                return status, headers, _dump(payload)
        return status, headers, body


class AcceptsAnyAspectRatio(Rewriter):
    """Unknown aspect ratios are quietly replaced by 1:1."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["path"] == "/v2/image/generate/tailored":
            payload = _json(body)
            if isinstance(payload, dict) and payload.get("aspect_ratio") not in (
                None,
                "1:1",
                "2:3",
                "3:2",
                "3:4",
                "4:3",
                "4:5",
                "5:4",
                "9:16",
                "16:9",
            ):
                payload["aspect_ratio"] = "1:1"
                return scope, _dump(payload)
        return scope, body


class Rewrites(Rewriter):
    """Answers matching (method, path pattern, status) get another status and body."""

    def __init__(
        self, app: Any, method: str, pattern: str, status: int, new_status: int, new_body: Any
    ) -> None:
        super().__init__(app)
        self.method, self.pattern, self.status = method, pattern, status
        self.new_status, self.new_body = new_status, new_body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            scope["method"] == self.method
            and status == self.status
            and re.fullmatch(self.pattern, scope["path"])
        ):
            return self.new_status, headers, _dump(self.new_body)
        return status, headers, body


class StripsModerationFlag(Rewriter):
    """content_moderation is ignored: the flag is dropped from requests (form or JSON)."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] == "POST" and (
            scope["path"].endswith("/images") or scope["path"].endswith("/generate_visual_schema")
        ):
            payload = _json(body)
            if isinstance(payload, dict) and "content_moderation" in payload:
                payload.pop("content_moderation")
                return scope, _dump(payload)
            if b'name="content_moderation"' in body:
                return scope, body.replace(b'name="content_moderation"', b'name="x_ignored"')
        return scope, body


class UnknownTokenOnWritesIs403(Rewriter):
    """An unknown token on a write is answered 403 instead of 401."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == 401 and scope["method"] != "GET" and _header(scope, b"api_token"):
            return 403, headers, _dump("Access denied")
        return status, headers, body


class ManagementUnderV2(Rewriter):
    """Model operations are served under /v2/tailored-gen; /v1/tailored-gen/models 404s."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        path = scope["path"]
        if path.startswith("/v1/tailored-gen/models/") and path.endswith("/checkpoints"):
            scope["path"] = "/v9" + path
        elif path.startswith("/v2/tailored-gen/"):
            scope["path"] = path.replace("/v2/", "/v1/", 1)
        scope["raw_path"] = scope["path"].encode()
        return scope, body


class Hostile500(Rewriter):
    """A server whose JSON reader chokes on hostile text: lone surrogates, huge integers or
    deep nesting crash it (500)."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        return status, headers, body

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
        data = b"".join(chunks)
        if self.triggers(data, scope):
            await send({"type": "http.response.start", "status": 500, "headers": []})
            await send({"type": "http.response.body", "body": b"Internal Server Error"})
            return
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}

        await self.app(scope, replay, send)

    def triggers(self, data: bytes, scope: Scope) -> bool:
        return False


class SurrogateCrash(Hostile500):
    def triggers(self, data: bytes, scope: Scope) -> bool:
        return b"\\ud800" in data.lower()


class HugeIntegerCrash(Hostile500):
    def triggers(self, data: bytes, scope: Scope) -> bool:
        return re.search(rb"\d{4301}", data) is not None


class DeepNestingCrash(Hostile500):
    def triggers(self, data: bytes, scope: Scope) -> bool:
        return b"[" * 256 in data


class BadPathIdCrash(Hostile500):
    def triggers(self, data: bytes, scope: Scope) -> bool:
        return re.search(r"/\d{1000}", scope["path"]) is not None


class MalformedUrlCrash(Hostile500):
    def triggers(self, data: bytes, scope: Scope) -> bool:
        return b"http://[::1/" in data or b":99999/" in data


class StructuredPromptObjectCrash(Hostile500):
    def triggers(self, data: bytes, scope: Scope) -> bool:
        payload = _json(data)
        return (
            isinstance(payload, dict)
            and payload.get("structured_prompt") not in (None,)
            and not isinstance(payload.get("structured_prompt"), str)
        )


#: Targeted tests only: the Schemathesis phase and the state machine are not needed to reach the
#: rules these variants break, and leaving them out keeps each run to seconds.
NARROW = ("-k", "not test_operation and not test_lifecycle_state_machine")


#: The hostile tests of a few operations that between them send every hostile class.
HOSTILE = (
    "-k",
    "hostile and (tailored-gen/projects] or structured_prompt/generate or start_training"
    " or images] or query)",
)


class RefusesClientForms(Rewriter):
    """A server as strict as the normalized spec's types: a boolean sent as 0/1 or an id or seed
    sent as a digit string is refused 400, although Bria's own clients send them."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        payload = _json(body)
        if scope["method"] == "POST" and isinstance(payload, dict):
            for key, value in payload.items():
                integer_bool = key in ("fast", "content_moderation") and type(value) is int
                digits = key in ("tailored_model_id", "seed") and isinstance(value, str)
                if integer_bool or digits:
                    scope["bria_refuse"] = f"'{key}': {value!r} is not of the declared type"
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if "bria_refuse" in scope:
            error = {"error": {"code": 400, "message": scope["bria_refuse"], "details": ""}}
            return 400, headers, _dump({**error, "request_id": "refused"})
        return status, headers, body


class NoReimagineRoute(Rewriter):
    """A server without POST /v1/reimagine (the route Bria's ComfyUI node calls): 404."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["path"] == "/v1/reimagine":
            error = {"code": 404, "message": "no API operation at /v1/reimagine", "details": ""}
            return 404, headers, _dump({"error": error, "request_id": "none"})
        return status, headers, body


class IgnoresWebhookUrl(Rewriter):
    """A server that accepts webhook_url and never delivers (drops it from every request)."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        payload = _json(body)
        if isinstance(payload, dict) and "webhook_url" in payload:
            del payload["webhook_url"]
            return scope, _dump(payload)
        return scope, body


def signs_with_another_key(app: Any) -> Any:
    """A server whose deliveries are signed with a key not derived from the api_token."""
    from bria_tailored.runtime.webhooks import signature_headers

    def wrong(key: bytes, webhook_id: str, payload: bytes, now: float) -> dict[str, str]:
        return signature_headers(b"not-the-token-key", webhook_id, payload, now)

    app.state.mock.webhooks.sign = wrong
    return app


@dataclass(frozen=True)
class Variant:
    name: str
    kind: str
    #: The catalog entry the broken rule belongs to.
    entry: str
    #: `--bria-only` selection: the area of the catalog the run covers (broader than the entry).
    select: str
    build: Callable[[Any, str, str], Any]
    #: Extra pytest arguments narrowing the run to the tests that reach the broken rule.
    args: tuple[str, ...] = ()
    #: The part of the entry (its `parts` in bria_conformance/catalog.yaml) the variant breaks.
    part: str | None = None
    #: Further (entry, part) pairs the same server breaks; the suite must fail each entry too.
    more: tuple[tuple[str, str], ...] = ()
    #: A pattern every failure of the entries it breaks must match (or one pattern per entry):
    #: they fail for the reason of the part broken, not another.
    because: str | dict[str, str] | None = None


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
        "auth.token-required",
        lambda app, a, b: IgnoresMissingToken(app, a),
        # The dedicated test and the Schemathesis check on the project operations.
        ("-k", "not test_operation or project_id"),
    ),
    Variant(
        "organizations-share-data",
        "auth",
        "auth.org-scoped-lists",
        "auth.org-*",
        lambda app, a, b: SharesDataAcrossOrganizations(app, a, b),
    ),
    Variant(
        "project-id-string",
        "shape",
        "shape.ids-are-integers",
        "shape.ids-are-integers,project.*",
        lambda app, a, b: ProjectIdsAsStrings(app),
        ("-k", "not test_operation or project_id"),
    ),
    Variant(
        "plain-404",
        "shape",
        "shape.error-envelope",
        "shape.error-envelope",
        lambda app, a, b: PlainNotFound(app),
        ("-k", "not test_operation or project_id"),
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
    # -- bodies the documents fix --------------------------------------------------------------
    Variant(
        "forbidden-as-object",
        "shape",
        "shape.forbidden-is-string",
        "shape.forbidden-is-string",
        lambda app, a, b: ForbiddenAsObject(ForeignAccessIsForbidden(app, b)),
        ("-k", "foreign"),
    ),
    Variant(
        "project-without-created-at",
        "shape",
        "project.created-active",
        "project.created-active",
        lambda app, a, b: EditJson(app, "POST", f"{P_}/projects", _drop("created_at")),
        NARROW,
    ),
    Variant(
        "project-created-with-other-medium",
        "state",
        "project.created-active",
        "project.created-active",
        lambda app, a, b: EditJson(
            app, "POST", f"{P_}/projects", _set("ip_medium", "illustration")
        ),
        NARROW,
    ),
    Variant(
        "dataset-captions-status-not-empty",
        "state",
        "dataset.created-draft",
        "dataset.created-draft",
        lambda app, a, b: EditJson(
            app, "POST", f"{P_}/datasets", _set("captions_update_status", "completed")
        ),
        NARROW,
    ),
    Variant(
        "dataset-visual-schema-not-null",
        "state",
        "dataset.created-draft",
        "dataset.created-draft",
        lambda app, a, b: EditJson(app, "POST", f"{P_}/datasets", _set("visual_schema", "")),
        NARROW,
    ),
    Variant(
        "model-without-training-parameters",
        "state",
        "model.created",
        "model.created",
        lambda app, a, b: EditJson(app, "POST", f"{P_}/models", _drop("training_parameters")),
        NARROW,
    ),
    Variant(
        "model-without-checkpoint-steps",
        "state",
        "model.created",
        "model.created",
        lambda app, a, b: EditJson(app, "POST", f"{P_}/models", _drop("checkpoint_steps")),
        NARROW,
    ),
    Variant(
        "defaults-without-warmup",
        "state",
        "training.defaults",
        "training.defaults",
        lambda app, a, b: EditJson(
            app,
            "POST",
            rf"{P_}/models/\d+/start_training",
            _edit_nested("training_parameters", _drop("lr_warmup_steps")),
        ),
        NARROW,
    ),
    Variant(
        "model-read-loses-parameters",
        "state",
        "training.defaults",
        "training.defaults",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/models/\d+", _set("training_parameters", {})
        ),
        NARROW,
    ),
    Variant(
        "bounds-as-message",
        "limit",
        "training.bound.rank",
        "training.bound.rank",
        lambda app, a, b: BoundsAsMessage(app),
        NARROW,
    ),
    Variant(
        "errors-without-field-input",
        "limit",
        "training.bound.total_training_steps",
        "training.bound.total_training_steps",
        lambda app, a, b: ErrorsWithoutFieldInput(app),
        NARROW,
    ),
    Variant(
        "download-without-model-card",
        "shape",
        "training.download-after-completion",
        "training.download-after-completion",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/models/\d+/download", _drop("base_model_card")
        ),
        NARROW,
    ),
    Variant(
        "bulk-failures-without-error-code",
        "shape",
        "bulk.failures-reported",
        "bulk.failures-reported",
        lambda app, a, b: EditJson(
            app,
            "GET",
            rf"{P_}/datasets/\d+/images/bulk-upload/status",
            lambda p: [f.pop("error_code", None) for f in p.get("failed_images") or []],
        ),
        NARROW,
    ),
    Variant(
        "status-not-found-as-route",
        "shape",
        "status.unknown-request-404",
        "status.unknown-request-404",
        lambda app, a, b: StatusNotFoundAsRoute(app),
        NARROW,
    ),
    Variant(
        "automatic-caption-plain-text",
        "shape",
        "image.caption-regeneration",
        "image.caption-regeneration",
        lambda app, a, b: EditJson(
            app,
            "PUT",
            rf"{P_}/datasets/\d+/images/\d+",
            lambda p: (
                p.get("caption_source") == "automatic"
                and p.update(caption="a flat illustration of a cube")
            ),
        ),
        NARROW,
    ),
    Variant(
        "include-training-parameters-ignored",
        "state",
        "model.include-training-parameters",
        "model.include-training-parameters",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/projects/\d+/models", _drop("training_parameters")
        ),
        NARROW,
    ),
    # -- immutable fields ---------------------------------------------------------------------
    Variant(
        "project-ip-medium-mutable",
        "state",
        "project.update-persists",
        "project.update-persists",
        lambda app, a, b: RemembersPut(app, rf"{P_}/projects/\d+", ("ip_medium", "ip_type")),
        NARROW,
    ),
    Variant(
        "model-dataset-mutable",
        "state",
        "model.update-name-description-only",
        "model.update-name-description-only",
        lambda app, a, b: RemembersPut(app, rf"{P_}/models/\d+", ("dataset_id", "training_mode")),
        NARROW,
    ),
    # -- transitions seen, not inferred --------------------------------------------------------
    Variant(
        "training-completes-at-once",
        "async",
        "model.status-machine",
        "model.status-machine,training.completes",
        lambda app, a, b: FinishesAtOnce(
            app, rf"{P_}/models/\d+", "status", {"InProgress": "Completed"}
        ),
        NARROW,
    ),
    Variant(
        "captions-complete-at-once",
        "async",
        "captions.regenerate-all-async",
        "captions.regenerate-all-async",
        lambda app, a, b: FinishesAtOnce(
            app,
            rf"{P_}/datasets/\d+(/images)?",
            "captions_update_status",
            {"in_progress": "completed"},
        ),
        NARROW,
    ),
    Variant(
        "bulk-never-processing",
        "async",
        "bulk.async-progress",
        "bulk.async-progress",
        lambda app, a, b: FinishesAtOnce(
            app,
            rf"{P_}/datasets/\d+/images/bulk-upload/status",
            "status",
            {"processing": "pending"},
        ),
        NARROW,
    ),
    Variant(
        "request-completes-at-once",
        "async",
        "status.values",
        "status.values",
        lambda app, a, b: FinishesAtOnce(
            app, r"/v2/status/[^/]+", "status", {"IN_PROGRESS": "COMPLETED"}
        ),
        NARROW,
    ),
    # -- documented rules that had no test ----------------------------------------------------
    Variant(
        "training-version-never-locked",
        "state",
        "project.training-version-locked",
        "project.training-version-locked",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/projects/\d+", _set("training_version", None)
        ),
        NARROW,
    ),
    Variant(
        "training-version-set-from-start",
        "state",
        "project.training-version-locked",
        "project.training-version-locked",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/projects/\d+", lambda p: p.update(training_version="fibo")
        ),
        NARROW,
    ),
    Variant(
        "upload-moderation-ignored",
        "limit",
        "image.moderation",
        "image.moderation",
        lambda app, a, b: StripsModerationFlag(app),
        NARROW,
    ),
    Variant(
        "visual-schema-moderation-ignored",
        "limit",
        "schema-tools.visual-schema-moderation",
        "schema-tools.visual-schema-moderation",
        lambda app, a, b: StripsModerationFlag(app),
        NARROW,
    ),
    Variant(
        "unreachable-url-as-400",
        "limit",
        "image.unreachable-url",
        "image.unreachable-url",
        lambda app, a, b: Rewrites(
            Rewrites(app, "POST", rf"{P_}/datasets/\d+/images", 460, 400, {"message": "bad url"}),
            "POST",
            rf"{P_}/datasets/\d+/images",
            422,
            400,
            {"message": "bad url"},
        ),
        NARROW,
    ),
    Variant(
        "gif-schema-as-400",
        "limit",
        "schema-tools.visual-schema-formats",
        "schema-tools.visual-schema-formats",
        lambda app, a, b: Rewrites(
            app, "POST", rf"{P_}/generate_visual_schema", 415, 400, {"message": "bad image"}
        ),
        NARROW,
    ),
    Variant(
        "any-aspect-ratio",
        "limit",
        "generate.aspect-ratio-enum",
        "generate.aspect-ratio-enum",
        lambda app, a, b: AcceptsAnyAspectRatio(app),
        NARROW,
    ),
    Variant(
        "video-unknown-model-accepted",
        "state",
        "video.unknown-model",
        "video.unknown-model",
        lambda app, a, b: Rewrites(
            app,
            "POST",
            "/v2/video/generate/tailored/image-to-video",
            404,
            202,
            {"request_id": "x", "status_url": "http://x/v2/status/x"},
        ),
        NARROW,
    ),
    Variant(
        "video-invalid-image-as-400",
        "limit",
        "video.invalid-image",
        "video.invalid-image",
        lambda app, a, b: Rewrites(
            app,
            "POST",
            "/v2/video/generate/tailored/image-to-video",
            415,
            400,
            {"message": "bad image"},
        ),
        NARROW,
    ),
    Variant(
        "unknown-token-on-write-403",
        "auth",
        "auth.token-invalid",
        "auth.token-invalid",
        lambda app, a, b: UnknownTokenOnWritesIs403(app),
        NARROW,
    ),
    Variant(
        "checkpoints-not-under-v1",
        "routing",
        "shape.version-prefix",
        "shape.version-prefix",
        lambda app, a, b: ManagementUnderV2(app),
        NARROW,
    ),
    # -- hostile input ------------------------------------------------------------------------
    Variant(
        "lone-surrogate-500",
        "hostile",
        "shape.no-server-error",
        "shape.no-server-error",
        lambda app, a, b: SurrogateCrash(app),
        HOSTILE,
    ),
    Variant(
        "huge-integer-500",
        "hostile",
        "shape.no-server-error",
        "shape.no-server-error",
        lambda app, a, b: HugeIntegerCrash(app),
        HOSTILE,
    ),
    Variant(
        "deep-nesting-500",
        "hostile",
        "shape.no-server-error",
        "shape.no-server-error",
        lambda app, a, b: DeepNestingCrash(app),
        HOSTILE,
    ),
    Variant(
        "huge-path-id-500",
        "hostile",
        "shape.no-server-error",
        "shape.no-server-error",
        lambda app, a, b: BadPathIdCrash(app),
        HOSTILE,
    ),
    Variant(
        "malformed-url-500",
        "hostile",
        "shape.no-server-error",
        "shape.no-server-error",
        lambda app, a, b: MalformedUrlCrash(app),
        HOSTILE,
    ),
    Variant(
        "structured-prompt-object-500",
        "hostile",
        "shape.no-server-error",
        "shape.no-server-error",
        lambda app, a, b: StructuredPromptObjectCrash(app),
        HOSTILE,
    ),
    Variant(
        "missing-image-400",
        "shape",
        "shape.unknown-resource-404",
        "shape.unknown-resource-404",
        lambda app, a, b: MissingImageIsBadRequest(app),
    ),
    Variant(
        "one-model-per-dataset",
        "state",
        "model.many-per-dataset",
        "model.many-per-dataset",
        lambda app, a, b: OneModelPerDataset(app),
    ),
    Variant(
        "captions-without-schema",
        "state",
        "bulk.without-schema",
        "bulk.without-schema",
        lambda app, a, b: CaptionsWithoutSchema(app),
    ),
    Variant(
        "refuses-client-forms",
        "shape",
        "clients.request-forms",
        "clients.request-forms",
        lambda app, a, b: RefusesClientForms(app),
    ),
    Variant(
        "no-reimagine-route",
        "routing",
        "v1gen.reimagine-model-in-body",
        "v1gen.reimagine-model-in-body",
        lambda app, a, b: NoReimagineRoute(app),
    ),
    Variant(
        "ignores-webhook-url",
        "async",
        "webhooks.signed-delivery",
        "webhooks.signed-delivery",
        lambda app, a, b: IgnoresWebhookUrl(app),
    ),
    Variant(
        "webhook-signed-with-another-key",
        "async",
        "webhooks.signed-delivery",
        "webhooks.signed-delivery",
        lambda app, a, b: signs_with_another_key(app),
    ),
]


# -- one variant per audited part ------------------------------------------------------------
class ForeignModel403AsObject(Rewriter):
    """Generation with another organization's model is refused 403, with an object body."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == 403 and scope["path"].startswith("/v2/"):
            return status, headers, _dump({"message": "Model does not belong to organization"})
        return status, headers, body


class ReshapesUploads(Rewriter):
    """Uploaded PNGs are reshaped before storing: squashed to a square (`squash`), or cut to a
    square from the top left corner instead of the centre."""

    def __init__(self, app: Any, squash: bool) -> None:
        super().__init__(app)
        self.squash = squash

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        start, end = body.find(b"\x89PNG"), body.find(b"IEND")
        if scope["method"] != "POST" or not scope["path"].endswith("/images") or start < 0:
            return scope, body
        end += 8  # the IEND chunk's type and CRC
        import io

        from PIL import Image

        with Image.open(io.BytesIO(body[start:end])) as img:
            side = min(img.size)
            if img.size[0] == img.size[1]:
                return scope, body
            shaped = img.resize((side, side)) if self.squash else img.crop((0, 0, side, side))
            out = io.BytesIO()
            shaped.save(out, "PNG")
        return scope, body[:start] + out.getvalue() + body[end:]


_LISTS = {
    "projects": re.compile(rf"{P_}/projects"),
    "datasets": re.compile(rf"{P_}/(projects/\d+/)?datasets"),
    "models": re.compile(rf"{P_}/(projects/\d+/)?models"),
}


class Ghosts(Rewriter):
    """Deleted resources linger in lists: after a DELETE of a project, dataset or model, the
    lists of `kinds` keep showing what was deleted (with a project, its datasets and models)."""

    def __init__(self, app: Any, kinds: tuple[str, ...]) -> None:
        super().__init__(app)
        self.kinds = kinds
        self.seen: dict[tuple[str, int], dict[str, Any]] = {}
        self.ghosts: list[tuple[str, dict[str, Any]]] = []

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        found = re.fullmatch(rf"{P_}/(projects|datasets|models)(?:/(\d+))?", path)
        payload = _json(body) if 200 <= status < 300 else None
        for item in payload if isinstance(payload, list) else [payload]:
            if found and isinstance(item, dict) and isinstance(item.get("id"), int):
                self.seen[(found.group(1), item["id"])] = item
        if scope["method"] == "DELETE" and status == 204 and found and found.group(2):
            kind, ident = found.group(1), int(found.group(2))
            gone = [(kind, self.seen.get((kind, ident), {"id": ident}))]
            if kind == "projects":
                gone += [
                    (k, item)
                    for (k, _), item in self.seen.items()
                    if k in ("datasets", "models") and item.get("project_id") == ident
                ]
            self.ghosts += [(k, item) for k, item in gone if k in self.kinds]
        if scope["method"] == "GET" and status == 200 and isinstance(payload, list):
            for kind, pattern in _LISTS.items():
                if pattern.fullmatch(path):
                    listed = {i.get("id") for i in payload if isinstance(i, dict)}
                    payload += [i for k, i in self.ghosts if k == kind and i["id"] not in listed]
                    return status, headers, _dump(payload)
        return status, headers, body


class ForgetsRefusal(Rewriter):
    """A refused request still shows in the image list: after a 409 upload a phantom image is
    listed (`phantom`), or after a refused 409 delete the image is left out of the list."""

    def __init__(self, app: Any, phantom: bool) -> None:
        super().__init__(app)
        self.phantom = phantom
        self.touched: dict[str, set[int]] = {}

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        upload = re.fullmatch(rf"({P_}/datasets/\d+/images)", path)
        one = re.fullmatch(rf"({P_}/datasets/\d+/images)/(\d+)", path)
        if status == 409 and self.phantom and scope["method"] == "POST" and upload:
            self.touched.setdefault(upload.group(1), set()).add(999999)
        if status == 409 and not self.phantom and scope["method"] == "DELETE" and one:
            self.touched.setdefault(one.group(1), set()).add(int(one.group(2)))
        if scope["method"] == "GET" and status == 200 and upload and path in self.touched:
            payload = _json(body)
            if isinstance(payload, list):
                if self.phantom:
                    payload.append({**(payload[0] if payload else {}), "id": 999999})
                else:
                    payload = [i for i in payload if i.get("id") not in self.touched[path]]
                return status, headers, _dump(payload)
        return status, headers, body


class OtherOrgReadsProjectLists(SharesDataAcrossOrganizations):
    """The lists under a project answer any organization as if it were the owner."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if re.fullmatch(rf"{P_}/projects/\d+/(datasets|models)", scope["path"]):
            return super().request(scope, body)
        return scope, body


def _list_edit(pattern: str, edit: Callable[[Any], None]) -> Callable[[Any, str, str], Any]:
    """A variant whose list answers (`pattern`) are edited, and nothing else."""
    return lambda app, a, b: EditJson(app, "GET", pattern, edit)


def _bulk_counts_off(payload: Any) -> None:
    if isinstance(payload, dict) and isinstance(payload.get("done"), int):
        payload["total_processed"] = payload["done"] + (payload.get("failed") or 0) + 1


PART_VARIANTS = [
    Variant(
        "foreign-model-403-object",
        "shape",
        "auth.generation-own-model-only",
        "auth.generation-own-model-only",
        lambda app, a, b: ForeignModel403AsObject(app),
        NARROW,
        "the 403 body is a JSON string",
    ),
    Variant(
        "stop-skips-stopping",
        "async",
        "training.stop",
        "training.stop",
        lambda app, a, b: FinishesAtOnce(
            app, rf"{P_}/models/\d+", "status", {"Stopping": "Stopped"}
        ),
        NARROW,
        "goes Stopping then Stopped",
    ),
    Variant(
        "status-error-without-error",
        "shape",
        "status.values",
        "status.values",
        lambda app, a, b: EditJson(app, "GET", r"/v2/status/[^/]+", _drop("error")),
        NARROW,
        "ERROR carries an error object",
    ),
    Variant(
        "uploads-squashed",
        "state",
        "image.preprocess-square-1024",
        "image.preprocess-square-1024",
        lambda app, a, b: ReshapesUploads(app, squash=True),
        NARROW,
        "short side resized to 1024 (no distortion)",
    ),
    Variant(
        "uploads-cropped-off-centre",
        "state",
        "image.preprocess-square-1024",
        "image.preprocess-square-1024",
        lambda app, a, b: ReshapesUploads(app, squash=False),
        NARROW,
        "long side centre-cropped",
    ),
    Variant(
        "bulk-counts-do-not-add-up",
        "shape",
        "bulk.async-progress",
        "bulk.async-progress",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/datasets/\d+/images/bulk-upload/status", _bulk_counts_off
        ),
        NARROW,
        "total_processed = done + failed",
    ),
    Variant(
        "project-list-stale-after-update",
        "state",
        "project.update-persists",
        "project.update-persists",
        _list_edit(rf"{P_}/projects", _set("project_description", "as it was")),
        NARROW,
        "/projects list shows the changes",
    ),
    Variant(
        "project-list-not-active",
        "state",
        "project.created-active",
        "project.created-active",
        _list_edit(rf"{P_}/projects", _set("status", "inactive")),
        NARROW,
        "listed in /projects with the same fields",
    ),
    Variant(
        "project-read-not-active",
        "state",
        "project.created-active",
        "project.created-active",
        lambda app, a, b: EditJson(app, "GET", rf"{P_}/projects/\d+", _set("status", "inactive")),
        NARROW,
        "own read shows status active",
    ),
    Variant(
        "deleted-project-listed",
        "state",
        "project.deleted-is-gone",
        "project.deleted-is-gone",
        lambda app, a, b: Ghosts(app, ("projects",)),
        NARROW,
        "not listed in /projects",
    ),
    Variant(
        "cascaded-children-listed",
        "state",
        "project.delete-cascades",
        "project.delete-cascades",
        lambda app, a, b: Ghosts(app, ("datasets", "models")),
        NARROW,
        "its datasets and models leave /datasets and /models",
    ),
    Variant(
        "deleted-dataset-listed",
        "state",
        "dataset.delete-removes-images",
        "dataset.delete-removes-images",
        lambda app, a, b: Ghosts(app, ("datasets",)),
        NARROW,
        "not listed in /datasets",
    ),
    Variant(
        "deleted-model-listed",
        "state",
        "model.deleted-is-gone",
        "model.deleted-is-gone",
        lambda app, a, b: Ghosts(app, ("models",)),
        NARROW,
        "not listed in /models",
    ),
    Variant(
        "project-datasets-list-not-draft",
        "state",
        "dataset.created-draft",
        "dataset.created-draft",
        _list_edit(rf"{P_}/projects/\d+/datasets", _set("status", "completed")),
        NARROW,
        "listed in /datasets and /projects/{id}/datasets",
    ),
    Variant(
        "project-models-list-not-created",
        "state",
        "model.created",
        "model.created",
        _list_edit(rf"{P_}/projects/\d+/models", _set("status", "InProgress")),
        NARROW,
        "listed in /models and /projects/{id}/models",
    ),
    Variant(
        "image-list-loses-caption",
        "state",
        "image.manual-caption",
        "image.manual-caption",
        _list_edit(rf"{P_}/datasets/\d+/images", _set("caption_source", "automatic")),
        NARROW,
        "the image list shows the caption",
    ),
    Variant(
        "refused-upload-listed",
        "state",
        "dataset.completed-freezes-uploads",
        "dataset.completed-freezes-uploads",
        lambda app, a, b: ForgetsRefusal(app, phantom=True),
        NARROW,
        "image list unchanged",
    ),
    Variant(
        "refused-delete-unlisted",
        "state",
        "dataset.completed-freezes-deletions",
        "dataset.completed-freezes-deletions",
        lambda app, a, b: ForgetsRefusal(app, phantom=False),
        NARROW,
        "image still listed and counted",
    ),
    Variant(
        "project-lists-shared",
        "auth",
        "auth.org-scoped-lists",
        "auth.org-scoped-lists",
        lambda app, a, b: OtherOrgReadsProjectLists(app, a, b),
        NARROW,
        "other organization's per-project lists omit ours",
    ),
    Variant(
        "model-read-not-created",
        "state",
        "model.created",
        "model.created",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/models/\d+", _set("training_mode", "expert")
        ),
        NARROW,
        "own read shows Created",
    ),
]

#: The audited part each earlier variant breaks (the entries' `parts` in catalog.yaml).
PARTS = {
    "uploads-to-completed-dataset": "409",
    "model-status-goes-back": "only forward moves (own read and /models)",
    "active-checkpoint-deletable": "400 deleting the active checkpoint",
    "rank-clamped": "400 outside the range",
    "eleven-schema-images": "400 for 4 or 11 images, 200 for 5 and 10",
    "missing-token-accepted": "401 without api_token on every operation",
    "organizations-share-data": "other organization's project list omits ours",
    "project-id-string": "ids in every generated response are integers",
    "plain-404": "envelope on every declared error of every operation",
    "always-sync": "202 with request_id and status_url",
    "download-route-moved": "dataset download lives at /v1/datasets/{id}/download",
    "v1-checkpoint-ignored": "404 for one that does not exist",
    "v1-vectors-for-any-model": "4xx for a photography model",
    "v1-second-guidance-alone": "400 for the second method alone",
    "v1-slow-results-clamped": "400 for 3",
    "v1-prefix-images-lenient": "400 for none, 7, or both lists",
    "v1-restyle-any-model": "4xx for a FIBO model",
    "forbidden-as-object": "403 body is a JSON string (foreign resources)",
    "project-without-created-at": "created_at present",
    "project-created-with-other-medium": "submitted fields echoed",
    "dataset-captions-status-not-empty": "captions_update_status in its enum",
    "dataset-visual-schema-not-null": "visual_schema null",
    "model-without-training-parameters": "no training parameters before training",
    "model-without-checkpoint-steps": "no checkpoint steps before training",
    "defaults-without-warmup": "each default in the start_training answer",
    "model-read-loses-parameters": "each default in a later read of the model",
    "bounds-as-message": "errors[] with msg, field_name, field_input",
    "errors-without-field-input": "errors[] with msg, field_name, field_input",
    "download-without-model-card": "base model name",
    "bulk-failures-without-error-code": "filename, integer error_code, error_message",
    "status-not-found-as-route": 'body {"status": "NOT_FOUND"}',
    "automatic-caption-plain-text": "caption is a JSON structure",
    "include-training-parameters-ignored": "both lists include them with the flag",
    "project-ip-medium-mutable": "ip_medium / ip_type unchanged",
    "model-dataset-mutable": "training_mode, dataset and project unchanged",
    "training-completes-at-once": "InProgress right after start_training",
    "captions-complete-at-once": "in_progress seen before completed",
    "bulk-never-processing": "pending / processing seen before done",
    "request-completes-at-once": "IN_PROGRESS seen before COMPLETED",
    "training-version-never-locked": "a family name once a training started",
    "training-version-set-from-start": "null before any training",
    "upload-moderation-ignored": "422 with moderation on",
    "visual-schema-moderation-ignored": "422 with moderation on",
    "unreachable-url-as-400": "422 (or 460) for a URL nothing serves",
    "gif-schema-as-400": "415 for a GIF",
    "any-aspect-ratio": "400 for an unknown ratio",
    "video-unknown-model-accepted": "404 for a model that does not exist",
    "video-invalid-image-as-400": "422 or 415 for data that is no image",
    "unknown-token-on-write-403": "not 403 for an unknown token on writes",
    "checkpoints-not-under-v1": "management routes answer under /v1",
    "lone-surrogate-500": "hostile bodies get no 5xx",
    "huge-integer-500": "hostile bodies get no 5xx",
    "deep-nesting-500": "hostile bodies get no 5xx",
    "huge-path-id-500": "hostile bodies get no 5xx",
    "malformed-url-500": "hostile bodies get no 5xx",
    "structured-prompt-object-500": "hostile bodies get no 5xx",
    "missing-image-400": "404 for each operation naming a missing resource",
    "one-model-per-dataset": "a second model on one dataset is created and trains",
    "captions-without-schema": "images imported without captions",
    "refuses-client-forms": "each recorded form is served like its canonical form",
    "no-reimagine-route": "the route is served with the model in the body",
}
VARIANTS = [replace(v, part=PARTS.get(v.name, v.part)) for v in VARIANTS] + PART_VARIANTS


def _status_swap(
    name: str, entry: str, part: str, method: str, pattern: str, old: int, new: int, body: Any
) -> Variant:
    """A variant answering `new` (with `body`) where the documents fix `old`."""
    return Variant(
        name,
        "shape" if new < 300 and old < 300 else "state",
        entry,
        entry,
        lambda app, a, b: Rewrites(app, method, pattern, old, new, body),
        NARROW,
        part,
    )


_ERR = {"error": {"code": 400, "message": "Bad Request", "details": "refused"}, "request_id": "x"}

#: Statuses the documents fix, each answered otherwise by one variant.
STATUS_VARIANTS = [
    _status_swap(
        "project-missing-field-accepted",
        "project.required-fields",
        "400 without project_name, ip_medium or ip_type",
        "POST",
        f"{P_}/projects",
        400,
        422,
        _ERR,
    ),
    _status_swap(
        "dataset-missing-field-422",
        "dataset.required-fields",
        "400 without project_id or name",
        "POST",
        f"{P_}/datasets",
        400,
        422,
        _ERR,
    ),
    _status_swap(
        "model-missing-field-422",
        "model.required-fields",
        "400 without name or dataset_id",
        "POST",
        f"{P_}/models",
        400,
        422,
        _ERR,
    ),
    _status_swap(
        "dataset-in-unknown-project-400",
        "dataset.unknown-project",
        "404 for a project that does not exist",
        "POST",
        f"{P_}/datasets",
        404,
        400,
        _ERR,
    ),
    _status_swap(
        "model-on-unknown-dataset-400",
        "model.unknown-dataset",
        "404 for a dataset that does not exist",
        "POST",
        f"{P_}/models",
        404,
        400,
        _ERR,
    ),
    _status_swap(
        "training-project-delete-400",
        "project.delete-blocked-while-training",
        "409",
        "DELETE",
        rf"{P_}/projects/\d+",
        409,
        400,
        _ERR,
    ),
    _status_swap(
        "training-dataset-delete-400",
        "dataset.delete-blocked-while-training",
        "409",
        "DELETE",
        rf"{P_}/datasets/\d+",
        409,
        400,
        _ERR,
    ),
    _status_swap(
        "training-model-delete-string",
        "model.delete-blocked-while-training",
        'body is {"message"}',
        "DELETE",
        rf"{P_}/models/\d+",
        409,
        409,
        "Training models must be stopped before deletion",
    ),
    _status_swap(
        "draft-training-400",
        "training.requires-completed-dataset",
        "412 on a draft dataset",
        "POST",
        rf"{P_}/models/\d+/start_training",
        412,
        400,
        _ERR,
    ),
    _status_swap(
        "strict-resolution-400",
        "image.strict-resolution",
        "412 below 1024 px with increase_resolution=false",
        "POST",
        rf"{P_}/datasets/\d+/images",
        412,
        400,
        _ERR,
    ),
    _status_swap(
        "tiny-image-400",
        "image.min-resolution",
        "412 below 256 px",
        "POST",
        rf"{P_}/datasets/\d+/images",
        412,
        400,
        _ERR,
    ),
    _status_swap(
        "gif-upload-400",
        "image.supported-formats",
        "415 for gif and bmp",
        "POST",
        rf"{P_}/datasets/\d+/images",
        415,
        400,
        _ERR,
    ),
    _status_swap(
        "unknown-checkpoint-delete-400",
        "training.checkpoint-delete",
        "404 for an unknown step",
        "DELETE",
        rf"{P_}/models/\d+/checkpoints/\d+",
        404,
        400,
        _ERR,
    ),
    _status_swap(
        "restart-training-400",
        "training.no-restart",
        "409 while InProgress",
        "POST",
        rf"{P_}/models/\d+/start_training",
        409,
        400,
        _ERR,
    ),
    _status_swap(
        "stop-idle-model-400",
        "training.stop",
        "409 before any training",
        "POST",
        rf"{P_}/models/\d+/stop_training",
        409,
        400,
        _ERR,
    ),
    _status_swap(
        "completion-below-minimum-400",
        "dataset.completion-min-images",
        "409 below the minimum",
        "PUT",
        rf"{P_}/datasets/\d+",
        409,
        400,
        _ERR,
    ),
    _status_swap(
        "basic-download-400",
        "dataset.download-advanced-only",
        "409 for a basic dataset",
        "GET",
        r"/v1/datasets/\d+/download",
        409,
        400,
        _ERR,
    ),
    _status_swap(
        "refine-unknown-dataset-400",
        "schema-tools.refine-draft-only",
        "404 for an unknown dataset",
        "POST",
        f"{P_}/refine_structured_prompt",
        404,
        400,
        _ERR,
    ),
    _status_swap(
        "children-of-unknown-project-empty",
        "project.children-lists",
        "404 for an unknown project",
        "GET",
        rf"{P_}/projects/\d+/(datasets|models)",
        404,
        200,
        [],
    ),
    _status_swap(
        "unknown-request-200",
        "status.unknown-request-404",
        "404",
        "GET",
        r"/v2/status/[^/]+",
        404,
        200,
        {"status": "UNKNOWN", "request_id": "x"},
    ),
    _status_swap(
        "project-created-200",
        "project.created-active",
        "201",
        "POST",
        f"{P_}/projects",
        201,
        200,
        None,
    ),
    _status_swap(
        "project-delete-200",
        "project.delete-cascades",
        "204",
        "DELETE",
        rf"{P_}/projects/\d+",
        204,
        200,
        {},
    ),
    _status_swap(
        "clone-200",
        "dataset.clone-as-draft",
        "201 with a new id",
        "POST",
        rf"{P_}/datasets/\d+/clone",
        201,
        200,
        {},
    ),
    _status_swap(
        "regenerate-all-200",
        "captions.regenerate-all-async",
        "202",
        "PUT",
        rf"{P_}/datasets/\d+/images",
        202,
        200,
        {},
    ),
    _status_swap(
        "image-delete-200",
        "image.deleted-is-gone",
        "204",
        "DELETE",
        rf"{P_}/datasets/\d+/images/\d+",
        204,
        200,
        {},
    ),
    Variant(
        "lists-never-empty",
        "shape",
        "shape.empty-lists",
        "shape.empty-lists",
        _list_edit(rf"{P_}/(projects|datasets|models)", lambda p: p == [] and p.append({"id": 1})),
        NARROW,
        "200 with [] for projects, datasets, models",
    ),
    Variant(
        "training-answer-not-in-progress",
        "state",
        "training.starts-in-progress",
        "training.starts-in-progress",
        lambda app, a, b: EditJson(
            app, "POST", rf"{P_}/models/\d+/start_training", _set("status", "Created")
        ),
        NARROW,
        "200 with status InProgress",
    ),
    Variant(
        "new-model-in-progress",
        "state",
        "model.created",
        "model.created",
        lambda app, a, b: EditJson(app, "POST", f"{P_}/models", _set("status", "InProgress")),
        NARROW,
        "201 with status Created",
    ),
]
VARIANTS += STATUS_VARIANTS


def _each(edit: Callable[[dict[str, Any]], Any]) -> Callable[[Any], None]:
    """Applies `edit` to every object of a list answer."""

    def apply(payload: Any) -> None:
        for item in payload if isinstance(payload, list) else []:
            if isinstance(item, dict):
                edit(item)

    return apply


def _status_from(old: str, new: str) -> Callable[[Any], None]:
    return _each(lambda m: m.get("status") == old and m.update(status=new))


def _drop_warmup(model: dict[str, Any]) -> None:
    if isinstance(model.get("training_parameters"), dict):
        model["training_parameters"].pop("lr_warmup_steps", None)


class ForeignWriteApplied(SharesDataAcrossOrganizations):
    """Another organization's update of a dataset is carried out, then answered 404."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] == "PUT" and re.fullmatch(rf"{P_}/datasets/\d+", scope["path"]):
            return super().request(scope, body)
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        foreign = _header(scope, b"api_token") == self.other
        if foreign and scope["method"] == "PUT" and status == 200:
            return (
                404,
                headers,
                _dump(
                    {
                        "error": {
                            "code": 404,
                            "message": "Not Found",
                            "details": "Dataset not found",
                        },
                        "request_id": "x",
                    }
                ),
            )
        return status, headers, body


READBACK_VARIANTS = [
    Variant(
        "model-list-not-in-progress",
        "state",
        "training.starts-in-progress",
        "training.starts-in-progress",
        _list_edit(rf"{P_}/models", _status_from("InProgress", "Created")),
        NARROW,
        "own read and both model lists show InProgress",
    ),
    Variant(
        "model-lists-lose-warmup",
        "state",
        "training.defaults",
        "training.defaults",
        _list_edit(rf"{P_}/(projects/\d+/)?models", _each(_drop_warmup)),
        NARROW,
        "each default in both model lists with include_training_parameters",
    ),
    Variant(
        "model-list-still-stopping",
        "state",
        "training.stop",
        "training.stop",
        _list_edit(rf"{P_}/models", _status_from("Stopped", "Stopping")),
        NARROW,
        "own read and both model lists show Stopped",
    ),
    Variant(
        "project-models-still-training",
        "state",
        "training.completes",
        "training.completes",
        _list_edit(rf"{P_}/projects/\d+/models", _status_from("Completed", "InProgress")),
        NARROW,
        "own read and both model lists show Completed",
    ),
    Variant(
        "model-list-stale-after-update",
        "state",
        "model.update-name-description-only",
        "model.update-name-description-only",
        _list_edit(rf"{P_}/models", _set("description", "as it was")),
        NARROW,
        "both model lists show the update",
    ),
    Variant(
        "dataset-list-count-off",
        "state",
        "image.deleted-is-gone",
        "image.deleted-is-gone",
        _list_edit(
            rf"{P_}/datasets",
            _each(
                lambda d: (
                    isinstance(d.get("images_count"), int)
                    and d.update(images_count=d["images_count"] + 1)
                )
            ),
        ),
        NARROW,
        "every dataset route shows the new count",
    ),
    Variant(
        "image-list-caption-manual",
        "state",
        "image.caption-regeneration",
        "image.caption-regeneration",
        _list_edit(rf"{P_}/datasets/\d+/images", _set("caption_source", "manual")),
        NARROW,
        "the image list shows the automatic caption",
    ),
    Variant(
        "foreign-dataset-rename-applied",
        "auth",
        "auth.org-isolated-access",
        "auth.org-isolated-access",
        lambda app, a, b: ForeignWriteApplied(app, a, b),
        NARROW,
        "resource unchanged after foreign attempts (own read)",
    ),
    Variant(
        "clone-lists-fewer-images",
        "state",
        "dataset.clone-as-draft",
        "dataset.clone-as-draft",
        _list_edit(rf"{P_}/datasets/\d+/images", lambda p: isinstance(p, list) and p and p.pop()),
        NARROW,
        "the clone lists the source's images",
    ),
    _status_swap(
        "frozen-upload-plain-409",
        "dataset.completed-freezes-uploads",
        "the 409 body is the one the operation declares",
        "POST",
        rf"{P_}/datasets/\d+/images",
        409,
        409,
        {"detail": "the dataset is completed"},
    ),
    _status_swap(
        "frozen-delete-code-400",
        "dataset.completed-freezes-deletions",
        "the 409 envelope repeats the status in error.code",
        "DELETE",
        rf"{P_}/datasets/\d+/images/\d+",
        409,
        409,
        {"error": {"code": 400, "message": "Conflict", "details": "completed"}, "request_id": "x"},
    ),
]
VARIANTS += READBACK_VARIANTS


class FlipsBodies(Rewriter):
    """Every JSON answer comes in the wrong shape: an object as a one-item list, a list inside an
    object, a string inside an object."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        payload = _json(body) if body else None
        if isinstance(payload, dict):
            return status, headers, _dump([payload])
        if isinstance(payload, list | str):
            return status, headers, _dump({"items": payload})
        return status, headers, body


class AcceptsInvalid(Rewriter):
    """Every request refused as invalid (400, 422, or 401 without a token) is answered 200 as if
    it had been served."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status in (400, 401, 422):
            return 200, headers, _dump({})
        return status, headers, body


def _every_operation(kind: str, part: str) -> tuple[tuple[str, str], ...]:
    from bria_conformance import catalog

    return tuple(
        (entry, part)
        for entry in sorted(catalog.suite_entries())
        if entry.startswith("op.") and entry.endswith(f".{kind}")
    )


_SCHEMA_PART = "every declared status's body matches the operation's response schema"
_REFUSE_PART = "a request the schema refuses is answered 4xx"
_OP_FAST = ("-k", "test_operation")
OPERATION_VARIANTS = [
    Variant(
        "every-body-off-schema",
        "shape",
        "op.get-projects.responses",
        "op.*.responses",
        lambda app, a, b: FlipsBodies(app),
        _OP_FAST,
        _SCHEMA_PART,
        _every_operation("responses", _SCHEMA_PART),
    ),
    Variant(
        "invalid-requests-served",
        "limit",
        "op.create-project.rejects-invalid",
        "op.*.rejects-invalid",
        lambda app, a, b: AcceptsInvalid(app),
        _OP_FAST,
        _REFUSE_PART,
        _every_operation("rejects-invalid", _REFUSE_PART),
    ),
]
VARIANTS += OPERATION_VARIANTS


class AcceptsRefusals(Rewriter):
    """Refusals (`statuses`) of requests to `method` `pattern` are answered `new_status` with
    `new_body`, as if the request had been served."""

    def __init__(
        self,
        app: Any,
        method: str,
        pattern: str,
        statuses: tuple[int, ...],
        new_status: int,
        new_body: Any,
    ) -> None:
        super().__init__(app)
        self.method, self.pattern, self.statuses = method, pattern, statuses
        self.new_status, self.new_body = new_status, new_body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            scope["method"] == self.method
            and status in self.statuses
            and re.fullmatch(self.pattern, scope["path"])
        ):
            return self.new_status, headers, _dump(self.new_body)
        return status, headers, body


_REFUSALS = (400, 403, 404, 409, 412, 415, 422)
_V1_RESULT = {"result": [{"urls": ["http://x/a.png"]}]}
_ACCEPTED = {"request_id": "x", "status_url": "http://x/v2/status/x"}
_FAKE_MODEL = {"id": 999999, "name": "m", "status": "syncing", "project_id": 1}


def _accepts(
    name: str,
    entry: str,
    part: str,
    method: str,
    pattern: str,
    new_status: int,
    new_body: Any,
    statuses: tuple[int, ...] = _REFUSALS,
) -> Variant:
    """A variant serving the requests an entry's documents refuse on one route."""
    return Variant(
        name,
        "limit",
        entry,
        entry,
        lambda app, a, b: AcceptsRefusals(app, method, pattern, statuses, new_status, new_body),
        NARROW,
        part,
    )


def _edit(
    name: str, entry: str, part: str, method: str, pattern: str, edit: Callable[[Any], Any]
) -> Variant:
    """A variant whose answers to one route are edited in one way."""
    return Variant(
        name,
        "shape",
        entry,
        entry,
        lambda app, a, b: EditJson(app, method, pattern, edit),
        NARROW,
        part,
    )


class ForeignTokenServed(SharesDataAcrossOrganizations):
    """Requests of the second organization to `method` `pattern` are served as the first's."""

    def __init__(self, app: Any, token: str, other: str, method: str, pattern: str) -> None:
        super().__init__(app, token, other)
        self.method, self.pattern = method, pattern

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] == self.method and re.fullmatch(self.pattern, scope["path"]):
            return super().request(scope, body)
        return scope, body


class IgnoresQuery(Rewriter):
    """A query parameter is ignored: it is dropped before the request is served."""

    def __init__(self, app: Any, name: bytes) -> None:
        super().__init__(app)
        self.name = name

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        query = scope.get("query_string", b"")
        kept = [p for p in query.split(b"&") if p and not p.startswith(self.name + b"=")]
        scope["query_string"] = b"&".join(kept)
        return scope, body


class UnknownTokenOnReadsIs403(Rewriter):
    """An unknown token on a read is answered 403 instead of 401."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == 401 and scope["method"] == "GET" and _header(scope, b"api_token"):
            return 403, headers, _dump("Access denied")
        return status, headers, body


class StatusUnderV1(Rewriter):
    """The Status Service answers only under /v1; /v2/status/... is not found."""

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["path"].startswith("/v2/status/"):
            scope["path"] = "/v9" + scope["path"][3:]
            scope["raw_path"] = scope["path"].encode()
        return scope, body


class RefusesWebp(Rewriter):
    """WebP uploads are refused with 415."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.webp = False

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        self.webp = b"image/webp" in body[:2000]
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if self.webp and status == 201 and scope["path"].endswith("/images"):
            return (
                415,
                headers,
                _dump(
                    {
                        "error": {
                            "code": 415,
                            "message": "Unsupported Media Type",
                            "details": "webp",
                        },
                        "request_id": "x",
                    }
                ),
            )
        return status, headers, body


def _nested(key: str, edit: Callable[[Any], Any]) -> Callable[[Any], None]:
    def apply(payload: Any) -> None:
        if isinstance(payload, dict) and isinstance(payload.get(key), dict):
            edit(payload[key])

    return apply


def _each_result(edit: Callable[[dict[str, Any]], Any]) -> Callable[[Any], None]:
    def apply(payload: Any) -> None:
        for item in (payload or {}).get("result") or [] if isinstance(payload, dict) else []:
            if isinstance(item, dict):
                edit(item)

    return apply


_GEN = "/v2/image/generate/tailored"
_SPG = "/v2/structured_prompt/generate/tailored"
_VID = "/v2/video/generate/tailored/image-to-video"
_T2I = r"/v1/text-to-image/tailored/\d+"
_START = rf"{P_}/models/\d+/start_training"
_UPLOAD_MODEL = f"{P_}/models/upload_model"

REFUSAL_VARIANTS = [
    _accepts(
        "foreign-model-generation-404",
        "auth.generation-own-model-only",
        "403 for another organization's model",
        "POST",
        _GEN,
        404,
        _ERR,
        (403,),
    ),
    _accepts(
        "bulk-on-basic-accepted",
        "bulk.advanced-only",
        "4xx on a basic dataset",
        "POST",
        rf"{P_}/datasets/\d+/images/bulk-upload",
        202,
        {"status": "pending"},
    ),
    _accepts(
        "bulk-again-accepted",
        "bulk.single-attempt",
        "refused after any earlier attempt",
        "POST",
        rf"{P_}/datasets/\d+/images/bulk-upload",
        202,
        {"status": "pending"},
    ),
    _accepts(
        "frozen-caption-edited",
        "dataset.completed-freezes-captions",
        "409 for a caption edit",
        "PUT",
        rf"{P_}/datasets/\d+/images/\d+",
        200,
        {},
        (409,),
    ),
    _accepts(
        "frozen-schema-changed",
        "dataset.completed-freezes-visual-schema",
        "409 on a completed dataset",
        "PUT",
        rf"{P_}/datasets/\d+",
        200,
        {},
        (409,),
    ),
    _accepts(
        "completion-without-schema",
        "dataset.completion-needs-visual-schema",
        "4xx without a visual schema",
        "PUT",
        rf"{P_}/datasets/\d+",
        200,
        {"status": "completed"},
    ),
    _accepts(
        "schema-text-accepted",
        "dataset.visual-schema-json",
        "400 for text that is not JSON",
        "PUT",
        rf"{P_}/datasets/\d+",
        200,
        {},
        (400,),
    ),
    _accepts(
        "caption-and-regenerate-accepted",
        "image.caption-exclusive",
        "400 for caption with regenerate_caption",
        "PUT",
        rf"{P_}/datasets/\d+/images/\d+",
        200,
        {},
        (400,),
    ),
    _accepts(
        "caption-text-accepted",
        "image.caption-json",
        "400 for a caption that is not JSON",
        "PUT",
        rf"{P_}/datasets/\d+/images/\d+",
        200,
        {},
        (400,),
    ),
    _accepts(
        "upload-without-file-accepted",
        "image.file-or-url",
        "400 with neither file nor image_url",
        "POST",
        rf"{P_}/datasets/\d+/images",
        201,
        {"id": 999999},
        (400,),
    ),
    _accepts(
        "advanced-single-upload-accepted",
        "image.basic-upload-only",
        "4xx on an advanced dataset",
        "POST",
        rf"{P_}/datasets/\d+/images",
        201,
        {"id": 999999},
    ),
    _accepts(
        "guidance-scale-out-of-range",
        "generate.bound.guidance_scale",
        "400 outside the range",
        "POST",
        _GEN,
        202,
        _ACCEPTED,
        (400,),
    ),
    _accepts(
        "steps-num-out-of-range",
        "generate.bound.steps_num",
        "400 outside the range",
        "POST",
        _GEN,
        202,
        _ACCEPTED,
        (400,),
    ),
    _accepts(
        "influence-out-of-range",
        "generate.bound.tailored_model_influence",
        "400 outside the range",
        "POST",
        _GEN,
        202,
        _ACCEPTED,
        (400,),
    ),
    _accepts(
        "generation-without-input",
        "generate.input-combinations",
        "400 without an accepted combination",
        "POST",
        _GEN,
        202,
        _ACCEPTED,
        (400,),
    ),
    _accepts(
        "structured-prompt-alone",
        "structured-prompt.input-combinations",
        "400 for a structured prompt alone or no input",
        "POST",
        _SPG,
        202,
        _ACCEPTED,
        (400,),
    ),
    _accepts(
        "video-without-image",
        "video.required-fields",
        "400 without tailored_model_id or image",
        "POST",
        _VID,
        202,
        _ACCEPTED,
        (400,),
    ),
    _accepts(
        "v1-guidance-scale-out-of-range",
        "v1gen.guidance-scale-range",
        "400 outside 0-1",
        "POST",
        _T2I,
        200,
        _V1_RESULT,
        (400,),
    ),
    _accepts(
        "v1-image-prompt-mode-any",
        "v1gen.image-prompt",
        "400 for another mode or a scale outside 0-1",
        "POST",
        _T2I,
        200,
        _V1_RESULT,
        (400,),
    ),
    _accepts(
        "v1-guidance-without-image",
        "v1gen.guidance-needs-image-and-scale",
        "400 without the image",
        "POST",
        _T2I,
        200,
        _V1_RESULT,
        (400,),
    ),
    _accepts(
        "v1-mixed-guidance-ratios",
        "v1gen.guidance-same-aspect-ratio",
        "400 for mixed ratios",
        "POST",
        _T2I,
        200,
        _V1_RESULT,
        (400,),
    ),
    _accepts(
        "v1-restyle-without-portrait",
        "v1gen.restyle-needs-portrait",
        "400 without id_image_url or id_image_file",
        "POST",
        f"{P_}/restyle_portrait",
        200,
        {"image_res": "http://x/p.png"},
        (400,),
    ),
    _accepts(
        "v1-reimagine-without-structure",
        "v1gen.reimagine-structure",
        "400 without a structure image",
        "POST",
        r"/v1/reimagine/tailored/\d+",
        200,
        _V1_RESULT,
        (400,),
    ),
    _accepts(
        "v1-prefix-invalid-image",
        "v1gen.prefix-invalid-image-fails",
        "4xx when one image is invalid",
        "POST",
        f"{P_}/generate_prefix",
        200,
        {"prefix": "p"},
    ),
    _accepts(
        "expert-parameter-on-automated",
        "training.expert-only-parameters",
        "400 for each advanced parameter on a fully automated model",
        "POST",
        _START,
        200,
        {"status": "InProgress"},
        (400,),
    ),
    *(
        _accepts(
            f"{name.replace('_', '-')}-out-of-range",
            f"training.bound.{name}",
            "400 outside the range",
            "POST",
            _START,
            200,
            {"status": "InProgress"},
            (400,),
        )
        for name in (
            "learning_rate",
            "checkpoint_interval",
            "lr_warmup_steps",
            "total_training_steps",
        )
    ),
    _accepts(
        "checkpoints-of-automated-model",
        "training.checkpoints-expert-only",
        "400 for a fully automated model",
        "GET",
        rf"{P_}/models/\d+/checkpoints",
        200,
        {"checkpoints": [], "active_model_version": None},
        (400,),
    ),
    _accepts(
        "download-before-completion",
        "training.download-after-completion",
        "4xx before completion",
        "GET",
        rf"{P_}/models/\d+/download",
        200,
        {"download_url": "http://x/m.safetensors", "base_model": "fibo"},
    ),
    _accepts(
        "png-model-accepted",
        "upload-model.safetensors-only",
        "415 for another file type",
        "POST",
        _UPLOAD_MODEL,
        201,
        _FAKE_MODEL,
        (415,),
    ),
    _accepts(
        "model-without-url-accepted",
        "upload-model.requires-url",
        "400 without model_url",
        "POST",
        _UPLOAD_MODEL,
        201,
        _FAKE_MODEL,
        (400,),
    ),
    _accepts(
        "model-without-project-accepted",
        "upload-model.project-required",
        "400 with neither project_id nor project_parameters",
        "POST",
        _UPLOAD_MODEL,
        201,
        _FAKE_MODEL,
        (400,),
    ),
    _accepts(
        "unreachable-model-accepted",
        "upload-model.unreachable-url",
        "422 for a URL nothing serves",
        "POST",
        _UPLOAD_MODEL,
        201,
        _FAKE_MODEL,
        (422,),
    ),
    _accepts(
        "refine-without-field",
        "schema-tools.refine-required-fields",
        "400 without dataset_id, structured_prompt or instruction",
        "POST",
        f"{P_}/refine_structured_prompt",
        200,
        {"structured_prompt": "{}"},
        (400,),
    ),
    _accepts(
        "refine-completed-dataset",
        "schema-tools.refine-draft-only",
        "4xx for a completed dataset",
        "POST",
        f"{P_}/refine_structured_prompt",
        200,
        {"structured_prompt": "{}"},
        (400, 409, 412, 422),
    ),
    _accepts(
        "photography-icons-accepted",
        "project.illustration-only-ip-types",
        "400 for a photography project of an illustration-only type",
        "POST",
        f"{P_}/projects",
        201,
        {"id": 999999},
        (400,),
    ),
    _accepts(
        "character-without-name-accepted",
        "project.ip-text-required",
        "400 without ip_name / ip_description where required",
        "POST",
        f"{P_}/projects",
        201,
        {"id": 999999},
        (400,),
    ),
    _accepts(
        "training-model-deleted",
        "model.delete-blocked-while-training",
        "409",
        "DELETE",
        rf"{P_}/models/\d+",
        204,
        None,
        (409,),
    ),
    _accepts(
        "cap-200-exceeded",
        "image.basic-cap-200",
        "409 for the 201st",
        "POST",
        rf"{P_}/datasets/\d+/images",
        201,
        {"id": 999999},
        (409,),
    ),
    Variant(
        "foreign-reads-served",
        "auth",
        "auth.org-isolated-access",
        "auth.org-isolated-access",
        lambda app, a, b: ForeignTokenServed(
            app, a, b, "GET", rf"{P_}/(projects|datasets|models)/\d+"
        ),
        NARROW,
        "foreign read answers 403 or 404",
    ),
    Variant(
        "foreign-dataset-list-shared",
        "auth",
        "auth.org-scoped-lists",
        "auth.org-scoped-lists",
        lambda app, a, b: ForeignTokenServed(app, a, b, "GET", f"{P_}/datasets"),
        NARROW,
        "other organization's dataset list omits ours",
    ),
    Variant(
        "foreign-model-list-shared",
        "auth",
        "auth.org-scoped-lists",
        "auth.org-scoped-lists",
        lambda app, a, b: ForeignTokenServed(app, a, b, "GET", f"{P_}/models"),
        NARROW,
        "other organization's model list omits ours",
    ),
    Variant(
        "unknown-token-on-read-403",
        "auth",
        "auth.token-invalid",
        "auth.token-invalid",
        lambda app, a, b: UnknownTokenOnReadsIs403(app),
        NARROW,
        "401 for an unknown token on every operation",
    ),
    Variant(
        "max-images-ignored",
        "limit",
        "dataset.max-images-query",
        "dataset.max-images-query",
        lambda app, a, b: IgnoresQuery(app, b"max_images"),
        NARROW,
        "at most max_images embedded",
    ),
    Variant(
        "status-not-under-v2",
        "routing",
        "shape.version-prefix",
        "shape.version-prefix",
        lambda app, a, b: StatusUnderV1(app),
        NARROW,
        "generation and status routes answer under /v2",
    ),
    Variant(
        "webp-refused",
        "limit",
        "image.supported-formats",
        "image.supported-formats",
        lambda app, a, b: RefusesWebp(app),
        NARROW,
        "201 for jpg, jpeg, png, webp",
    ),
    _edit(
        "status-url-of-another-request",
        "status.status-url",
        "status_url polls the same request",
        "POST",
        _GEN,
        lambda p: (
            isinstance(p, dict)
            and "status_url" in p
            and p.update(status_url=str(p["status_url"]).rsplit("/", 1)[0] + "/another")
        ),
    ),
    _edit(
        "sync-structured-prompt-plain",
        "generate.sync-result",
        "structured_prompt as a JSON string",
        "POST",
        _GEN,
        lambda p: [
            d.update(structured_prompt="a red cube")
            for d in (p, p.get("result"))
            if isinstance(d, dict) and "structured_prompt" in d
        ],
    ),
    _edit(
        "completed-without-seed",
        "generate.async-default",
        "COMPLETED with result.image_url and seed",
        "GET",
        r"/v2/status/[^/]+",
        _nested("result", lambda r: r.pop("seed", None)),
    ),
    _edit(
        "video-without-url",
        "video.async-only",
        "COMPLETED holds result.video_url",
        "GET",
        r"/v2/status/[^/]+",
        _nested("result", lambda r: r.pop("video_url", None)),
    ),
    _edit(
        "ip-warning-dropped",
        "generate.ip-warning",
        "carries the warning",
        "POST",
        _GEN,
        _drop("warning"),
    ),
    _edit(
        "v1-ip-warning-dropped",
        "v1gen.ip-warning",
        "not blocked and carries the warning",
        "POST",
        _T2I,
        _drop("warning"),
    ),
    _edit(
        "lists-always-carry-parameters",
        "model.include-training-parameters",
        "lists omit training_parameters and checkpoint_steps without the flag",
        "GET",
        rf"{P_}/(projects/\d+/)?models",
        _each(lambda m: m.setdefault("training_parameters", {})),
    ),
    _edit(
        "datasets-always-carry-models",
        "dataset.include-models-flags",
        "no models / model_ids without the flags",
        "GET",
        rf"{P_}/projects/\d+/datasets",
        _each(lambda d: d.setdefault("models", [])),
    ),
    _edit(
        "download-without-url",
        "dataset.download-advanced-only",
        "200 with download_url for an advanced one",
        "GET",
        r"/v1/datasets/\d+/download",
        _drop("download_url"),
    ),
    _edit(
        "captions-url-always",
        "dataset.download-captions-url",
        "no captions_url with caption files",
        "GET",
        r"/v1/datasets/\d+/download",
        _set("captions_url", "http://x/captions.zip"),
    ),
    _edit(
        "checkpoint-off-interval",
        "training.checkpoints-at-interval",
        "each step a multiple of the interval or the final step",
        "GET",
        rf"{P_}/models/\d+/checkpoints",
        lambda p: (
            isinstance(p.get("checkpoints"), list)
            and p["checkpoints"].append(
                {**(p["checkpoints"][0] if p["checkpoints"] else {}), "checkpoint_step": 150}
            )
        ),
    ),
    _edit(
        "warmup-kept-for-cosine",
        "training.warmup-null-unless-cwr",
        "lr_warmup_steps null with another scheduler",
        "POST",
        _START,
        _nested(
            "training_parameters",
            lambda t: t.get("lr_warmup_steps") is None and t.update(lr_warmup_steps=100),
        ),
    ),
    _edit(
        "caption-without-schema",
        "image.caption-needs-visual-schema",
        "null caption without a schema",
        "POST",
        rf"{P_}/datasets/\d+/images",
        lambda p: p.get("caption") is None and p.update(caption='{"subject": "invented"}'),
    ),
    _edit(
        "bulk-failure-unlisted",
        "bulk.failures-reported",
        "every invalid member in failed_images",
        "GET",
        rf"{P_}/datasets/\d+/images/bulk-upload/status",
        lambda p: (
            isinstance(p.get("failed_images"), list)
            and p["failed_images"]
            and p["failed_images"].pop()
        ),
    ),
    _edit(
        "regenerated-captions-manual",
        "captions.regenerate-all-async",
        "every image then has an automatic JSON caption",
        "GET",
        rf"{P_}/datasets/\d+/images",
        _set("caption_source", "manual"),
    ),
    _edit(
        "project-datasets-foreign-item",
        "project.children-lists",
        "/projects/{id}/datasets lists exactly its datasets",
        "GET",
        rf"{P_}/projects/\d+/datasets",
        lambda p: isinstance(p, list) and p.append({**(p[0] if p else {}), "id": 424242}),
    ),
    _edit(
        "project-models-missing-one",
        "model.many-per-dataset",
        "the project lists both with that dataset",
        "GET",
        rf"{P_}/projects/\d+/models",
        lambda p: isinstance(p, list) and len(p) > 1 and p.pop(),
    ),
    _edit(
        "update-answer-stale",
        "project.update-persists",
        "200 with the changed fields",
        "PUT",
        rf"{P_}/projects/\d+",
        _set("project_description", "as it was"),
    ),
    _edit(
        "model-update-answer-stale",
        "model.update-name-description-only",
        "name and description changed (answer and own read)",
        "PUT",
        rf"{P_}/models/\d+",
        _set("description", "as it was"),
    ),
    _edit(
        "visual-schema-plain-text",
        "schema-tools.visual-schema-is-json",
        "visual_schema is a JSON string",
        "POST",
        f"{P_}/generate_visual_schema",
        _set("visual_schema", "flat vector style"),
    ),
    _edit(
        "default-mode-expert",
        "model.created",
        "training_mode defaults to fully_automated",
        "POST",
        f"{P_}/models",
        _set("training_mode", "expert"),
    ),
    _edit(
        "default-upload-advanced",
        "dataset.created-draft",
        "upload_type defaults to basic",
        "POST",
        f"{P_}/datasets",
        _set("upload_type", "advanced"),
    ),
    _edit(
        "v1-result-flat",
        "v1gen.sync-result-urls",
        "200 with result[].urls",
        "POST",
        _T2I,
        lambda p: (
            isinstance(p, dict)
            and isinstance(p.get("result"), list)
            and p.update(result={"urls": [u for r in p["result"] for u in r.get("urls", [])]})
        ),
    ),
]
VARIANTS += REFUSAL_VARIANTS


class RefusesWhen(Rewriter):
    """Requests to `method` `pattern` whose JSON body or form satisfies `when` are refused with
    `status`, though the documents accept them."""

    def __init__(
        self, app: Any, method: str, pattern: str, when: Callable[[Any, bytes], Any], status: int
    ) -> None:
        super().__init__(app)
        self.method, self.pattern, self.when, self.status = method, pattern, when, status
        self.hit = False

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        self.hit = (
            scope["method"] == self.method
            and re.fullmatch(self.pattern, scope["path"]) is not None
            and bool(self.when(_json(body), body))
        )
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if self.hit and 200 <= status < 300:
            error = {"code": self.status, "message": "Refused", "details": "refused"}
            return self.status, headers, _dump({"error": error, "request_id": "x"})
        return status, headers, body


class GhostReads(Rewriter):
    """A deleted resource can still be read: after a 204 DELETE of a path matching `pattern`,
    GET of that path answers 200 with the resource as last read."""

    def __init__(self, app: Any, pattern: str) -> None:
        super().__init__(app)
        self.pattern = pattern
        self.seen: dict[str, bytes] = {}
        self.gone: set[str] = set()

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        created = _json(body) if scope["method"] == "POST" and status == 201 else None
        if isinstance(created, dict) and "id" in created:
            # a resource read back as the create answer showed it
            self.seen[f"{path}/{created['id']}"] = body
        if not re.fullmatch(self.pattern, path):
            return status, headers, body
        if scope["method"] == "GET" and status == 200:
            self.seen[path] = body
        if scope["method"] == "DELETE" and status == 204:
            self.gone.add(path)
        if scope["method"] == "GET" and status == 404 and path in self.gone:
            return 200, [(b"content-type", b"application/json")], self.seen.get(path, b"{}")
        return status, headers, body


class HidesAfterRefusal(Rewriter):
    """A refused (409/400) DELETE still removes the resource from view: its GET answers 404."""

    def __init__(self, app: Any, pattern: str) -> None:
        super().__init__(app)
        self.pattern = pattern
        self.hidden: set[str] = set()

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        if (
            scope["method"] == "DELETE"
            and status in (400, 409)
            and re.fullmatch(self.pattern, path)
        ):
            self.hidden.add(path)
        if scope["method"] == "GET" and status == 200 and path in self.hidden:
            error = {"code": 404, "message": "Not Found", "details": "not found"}
            return 404, headers, _dump({"error": error, "request_id": "x"})
        return status, headers, body


class EditsClones(Rewriter):
    """Clones read wrong: every read of a dataset created by a clone has `field` set to `value`."""

    def __init__(self, app: Any, field: str, value: Any) -> None:
        super().__init__(app)
        self.field, self.value = field, value
        self.clones: set[int] = set()

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        payload = _json(body) if 200 <= status < 300 else None
        if scope["path"].endswith("/clone") and isinstance(payload, dict):
            self.clones.add(payload.get("id"))
            payload[self.field] = self.value
            return status, headers, _dump(payload)
        found = re.fullmatch(rf"{P_}/datasets/(\d+)", scope["path"])
        if found and int(found.group(1)) in self.clones and isinstance(payload, dict):
            payload[self.field] = self.value
            return status, headers, _dump(payload)
        return status, headers, body


class VariesCaptions(Rewriter):
    """Regenerated captions differ each time for the same visual schema."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.count = 0

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        payload = _json(body) if status == 200 and scope["method"] == "PUT" else None
        if isinstance(payload, dict) and payload.get("caption_source") == "automatic":
            self.count += 1
            payload["caption"] = json.dumps({"subject": f"take {self.count}"})
            return status, headers, _dump(payload)
        return status, headers, body


class ForgetsKeptCheckpoint(Rewriter):
    """A checkpoint whose delete was refused (400) is left out of the checkpoint list."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.hidden: set[int] = set()

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        found = re.fullmatch(rf"{P_}/models/\d+/checkpoints/(\d+)", scope["path"])
        if found and scope["method"] == "DELETE" and status == 400:
            self.hidden.add(int(found.group(1)))
        if scope["path"].endswith("/checkpoints") and status == 200 and self.hidden:
            payload = _json(body)
            if isinstance(payload, dict) and isinstance(payload.get("checkpoints"), list):
                payload["checkpoints"] = [
                    c for c in payload["checkpoints"] if c.get("checkpoint_step") not in self.hidden
                ]
                return status, headers, _dump(payload)
        return status, headers, body


class RewritesTimestamps(Rewriter):
    """created_at / updated_at come as free text ("yesterday") in every answer."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if b"created_at" not in body:
            return status, headers, body
        text = re.sub(rb'"(created_at|updated_at)":\s*"[^"]*"', rb'"\1": "yesterday"', body)
        return status, headers, text


def _refuses(
    name: str,
    entry: str,
    part: str,
    method: str,
    pattern: str,
    when: Callable[[Any, bytes], Any],
    status: int = 400,
) -> Variant:
    return Variant(
        name,
        "limit",
        entry,
        entry,
        lambda app, a, b: RefusesWhen(app, method, pattern, when, status),
        NARROW,
        part,
    )


def _has(field: str, *values: Any) -> Callable[[Any, bytes], bool]:
    return lambda p, raw: isinstance(p, dict) and field in p and (not values or p[field] in values)


def _bound_parts(part: str) -> tuple[tuple[str, str], ...]:
    names = (
        "learning_rate",
        "total_training_steps",
        "rank",
        "checkpoint_interval",
        "lr_warmup_steps",
    )
    return tuple((f"training.bound.{n}", part) for n in names)


def _bad_errors(name: str) -> Callable[[Any], None]:
    def edit(payload: Any) -> None:
        for item in payload.get("errors") or [] if isinstance(payload, dict) else []:
            if isinstance(item, dict):
                item["field_name"] = name

    return edit


def _more(name: str, *pairs: tuple[str, str]) -> None:
    """Records further parts an existing variant breaks."""
    for index, variant in enumerate(VARIANTS):
        if variant.name == name:
            VARIANTS[index] = replace(variant, more=(*variant.more, *pairs))


_more(
    "stop-skips-stopping",
    ("model.status-machine", "Stopping seen after stop_training, then Stopped"),
)
_more("restart-training-400", ("training.no-restart", "409 once Stopped"))
_more(
    "checkpoints-of-automated-model", ("training.checkpoints-expert-only", "400 before completion")
)
_more(
    "bulk-again-accepted",
    ("bulk.single-attempt", "refused on a non-empty dataset"),
    ("bulk.single-attempt", "refused while one is in progress"),
)
_START_ANY = rf"{P_}/models/\d+/start_training"

MORE_VARIANTS = [
    *(
        _refuses(
            f"{field.replace('_', '-')}-bound-refused",
            f"generate.bound.{field}",
            "boundary values accepted",
            "POST",
            _GEN,
            _has(field),
        )
        for field in ("guidance_scale", "steps_num", "tailored_model_influence")
    ),
    *(
        _refuses(
            f"{n.replace('_', '-')}-bound-value-refused",
            f"training.bound.{n}",
            "boundary values accepted",
            "POST",
            _START_ANY,
            _has(n),
        )
        for n in (
            "learning_rate",
            "total_training_steps",
            "rank",
            "checkpoint_interval",
            "lr_warmup_steps",
        )
    ),
    _refuses(
        "v1-guidance-bounds-refused",
        "v1gen.guidance-scale-range",
        "both bounds accepted",
        "POST",
        _T2I,
        _has("guidance_method_1_scale", 0, 0.0, 1, 1.0),
    ),
    _refuses(
        "v1-style-only-refused",
        "v1gen.image-prompt",
        "regular and style_only accepted",
        "POST",
        _T2I,
        _has("image_prompt_mode", "style_only"),
    ),
    _refuses(
        "v1-two-guidances-refused",
        "v1gen.guidance-second-needs-first",
        "two methods accepted",
        "POST",
        _T2I,
        _has("guidance_method_2"),
    ),
    _refuses(
        "v1-two-slow-results-refused",
        "v1gen.fast-false-one-or-two",
        "1 and 2 results accepted",
        "POST",
        _T2I,
        lambda p, raw: isinstance(p, dict) and p.get("num_results") == 2,
    ),
    _refuses(
        "v1-six-prefix-images-refused",
        "v1gen.prefix-image-count",
        "1 to 6 images accepted",
        "POST",
        f"{P_}/generate_prefix",
        lambda p, raw: (
            isinstance(p, dict) and len(p.get("images") or p.get("image_urls") or []) == 6
        ),
    ),
    _refuses(
        "prompt-with-structured-refused",
        "structured-prompt.input-combinations",
        "prompt, or structured_prompt with prompt, accepted",
        "POST",
        _SPG,
        lambda p, raw: isinstance(p, dict) and "structured_prompt" in p and "prompt" in p,
    ),
    _refuses(
        "structured-with-seed-refused",
        "generate.input-combinations",
        "accepted combinations answer 2xx",
        "POST",
        _GEN,
        lambda p, raw: isinstance(p, dict) and "structured_prompt" in p and "seed" in p,
    ),
    _refuses(
        "documented-ratio-refused",
        "generate.aspect-ratio-enum",
        "a documented ratio accepted",
        "POST",
        _GEN,
        _has("aspect_ratio"),
    ),
    _refuses(
        "illustration-types-refused",
        "project.illustration-only-ip-types",
        "the same type is accepted with illustration",
        "POST",
        f"{P_}/projects",
        _has("ip_type", "object_variants", "multi_object_set", "icons", "character_variants"),
    ),
    _refuses(
        "strict-square-refused",
        "image.strict-resolution",
        "201 at 1024x1024",
        "POST",
        rf"{P_}/datasets/\d+/images",
        lambda p, raw: b'name="increase_resolution"' in raw,
        412,
    ),
    _refuses(
        "unmoderated-schema-refused",
        "schema-tools.visual-schema-moderation",
        "accepted with moderation off",
        "POST",
        f"{P_}/generate_visual_schema",
        lambda p, raw: isinstance(p, dict) and not p.get("content_moderation"),
        422,
    ),
    _refuses(
        "completion-at-minimum-refused",
        "dataset.completion-min-images",
        "200 and completed at the minimum",
        "PUT",
        rf"{P_}/datasets/\d+",
        _has("status", "completed"),
        409,
    ),
    _refuses(
        "stop-while-training-refused",
        "training.stop",
        "200 while training",
        "POST",
        rf"{P_}/models/\d+/stop_training",
        lambda p, raw: True,
        409,
    ),
    _status_swap(
        "existing-checkpoint-404",
        "v1gen.checkpoint-exists",
        "an existing checkpoint generates",
        "POST",
        r"/v1/text-to-image/tailored/\d+/\d+",
        200,
        404,
        _ERR,
    ),
    replace(
        _accepts(
            "v1-untrained-model-served",
            "v1gen.trained-model-only",
            "4xx for a never-trained model",
            "POST",
            _T2I,
            200,
            _V1_RESULT,
        ),
        more=(("v1gen.trained-model-only", "4xx for a model that no longer exists"),),
    ),
    _accepts(
        "unknown-model-generates",
        "generate.trained-model-only",
        "4xx for an unknown model",
        "POST",
        _GEN,
        202,
        _ACCEPTED,
    ),
    _status_swap(
        "checkpoint-delete-200",
        "training.checkpoint-delete",
        "204",
        "DELETE",
        rf"{P_}/models/\d+/checkpoints/\d+",
        204,
        200,
        {},
    ),
    _status_swap(
        "bulk-upload-200",
        "bulk.async-progress",
        "202",
        "POST",
        rf"{P_}/datasets/\d+/images/bulk-upload",
        202,
        200,
        {"status": "pending"},
    ),
    _status_swap(
        "expert-refusal-as-string",
        "training.expert-only-parameters",
        'body {"message"} or {"errors"}',
        "POST",
        _START_ANY,
        400,
        400,
        "refused",
    ),
    Variant(
        "bound-errors-name-another-field",
        "limit",
        "training.bound.rank",
        "training.bound.*",
        lambda app, a, b: EditJson(app, "POST", _START_ANY, _bad_errors("other"), (400,)),
        NARROW,
        "field_name names the parameter",
        _bound_parts("field_name names the parameter"),
    ),
    Variant(
        "bound-errors-as-message-everywhere",
        "limit",
        "training.bound.learning_rate",
        "training.bound.*",
        lambda app, a, b: BoundsAsMessage(app),
        NARROW,
        "errors[] with msg, field_name, field_input",
        _bound_parts("errors[] with msg, field_name, field_input"),
    ),
    _edit(
        "download-url-dead",
        "dataset.download-advanced-only",
        "download_url serves the dataset",
        "GET",
        r"/v1/datasets/\d+/download",
        _set("download_url", "http://127.0.0.1:9/d.zip"),
    ),
    _edit(
        "captions-url-missing",
        "dataset.download-captions-url",
        "captions_url when every caption is automatic",
        "GET",
        r"/v1/datasets/\d+/download",
        _drop("captions_url"),
    ),
    _edit(
        "model-download-url-missing",
        "training.download-after-completion",
        "200 with download_url after",
        "GET",
        rf"{P_}/models/\d+/download",
        _drop("download_url"),
    ),
    _edit(
        "refused-training-shows-running",
        "training.requires-completed-dataset",
        "model stays Created",
        "GET",
        rf"{P_}/models/\d+",
        _set("status", "InProgress"),
    ),
    _edit(
        "start-answer-without-parameters",
        "training.starts-in-progress",
        "training_parameters in the answer",
        "POST",
        _START_ANY,
        _drop("training_parameters"),
    ),
    _edit(
        "warmup-dropped-for-cwr",
        "training.warmup-null-unless-cwr",
        "lr_warmup_steps kept with constant_with_warmup",
        "POST",
        _START_ANY,
        _nested("training_parameters", lambda t: t.update(lr_warmup_steps=None)),
    ),
    _edit(
        "interval-step-missing",
        "training.checkpoints-at-interval",
        "every interval step listed",
        "GET",
        rf"{P_}/models/\d+/checkpoints",
        lambda p: (
            isinstance(p.get("checkpoints"), list) and p["checkpoints"] and p["checkpoints"].pop(0)
        ),
    ),
    _edit(
        "checkpoint-beyond-total",
        "training.checkpoints-at-interval",
        "no step beyond total_training_steps",
        "GET",
        rf"{P_}/models/\d+/checkpoints",
        lambda p: (
            isinstance(p.get("checkpoints"), list)
            and p["checkpoints"].append(
                {**(p["checkpoints"][0] if p["checkpoints"] else {}), "checkpoint_step": 3000}
            )
        ),
    ),
    _edit(
        "new-model-not-created",
        "model.status-machine",
        "a new model reads Created",
        "POST",
        f"{P_}/models",
        _set("status", "InProgress"),
    ),
    _edit(
        "model-in-other-project",
        "model.created",
        "project_id of its dataset",
        "POST",
        f"{P_}/models",
        _set("project_id", 999999),
    ),
    _edit(
        "trained-parameters-emptied",
        "model.include-training-parameters",
        "a trained model lists the parameters it trained with",
        "GET",
        rf"{P_}/models",
        _each(lambda m: m.get("training_parameters") and m.update(training_parameters={})),
    ),
    _edit(
        "project-id-text",
        "project.created-active",
        "integer id",
        "POST",
        f"{P_}/projects",
        lambda p: isinstance(p, dict) and p.update(id=str(p.get("id"))),
    ),
    _edit(
        "project-created-inactive",
        "project.created-active",
        "status active",
        "POST",
        f"{P_}/projects",
        _set("status", "inactive"),
    ),
    _edit(
        "project-read-renamed",
        "project.created-active",
        "own read shows the submitted fields",
        "GET",
        rf"{P_}/projects/\d+",
        _set("project_name", "renamed"),
    ),
    _edit(
        "project-read-stale",
        "project.update-persists",
        "own read shows the changes",
        "GET",
        rf"{P_}/projects/\d+",
        _set("project_description", "as it was"),
    ),
    _edit(
        "project-models-foreign-item",
        "project.children-lists",
        "/projects/{id}/models lists exactly its models",
        "GET",
        rf"{P_}/projects/\d+/models",
        lambda p: isinstance(p, list) and p.append({**(p[0] if p else {}), "id": 424242}),
    ),
    _edit(
        "new-dataset-completed",
        "dataset.created-draft",
        "status draft",
        "POST",
        f"{P_}/datasets",
        _set("status", "completed"),
    ),
    _edit(
        "dataset-read-completed",
        "dataset.created-draft",
        "own read shows draft",
        "GET",
        rf"{P_}/datasets/\d+",
        _set("status", "completed"),
    ),
    _edit(
        "regenerated-caption-manual",
        "image.caption-regeneration",
        "caption_source automatic (answer and later read)",
        "PUT",
        rf"{P_}/datasets/\d+/images/\d+",
        lambda p: p.get("caption_source") == "automatic" and p.update(caption_source="manual"),
    ),
    Variant(
        "regenerated-captions-vary",
        "state",
        "image.caption-regeneration",
        "image.caption-regeneration",
        lambda app, a, b: VariesCaptions(app),
        NARROW,
        "same schema gives the same caption",
    ),
    _edit(
        "manual-caption-not-stored",
        "image.manual-caption",
        "caption stored (answer and own read)",
        "PUT",
        rf"{P_}/datasets/\d+/images/\d+",
        lambda p: p.get("caption_source") == "manual" and p.update(caption='{"other": 1}'),
    ),
    _edit(
        "manual-caption-read-automatic",
        "image.manual-caption",
        "caption_source manual",
        "GET",
        rf"{P_}/datasets/\d+/images/\d+",
        _set("caption_source", "automatic"),
    ),
    _edit(
        "schema-upload-uncaptioned",
        "image.caption-needs-visual-schema",
        "automatic JSON caption with a schema",
        "POST",
        rf"{P_}/datasets/\d+/images",
        _set("caption", None),
    ),
    _edit(
        "status-without-result",
        "status.values",
        "COMPLETED carries result",
        "GET",
        r"/v2/status/[^/]+",
        lambda p: p.get("status") == "COMPLETED" and p.pop("result", None),
    ),
    _edit(
        "status-outside-enum",
        "status.values",
        "200 with status in its enum",
        "GET",
        r"/v2/status/[^/]+",
        lambda p: p.get("status") == "COMPLETED" and p.update(status="DONE"),
    ),
    _edit(
        "status-other-request",
        "status.status-url",
        "same request_id through both routes",
        "GET",
        r"/v2/status/[^/]+",
        _set("request_id", "another-request"),
    ),
    _edit(
        "structured-prompt-plain",
        "structured-prompt.result",
        "sync 200 with a JSON structured_prompt string",
        "POST",
        _SPG,
        lambda p: [
            d.update(structured_prompt="a red cube")
            for d in (p, p.get("result"))
            if isinstance(d, dict) and "structured_prompt" in d
        ],
    ),
    _edit(
        "structured-prompt-with-image",
        "structured-prompt.result",
        "no image in the result",
        "POST",
        _SPG,
        lambda p: [
            d.update(image_url="http://x/a.png")
            for d in (p, p.get("result"))
            if isinstance(d, dict) and "structured_prompt" in d
        ],
    ),
    _edit(
        "sync-without-image",
        "generate.sync-result",
        "200 with an image URL",
        "POST",
        _GEN,
        lambda p: [d.pop("image_url", None) for d in (p, p.get("result")) if isinstance(d, dict)],
    ),
    _edit(
        "sync-without-seed",
        "generate.sync-result",
        "seed",
        "POST",
        _GEN,
        lambda p: isinstance(p.get("result"), dict) and p["result"].pop("seed", None),
    ),
    _edit(
        "sync-image-dead",
        "generate.sync-result",
        "the image URL serves",
        "POST",
        _GEN,
        lambda p: [
            d.update(image_url="http://127.0.0.1:9/a.png")
            for d in (p, p.get("result"))
            if isinstance(d, dict) and "image_url" in d
        ],
    ),
    _edit(
        "warning-on-every-prompt",
        "generate.ip-warning",
        "a plain prompt carries none",
        "POST",
        _GEN,
        _set("warning", "This prompt may reference intellectual property."),
    ),
    _edit(
        "video-without-status-url",
        "video.async-only",
        "202 with request_id and status_url",
        "POST",
        _VID,
        _drop("status_url"),
    ),
    _edit(
        "restyle-without-image-res",
        "v1gen.restyle-compatible-models",
        "image_res for a Light model",
        "POST",
        f"{P_}/restyle_portrait",
        _drop("image_res"),
    ),
    _edit(
        "bulk-stuck-at-99",
        "bulk.async-progress",
        "progress_percentage within 0-100 and reaches 100",
        "GET",
        rf"{P_}/datasets/\d+/images/bulk-upload/status",
        lambda p: p.get("progress_percentage") == 100 and p.update(progress_percentage=99),
    ),
    _edit(
        "bulk-counts-off-by-one",
        "bulk.failures-reported",
        "done and failed counts",
        "GET",
        rf"{P_}/datasets/\d+/images/bulk-upload/status",
        lambda p: isinstance(p.get("done"), int) and p.update(done=p["done"] + 1),
    ),
    _edit(
        "bulk-captions-not-manual",
        "bulk.caption-files",
        "a .txt caption is imported as manual",
        "GET",
        rf"{P_}/datasets/\d+/images",
        _set("caption_source", "automatic"),
    ),
    _edit(
        "include-models-ignored",
        "dataset.include-models-flags",
        "models with include_models=true",
        "GET",
        rf"{P_}/projects/\d+/datasets",
        _drop("models"),
    ),
    _edit(
        "include-model-ids-ignored",
        "dataset.include-models-flags",
        "model_ids with include_models_ids=true",
        "GET",
        rf"{P_}/projects/\d+/datasets",
        _drop("model_ids"),
    ),
    _accepts(
        "max-images-out-of-range",
        "dataset.max-images-query",
        "400 outside 1-200",
        "GET",
        rf"{P_}/datasets/\d+",
        200,
        {"id": 1, "images": []},
        (400,),
    ),
    Variant(
        "deleted-project-readable",
        "state",
        "project.deleted-is-gone",
        "project.deleted-is-gone",
        lambda app, a, b: GhostReads(app, rf"{P_}/projects/\d+"),
        NARROW,
        "own read 404",
    ),
    Variant(
        "deleted-dataset-readable",
        "state",
        "dataset.delete-removes-images",
        "dataset.delete-removes-images",
        lambda app, a, b: GhostReads(app, rf"{P_}/datasets/\d+"),
        NARROW,
        "dataset answers 404",
    ),
    Variant(
        "deleted-model-readable",
        "state",
        "model.deleted-is-gone",
        "model.deleted-is-gone",
        lambda app, a, b: GhostReads(app, rf"{P_}/models/\d+"),
        NARROW,
        "own read 404 or no training status",
    ),
    Variant(
        "deleted-image-readable",
        "state",
        "image.deleted-is-gone",
        "image.deleted-is-gone",
        lambda app, a, b: GhostReads(app, rf"{P_}/datasets/\d+/images/\d+"),
        NARROW,
        "own read 404",
    ),
    Variant(
        "refused-project-delete-hides",
        "state",
        "project.delete-blocked-while-training",
        "project.delete-blocked-while-training",
        lambda app, a, b: HidesAfterRefusal(app, rf"{P_}/projects/\d+"),
        NARROW,
        "project still readable",
    ),
    Variant(
        "refused-model-delete-hides",
        "state",
        "model.delete-blocked-while-training",
        "model.delete-blocked-while-training",
        lambda app, a, b: HidesAfterRefusal(app, rf"{P_}/models/\d+"),
        NARROW,
        "model still readable and training",
    ),
    Variant(
        "refused-image-delete-hides",
        "state",
        "dataset.completed-freezes-deletions",
        "dataset.completed-freezes-deletions",
        lambda app, a, b: HidesAfterRefusal(app, rf"{P_}/datasets/\d+/images/\d+"),
        NARROW,
        "image still readable",
    ),
    Variant(
        "kept-checkpoint-unlisted",
        "state",
        "training.active-checkpoint-kept",
        "training.active-checkpoint-kept",
        lambda app, a, b: ForgetsKeptCheckpoint(app),
        NARROW,
        "still listed",
    ),
    *(
        Variant(
            f"clone-{name}",
            "state",
            "dataset.clone-as-draft",
            "dataset.clone-as-draft",
            lambda app, a, b, f=field, v=value: EditsClones(app, f, v),
            NARROW,
            part,
        )
        for name, field, value, part in (
            ("completed", "status", "completed", "clone is a draft"),
            ("elsewhere", "project_id", 999999, "same project"),
            ("without-schema", "visual_schema", None, "inherits visual_schema"),
            ("empty", "images_count", 0, "holds the source's images (count)"),
            ("named-otherwise", "name", "Clone", "default name Copy of <name>, a given name used"),
        )
    ),
    Variant(
        "timestamps-as-words",
        "shape",
        "shape.timestamps-rfc3339",
        "shape.timestamps-rfc3339",
        lambda app, a, b: RewritesTimestamps(app),
        ("-k", "test_operation"),
        "created_at / updated_at are ISO date-times",
    ),
    Variant(
        "envelope-without-message",
        "shape",
        "shape.error-envelope",
        "shape.error-envelope",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/.*", _nested("error", lambda e: e.pop("message", None)), (404,)
        ),
        ("-k", "not test_operation"),
        "error.message present",
    ),
    Variant(
        "envelope-without-request-id",
        "shape",
        "shape.error-envelope",
        "shape.error-envelope",
        lambda app, a, b: EditJson(app, "GET", rf"{P_}/.*", _drop("request_id"), (404,)),
        ("-k", "not test_operation"),
        "request_id present",
    ),
    Variant(
        "envelope-code-mismatch",
        "shape",
        "shape.error-envelope",
        "shape.error-envelope",
        lambda app, a, b: EditJson(
            app, "GET", rf"{P_}/.*", _nested("error", lambda e: e.update(code=400)), (404,)
        ),
        ("-k", "not test_operation"),
        "error.code equals the HTTP status",
    ),
]
VARIANTS += MORE_VARIANTS


# -- every part once: generated requests, isolation, limits, deliveries, outputs ------------------
class UndeclaredStatuses(Rewriter):
    """Statuses no operation declares: a refusal comes back as 418 (its envelope's code says 418
    too) and a plain list as 203 Non-Authoritative Information. A missing token is still 401, a
    method a path does not serve still 405."""

    LISTS = re.compile(rf"{P_}/(projects|datasets|models)")

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == 200 and scope["method"] == "GET" and self.LISTS.fullmatch(scope["path"]):
            return 203, headers, body
        if not 400 <= status < 500 or status in (401, 405):
            return status, headers, body
        payload = _json(body)
        if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
            payload["error"]["code"] = 418
            body = _dump(payload)
        return 418, headers, body


class EditsRequests(Rewriter):
    """JSON bodies of requests to `method` `pattern` are changed by `edit` before they are
    served (what a server that ignores, or forces, a documented field does)."""

    def __init__(
        self, app: Any, method: str, pattern: str, edit: Callable[[dict[str, Any]], Any]
    ) -> None:
        super().__init__(app)
        self.method, self.pattern, self.edit = method, pattern, edit

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        payload = _json(body)
        if (
            scope["method"] == self.method
            and re.fullmatch(self.pattern, scope["path"])
            and isinstance(payload, dict)
        ):
            self.edit(payload)
            return scope, _dump(payload)
        return scope, body


class RefusalLeavesTrace(Rewriter):
    """A refused request still has an effect: after a refusal (`statuses`) of `method`
    `pattern`, the list at `listed(match, request)` shows `trace(request)` too."""

    def __init__(
        self,
        app: Any,
        method: str,
        pattern: str,
        statuses: tuple[int, ...],
        listed: Callable[[re.Match[str], Any], str | None],
        trace: Callable[[Any], dict[str, Any]],
    ) -> None:
        super().__init__(app)
        self.method, self.pattern, self.statuses = method, pattern, statuses
        self.listed, self.trace = listed, trace
        self.sent: Any = None
        self.traces: dict[str, list[dict[str, Any]]] = {}

    def passes(self, scope: Scope) -> bool:
        # a reset of the mock forgets the traces with everything else
        return scope["path"] != "/_mock/reset" and super().passes(scope)

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        self.sent = _json(body)
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["path"] == "/_mock/reset":
            self.traces.clear()
        found = re.fullmatch(self.pattern, scope["path"])
        if found and scope["method"] == self.method and status in self.statuses:
            where = self.listed(found, self.sent)
            if where is not None:
                self.traces.setdefault(where, []).append(self.trace(self.sent))
        extra = self.traces.get(scope["path"])
        if extra and scope["method"] == "GET" and status == 200:
            payload = _json(body)
            if isinstance(payload, list):
                return status, headers, _dump([*payload, *extra])
        return status, headers, body


class LeaksOnRefusal(Rewriter):
    """Requests without api_token (`methods`) are served as the first organization's, then
    refused 401 in Bria's envelope holding what was served (`data`): a read shows what it read,
    a write is made."""

    def __init__(self, app: Any, token: str, methods: tuple[str, ...]) -> None:
        super().__init__(app)
        self.token, self.methods = token.encode(), methods
        self.served = False

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        self.served = _header(scope, b"api_token") is None and scope["method"] in self.methods
        if self.served:
            scope["headers"] = [*scope["headers"], (b"api_token", self.token)]
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if not self.served:
            return status, headers, body
        error = {"code": 401, "message": "Unauthorized", "details": "api_token is required"}
        return 401, headers, _dump({"error": error, "request_id": "x", "data": _json(body)})


class EditsHeader(Rewriter):
    """Answers with `status` carry `value` in header `name`."""

    def __init__(self, app: Any, status: int, name: bytes, value: bytes) -> None:
        super().__init__(app)
        self.status, self.name, self.value = status, name, value

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status == self.status:
            kept = [(k, v) for k, v in headers if k.lower() != self.name]
            return status, [*kept, (self.name, self.value)], body
        return status, headers, body


class QuotaAsObject(Rewriter):
    """Every third request to `pattern` is refused for quota with a 403 whose body is an
    object, not the documented JSON string."""

    def __init__(self, app: Any, pattern: str) -> None:
        super().__init__(app)
        self.pattern, self.count = pattern, 0

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if re.fullmatch(self.pattern, scope["path"]):
            self.count += 1
            if self.count % 3 == 0:
                return 403, headers, _dump({"message": "Quota exceeded"})
        return status, headers, body


class QueryCrash(Hostile500):
    """Query values that are no number or no text (a 5000-digit integer, a lone surrogate)
    crash the server."""

    def triggers(self, data: bytes, scope: Scope) -> bool:
        query = scope.get("query_string", b"").lower()
        return re.search(rb"\d{1000}", query) is not None or b"%ed%a0%80" in query


class RefusalsCrash(Rewriter):
    """Requests to `method` `pattern` the server would refuse as invalid crash it (500)."""

    def __init__(self, app: Any, method: str, pattern: str) -> None:
        super().__init__(app)
        self.method, self.pattern = method, pattern

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            scope["method"] == self.method
            and status in (400, 422)
            and re.fullmatch(self.pattern, scope["path"])
        ):
            return 500, [(b"content-type", b"text/plain")], b"Internal Server Error"
        return status, headers, body


class NotFoundBeforeBody(Rewriter):
    """A write with a JSON body that names a missing resource is answered 400 as if the body
    were wrong, instead of 404."""

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if (
            status == 404
            and scope["method"] in ("POST", "PUT")
            and _header(scope, b"content-type") == b"application/json"
        ):
            error = {"code": 400, "message": "Bad Request", "details": "invalid body"}
            return 400, headers, _dump({"error": error, "request_id": "x"})
        return status, headers, body


class ServesFiles(Rewriter):
    """Rewrites the artefacts behind signed URLs (generated images) with `edit`."""

    def __init__(self, app: Any, edit: Callable[[bytes], bytes]) -> None:
        super().__init__(app)
        self.edit = edit

    def passes(self, scope: Scope) -> bool:
        return not scope["path"].startswith("/_mock/files/") and super().passes(scope)

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["path"].startswith("/_mock/files/") and status == 200:
            return status, headers, self.edit(body)
        return status, headers, body


def _square(data: bytes) -> bytes:
    """A raster image centre-cropped to a square (anything else unchanged)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError):
        return data
    side = min(img.size)
    left, top = (img.size[0] - side) // 2, (img.size[1] - side) // 2
    out = io.BytesIO()
    img.crop((left, top, left + side, top + side)).save(out, img.format or "PNG")
    return out.getvalue()


def _raster(data: bytes) -> bytes:
    """An SVG served as a PNG."""
    import io

    from PIL import Image

    if b"<svg" not in data[:512]:
        return data
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _new_seed_each_time() -> Callable[[dict[str, Any]], Any]:
    """The seed sent is not the seed used: each request shifts it."""
    count = _Counter()

    def edit(payload: dict[str, Any]) -> None:
        if isinstance(payload.get("seed"), int):
            payload["seed"] += count.next()

    return edit


class ProjectParametersIgnored(Rewriter):
    """upload_model ignores project_parameters: the model goes into a project the organization
    already has (the first one its latest project list showed)."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.known: int | None = None

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        payload = _json(body)
        if (
            scope["path"] == _UPLOAD_MODEL
            and isinstance(payload, dict)
            and "project_parameters" in payload
            and self.known is not None
        ):
            payload.pop("project_parameters")
            payload["project_id"] = self.known
            return scope, _dump(payload)
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["method"] == "GET" and scope["path"] == f"{P_}/projects" and status == 200:
            listed = _json(body)
            if isinstance(listed, list):
                self.known = listed[0].get("id") if listed else None
        return status, headers, body


def _webhooks(app: Any) -> Any:
    return app.state.mock.webhooks


def signs_stale(app: Any) -> Any:
    """Deliveries signed with a timestamp 1000 s old (outside bria-client's 300 s tolerance)."""
    from bria_tailored.runtime.webhooks import signature_headers

    def stale(key: bytes, webhook_id: str, payload: bytes, now: float) -> dict[str, str]:
        return signature_headers(key, webhook_id, payload, now - 1000)

    _webhooks(app).sign = stale
    return app


def delivers_unfinished(app: Any) -> Any:
    """The delivered body reports the job as still in progress, without its result."""
    sender = _webhooks(app)
    original = sender._body

    def body(job: Any, delivery: Any, now: float) -> str:
        view = json.loads(original(job, delivery, now))
        view["status"] = "IN_PROGRESS"
        view.pop("result", None)
        return json.dumps(view)

    sender._body = body
    return app


def delivers_twice(app: Any) -> Any:
    """Every delivery is posted twice, both signed."""
    import time

    sender = _webhooks(app)
    original = sender._attempt

    async def twice(client: Any, delivery: Any) -> None:
        payload = (delivery.body or "").encode()
        signed = sender.sign(bytes.fromhex(delivery.signing_key), delivery.id, payload, time.time())
        headers = {"Content-Type": "application/json", **signed}
        await client.post(delivery.url, content=payload, headers=headers)
        await original(client, delivery)

    sender._attempt = twice
    return app


def _phantom_model(sent: Any) -> dict[str, Any]:
    return {**_FAKE_MODEL, "name": sent.get("model_name") if isinstance(sent, dict) else "m"}


def _models_of_sent_project(found: re.Match[str], sent: Any) -> str | None:
    project = sent.get("project_id") if isinstance(sent, dict) else None
    return f"{P_}/projects/{project}/models" if isinstance(project, int) else None


_PHANTOM_PROJECT = {
    "id": 999999,
    "project_name": "made by a refused request",
    "ip_medium": "illustration",
    "ip_type": "other",
    "status": "active",
}
_UNDECLARED = "no undeclared status is answered"
_RATE = ("-k", "test_rate_limit")
_HOOK = ("-k", "delivered_signed")
_WEBHOOK = "webhooks.signed-delivery"
_T2I = r"/v1/text-to-image/tailored/\d+"
_IMAGE_GUIDANCE = "controlnet_canny"


def _webhook(name: str, part: str, build: Callable[[Any], Any], because: str) -> Variant:
    return Variant(
        name,
        "async",
        _WEBHOOK,
        _WEBHOOK,
        lambda app, a, b: build(app),
        _HOOK,
        part,
        because=because,
    )


def _rate(name: str, part: str, build: Callable[[Any], Any], because: str) -> Variant:
    entry = "limit.rate-limit-429"
    return Variant(
        name, "limit", entry, entry, lambda app, a, b: build(app), _RATE, part, because=because
    )


def _ignores_switches(payload: dict[str, Any], seed: Callable[[dict[str, Any]], Any]) -> None:
    """Moderation switched off whatever was asked, and the seed shifted."""
    payload.update(prompt_content_moderation=False, visual_output_content_moderation=False)
    seed(payload)


def _forces_moderation(payload: dict[str, Any]) -> None:
    payload.pop("prompt_content_moderation", None)
    payload.pop("visual_output_content_moderation", None)


def _generation_switches_ignored(app: Any) -> Any:
    seed = _new_seed_each_time()
    v2 = EditsRequests(app, "POST", _GEN, lambda p: _ignores_switches(p, seed))
    return EditsRequests(v2, "POST", _T2I, lambda p: p.pop("content_moderation", None))


def _moderation_forced(app: Any) -> Any:
    v2 = EditsRequests(app, "POST", _GEN, _forces_moderation)
    return EditsRequests(
        v2,
        "POST",
        _T2I,
        lambda p: _IMAGE_GUIDANCE in str(p) and p.update(content_moderation=True),
    )


def _generated_requests_broken(app: Any) -> Any:
    """A project's model list is not routed; generation runs out of quota with a 403 object;
    invalid project bodies and hostile query values crash the server."""
    routes = Rewrites(
        app, "GET", rf"{P_}/projects/\d+/models", 200, 404, {**_ERR, "error": {"code": 404}}
    )
    return QueryCrash(RefusalsCrash(QuotaAsObject(routes, _GEN), "POST", f"{P_}/projects"))


def _foreign_writes_served(app: Any, a: str, b: str) -> Any:
    updates = ForeignTokenServed(app, a, b, "PUT", rf"{P_}/.+")
    deletes = ForeignTokenServed(updates, a, b, "DELETE", rf"{P_}/.+")
    return ForeignTokenServed(deletes, a, b, "POST", _START)


def _model_uploads_broken(app: Any) -> Any:
    """Refused uploads leave a project or a model behind; project_parameters are ignored."""
    projects = RefusalLeavesTrace(
        ProjectParametersIgnored(app),
        "POST",
        _UPLOAD_MODEL,
        (400,),
        lambda found, sent: f"{P_}/projects",
        lambda sent: _PHANTOM_PROJECT,
    )
    return RefusalLeavesTrace(
        projects, "POST", _UPLOAD_MODEL, (415, 422), _models_of_sent_project, _phantom_model
    )


_SIZE = r"got \d+x\d+"
EVERY_PART_VARIANTS = [
    Variant(
        "undeclared-status-everywhere",
        "shape",
        "op.get-projects.responses",
        "op.*.responses",
        lambda app, a, b: UndeclaredStatuses(app),
        ("-k", "test_operation"),
        _UNDECLARED,
        _every_operation("responses", _UNDECLARED),
        because="Undocumented status code",
    ),
    Variant(
        "generated-requests-mishandled",
        "hostile",
        "shape.no-server-error",
        "shape.no-server-error,shape.documented-routes,shape.forbidden-is-string",
        lambda app, a, b: _generated_requests_broken(app),
        (
            "-k",
            "test_hostile_query_values or (test_operation and (image/generate"
            " or (project_id and models]) or (POST and tailored-gen/projects])))",
        ),
        "generated valid and invalid requests get no 5xx",
        (
            ("shape.no-server-error", "hostile query values get no 5xx"),
            ("shape.documented-routes", "existing resources never answer 404 (generated requests)"),
            ("shape.forbidden-is-string", "403 body is a JSON string (generated requests)"),
        ),
        because={
            "shape.no-server-error": "(?i)server error",
            "shape.documented-routes": "existing_resource_is_found",
            "shape.forbidden-is-string": "forbidden_body_is_string",
        },
    ),
    Variant(
        "project-list-ids-strings",
        "shape",
        "shape.ids-are-integers",
        "shape.ids-are-integers",
        # the list only: the id a create answers stays an integer
        lambda app, a, b: EditJson(
            app, "GET", f"{P_}/projects", _each(lambda p: p.update(id=str(p.get("id"))))
        ),
        ("-k", "test_lifecycle_state_machine"),
        "ids in every lifecycle response are integers",
        because=r"ids are integers; GET /v1/tailored-gen/projects answered \[\('id'",
    ),
    Variant(
        "valid-write-on-missing-400",
        "shape",
        "shape.unknown-resource-404",
        "shape.unknown-resource-404",
        lambda app, a, b: NotFoundBeforeBody(app),
        ("-k", "test_missing_resources_answer_404"),
        "also when the request is otherwise valid",
        because="answered 400",
    ),
    Variant(
        "missing-image-caption-listed",
        "state",
        "shape.unknown-resource-404",
        "shape.unknown-resource-404",
        lambda app, a, b: RefusalLeavesTrace(
            app,
            "PUT",
            rf"({P_}/datasets/\d+/images)/\d+",
            (404,),
            lambda found, sent: found.group(1),
            lambda sent: {"id": 999999, "caption": str(sent)},
        ),
        ("-k", "test_missing_resources_answer_404"),
        "changes nothing",
        because="no image may appear",
    ),
    Variant(
        "foreign-writes-served",
        "auth",
        "auth.org-isolated-access",
        "auth.org-isolated-access",
        _foreign_writes_served,
        ("-k", "test_foreign_resources_are_not_accessible"),
        "foreign update answers 403 or 404",
        (
            ("auth.org-isolated-access", "foreign delete answers 403 or 404"),
            ("auth.org-isolated-access", "foreign start_training answers 403 or 404"),
        ),
        # each kind of write is named among the answers served
        because=r"(?s)PUT \S+ answered 2.*DELETE \S+ answered 2.*start_training answered 2",
    ),
    Variant(
        "token-less-requests-served",
        "auth",
        "auth.token-required",
        "auth.token-required",
        lambda app, a, b: LeaksOnRefusal(app, a, ("GET", "PUT")),
        ("-k", "test_write_without_token_changes_nothing"),
        "nothing read (no resource data in the 401 body)",
        (("auth.token-required", "nothing changed by a refused write"),),
        because="(?s)answered resource data.*changed the project",
    ),
    _rate(
        "rate-limit-never-429",
        "429 when the limit is exceeded",
        lambda app: AcceptsRefusals(app, "POST", f"{P_}/projects", (429,), 201, _PHANTOM_PROJECT),
        "answered 429",
    ),
    _rate(
        "retry-after-fractional",
        "Retry-After is whole seconds when sent",
        lambda app: EditsHeader(app, 429, b"retry-after", b"1.5"),
        "whole seconds",
    ),
    _rate(
        "rate-limited-create-listed",
        "a refused request has no effect",
        lambda app: RefusalLeavesTrace(
            app,
            "POST",
            f"{P_}/projects",
            (429,),
            lambda found, sent: f"{P_}/projects",
            lambda sent: {**_PHANTOM_PROJECT, "project_name": sent.get("project_name")},
        ),
        "had an effect",
    ),
    _webhook(
        "webhook-signed-long-ago",
        "its timestamp within 300 s of the receiver's clock",
        signs_stale,
        "tolerance",
    ),
    _webhook(
        "webhook-body-unfinished",
        "the body is the job's final status, for its request_id",
        delivers_unfinished,
        "the delivery says",
    ),
    _webhook("webhook-delivered-twice", "delivered once", delivers_twice, "delivered once"),
    Variant(
        "generated-images-reshaped",
        "shape",
        "v1gen.sync-result-urls",
        "v1gen.sync-result-urls,v1gen.guidance-same-aspect-ratio,v1gen.reimagine-*,"
        "v1gen.vector-illustrative-only",
        lambda app, a, b: ServesFiles(app, lambda data: _raster(_square(data))),
        (
            "-k",
            "test_v1_sync or test_v1_guidance_images or test_v1_reimagine or model_in_the_body"
            " or test_v1_vector",
        ),
        "the URLs serve images of the requested ratio",
        (
            ("v1gen.guidance-same-aspect-ratio", "the guidance ratio sets the output's"),
            ("v1gen.reimagine-structure", "output keeps its aspect ratio"),
            ("v1gen.reimagine-model-in-body", "output keeps the structure image's aspect ratio"),
            ("v1gen.vector-illustrative-only", "SVG for an illustration model"),
        ),
        because={
            "v1gen.sync-result-urls": _SIZE,
            "v1gen.guidance-same-aspect-ratio": _SIZE,
            "v1gen.reimagine-structure": _SIZE,
            "v1gen.reimagine-model-in-body": _SIZE,
            "v1gen.vector-illustrative-only": "SVG",
        },
    ),
    Variant(
        "generation-switches-ignored",
        "limit",
        "generate.moderation",
        "generate.moderation,generate.reproducible,v1gen.input-moderation",
        lambda app, a, b: _generation_switches_ignored(app),
        ("-k", "moderation_refusal or same_image or blocked_input_image"),
        "422 for a prompt failing moderation",
        (
            ("generate.reproducible", "same structured prompt and seed give the same image"),
            ("v1gen.input-moderation", "422 with moderation on"),
        ),
        because={
            "generate.moderation": "fails moderation: expected HTTP 422",
            "generate.reproducible": "recreate the same image",
            "v1gen.input-moderation": "fails moderation, with content_moderation=true: expected",
        },
    ),
    Variant(
        "moderation-forced",
        "limit",
        "generate.moderation",
        "generate.moderation,v1gen.input-moderation",
        lambda app, a, b: _moderation_forced(app),
        ("-k", "moderation_refusal or blocked_input_image"),
        "accepted with moderation off",
        (("v1gen.input-moderation", "succeeds with moderation off"),),
        because="(switches off|without content moderation): expected HTTP 200",
    ),
    Variant(
        "model-uploads-mishandled",
        "state",
        "upload-model.safetensors-only",
        "upload-model.*",
        lambda app, a, b: _model_uploads_broken(app),
        ("-k", "test_upload_model and not requires_url"),
        "no model added",
        (
            ("upload-model.unreachable-url", "no model added"),
            ("upload-model.project-required", "no project created"),
            ("upload-model.syncs-to-completed", "a new project without project_id"),
        ),
        because={
            "upload-model.safetensors-only": "a refused upload adds no model",
            "upload-model.unreachable-url": "a refused upload adds no model",
            "upload-model.project-required": "a refused upload creates no project",
            "upload-model.syncs-to-completed": "a new project is created",
        },
    ),
]
VARIANTS += EVERY_PART_VARIANTS
for index, variant in enumerate(VARIANTS):
    # variants listed before parts were recorded with them
    unnamed = {
        "ignores-webhook-url": "a delivery reaches webhook_url once the job has ended",
        "webhook-signed-with-another-key": (
            "signed as bria-client's verify_webhook_signature checks it, with the run's token"
        ),
    }
    if variant.part is None and variant.name in unnamed:
        VARIANTS[index] = replace(variant, part=unnamed[variant.name])


def _status_from_one(old: str, new: str) -> Callable[[Any], None]:
    return lambda p: isinstance(p, dict) and p.get("status") == old and p.update(status=new)


def _bump(key: str) -> Callable[[Any], None]:
    def edit(payload: Any) -> None:
        if isinstance(payload, dict) and isinstance(payload.get(key), int):
            payload[key] += 1

    return edit


_more(
    "frozen-caption-edited", ("dataset.completed-freezes-captions", "409 for a single regeneration")
)
_more("stop-idle-model-400", ("training.stop", "409 once stopped"))
_more(
    "v1-guidance-without-image", ("v1gen.guidance-needs-image-and-scale", "400 without the scale")
)

LAST_VARIANTS = [
    _refuses(
        "draft-schema-refused",
        "dataset.completed-freezes-visual-schema",
        "200 on a draft",
        "PUT",
        rf"{P_}/datasets/\d+",
        _has("visual_schema"),
        409,
    ),
    _refuses(
        "completion-with-schema-refused",
        "dataset.completion-needs-visual-schema",
        "completes once the schema is set",
        "PUT",
        rf"{P_}/datasets/\d+",
        _has("status", "completed"),
        409,
    ),
    _refuses(
        "generated-schema-unusable",
        "schema-tools.visual-schema-is-json",
        "usable with Update Dataset",
        "PUT",
        rf"{P_}/datasets/\d+",
        _has("visual_schema"),
    ),
    _refuses(
        "ip-prompt-blocked",
        "generate.ip-warning",
        "not blocked",
        "POST",
        _GEN,
        lambda p, raw: isinstance(p, dict) and "Mickey" in str(p.get("prompt")),
        422,
    ),
    _status_swap(
        "dataset-delete-200",
        "dataset.delete-removes-images",
        "204",
        "DELETE",
        rf"{P_}/datasets/\d+",
        204,
        200,
        {},
    ),
    replace(
        _accepts(
            "v1-body-reimagine-lenient",
            "v1gen.reimagine-model-in-body",
            "400 without a structure image",
            "POST",
            "/v1/reimagine",
            200,
            _V1_RESULT,
        ),
        more=(("v1gen.reimagine-model-in-body", "4xx for a model that was never trained"),),
    ),
    _accepts(
        "prefix-any-ip-type",
        "v1gen.prefix-ip-types",
        "the three types accepted, others refused",
        "POST",
        f"{P_}/generate_prefix",
        200,
        {"prefix": "p"},
    ),
    _edit(
        "dataset-embeds-fewer",
        "dataset.max-images-query",
        "all images embedded by default",
        "GET",
        rf"{P_}/datasets/\d+",
        lambda p: isinstance(p.get("images"), list) and p["images"] and p["images"].pop(),
    ),
    _edit(
        "cap-count-off",
        "image.basic-cap-200",
        "images_count stays 200",
        "GET",
        rf"{P_}/datasets/\d+",
        _bump("images_count"),
    ),
    _edit(
        "own-count-off",
        "image.deleted-is-gone",
        "images_count drops by one",
        "GET",
        rf"{P_}/datasets/\d+",
        _bump("images_count"),
    ),
    _edit(
        "bulk-count-off",
        "bulk.async-progress",
        "images imported and counted",
        "GET",
        rf"{P_}/datasets/\d+",
        _bump("images_count"),
    ),
    _edit(
        "refine-plain-text",
        "schema-tools.refine-draft-only",
        "200 with a JSON structured_prompt on a draft",
        "POST",
        f"{P_}/refine_structured_prompt",
        _set("structured_prompt", "make it blue"),
    ),
    _edit(
        "async-structured-prompt-missing",
        "structured-prompt.result",
        "async 202, COMPLETED result holds structured_prompt",
        "GET",
        r"/v2/status/[^/]+",
        _nested("result", lambda r: r.pop("structured_prompt", None)),
    ),
    Variant(
        "deleted-checkpoint-readable",
        "state",
        "training.checkpoint-delete",
        "training.checkpoint-delete",
        lambda app, a, b: GhostReads(app, rf"{P_}/models/\d+/checkpoints/\d+"),
        NARROW,
        "then 404",
    ),
    replace(
        _edit(
            "training-never-ends",
            "training.completes",
            "reaches Completed",
            "GET",
            rf"{P_}/models/\d+",
            _status_from_one("Completed", "InProgress"),
        ),
        more=(("training.completes", "Get Model reports it"),),
    ),
    _edit(
        "model-file-dead",
        "training.download-after-completion",
        "download_url serves the file",
        "GET",
        rf"{P_}/models/\d+/download",
        _set("download_url", "http://127.0.0.1:9/m.bin"),
    ),
    _edit(
        "uploaded-model-created",
        "upload-model.syncs-to-completed",
        "syncing or completed at first",
        "POST",
        f"{P_}/models/upload_model",
        _set("status", "Created"),
    ),
    _edit(
        "uploaded-model-never-syncs",
        "upload-model.syncs-to-completed",
        "reaches completed",
        "GET",
        rf"{P_}/models/\d+",
        lambda p: str(p.get("status")).lower() == "completed" and p.update(status="syncing"),
    ),
    _edit(
        "bulk-captions-manual",
        "bulk.caption-files",
        "automatic captions by default",
        "GET",
        rf"{P_}/datasets/\d+/images",
        _set("caption_source", "manual"),
    ),
    _edit(
        "captionless-member-unlisted",
        "bulk.caption-files",
        "an image without .txt is skipped and listed",
        "GET",
        rf"{P_}/datasets/\d+/images/bulk-upload/status",
        _set("failed_images", []),
    ),
    _edit(
        "regenerated-bulk-captionless",
        "bulk.without-schema",
        "regenerate-all then captions every image",
        "GET",
        rf"{P_}/datasets/\d+/images",
        _set("caption", None),
    ),
    _edit(
        "captions-url-dead",
        "dataset.download-captions-url",
        "captions_url serves the captions",
        "GET",
        r"/v1/datasets/\d+/download",
        lambda p: "captions_url" in p and p.update(captions_url="http://127.0.0.1:9/c.zip"),
    ),
]
VARIANTS += LAST_VARIANTS


# -- what a refusal, a delete or an upload leaves behind ---------------------------------------
_DATASET_LISTS = rf"{P_}/(?:projects/\d+/)?datasets"
_MODEL_LISTS = rf"{P_}/(?:projects/\d+/)?models"
_NOT_FOUND = {"error": {"code": 404, "message": "Not Found", "details": "gone"}, "request_id": "x"}


def _phantom(dataset_id: Any) -> dict[str, Any]:
    return {
        "id": 999999,
        "dataset_id": int(dataset_id),
        "caption": None,
        "caption_source": None,
        "image_name": "kept.png",
        "image_url": "http://x/kept.png",
        "thumbnail_url": "http://x/t.png",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }


def _items(payload: Any, ident: Any = None) -> list[dict[str, Any]]:
    """The objects of an answer (one, or a list's), those with id `ident` when given."""
    items = payload if isinstance(payload, list) else [payload]
    return [
        i
        for i in items
        if isinstance(i, dict) and (ident is None or str(i.get("id")) == str(ident))
    ]


class Leaks(Rewriter):
    """A request takes an effect it must not: once `method` `pattern` is answered with one of
    `statuses` (a refusal, or a success whose side effect is wrong), every later successful GET
    of a path matching `reads` (formatted with the trigger's path groups as {id}, {id2}) is
    passed to `edit(payload, asked, ids, path)`; `asked` is the trigger's JSON body. `edit`
    changes the payload in place, or returns a status (404) to answer instead. Most variants
    leak into the lists only: a server whose lists are kept apart from its records."""

    def __init__(
        self,
        app: Any,
        method: str,
        pattern: str,
        statuses: tuple[int, ...],
        reads: str,
        edit: Callable[[Any, dict[str, Any], tuple[str, ...], str], Any],
    ) -> None:
        super().__init__(app)
        self.method, self.pattern, self.statuses = method, pattern, statuses
        self.reads, self.edit = reads, edit
        self.asked: Any = None
        self.left: list[tuple[re.Pattern[str], dict[str, Any], tuple[str, ...]]] = []

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        self.asked = _json(body) if scope["method"] == self.method else None
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        found = re.fullmatch(self.pattern, path)
        if found and scope["method"] == self.method and status in self.statuses:
            ids = found.groups()
            read = self.reads.format(id=ids[0] if ids else "", id2=ids[-1] if ids else "")
            asked = self.asked if isinstance(self.asked, dict) else {}
            self.left.append((re.compile(read), asked, ids))
        hits = [(a, i) for read, a, i in self.left if read.fullmatch(path)]
        payload = _json(body) if hits and scope["method"] == "GET" and status == 200 else None
        if payload is None:
            return status, headers, body
        for asked, ids in hits:
            if self.edit(payload, asked, ids, path) == 404:
                return 404, headers, _dump(_NOT_FOUND)
        return status, headers, _dump(payload)


def _stored_upload(payload: Any, asked: dict[str, Any], ids: tuple[str, ...], path: str) -> None:
    if path.endswith("/images") and isinstance(payload, list):
        payload.append(_phantom(ids[0]))
    for dataset in _items(payload, ids[0]):
        if isinstance(dataset.get("images_count"), int):
            dataset["images_count"] += 1


def _applied(payload: Any, asked: dict[str, Any], ids: tuple[str, ...], path: str) -> None:
    for item in _items(payload, ids[-1]):
        item.update(asked)


def _emptied(payload: Any, asked: dict[str, Any], ids: tuple[str, ...], path: str) -> None:
    if path.endswith("/images") and isinstance(payload, list):
        payload.clear()
    for dataset in _items(payload, ids[0]):
        dataset.update(images_count=0, images=[])


def _stopped(payload: Any, asked: dict[str, Any], ids: tuple[str, ...], path: str) -> None:
    for model in _items(payload):
        if model.get("status") == "InProgress":
            model["status"] = "Stopped"


def _started(payload: Any, asked: dict[str, Any], ids: tuple[str, ...], path: str) -> None:
    for model in _items(payload, ids[0]):
        if model.get("status") == "Created":
            model["status"] = "InProgress"


def _reopened(payload: Any, asked: dict[str, Any], ids: tuple[str, ...], path: str) -> None:
    for dataset in _items(payload, ids[0]):
        dataset["status"] = "draft"


def _project_datasets_gone(
    payload: Any, asked: dict[str, Any], ids: tuple[str, ...], path: str
) -> Any:
    if isinstance(payload, dict) and str(payload.get("project_id")) == ids[0]:
        return 404
    return None


def _leaks(
    name: str,
    entry: str,
    part: str,
    method: str,
    pattern: str,
    statuses: tuple[int, ...],
    reads: str,
    edit: Callable[[Any, dict[str, Any], tuple[str, ...], str], Any],
    *more: tuple[str, str],
    k: str | None = None,
) -> Variant:
    """A variant where `method` `pattern` answered `statuses` leaves `edit` on later reads."""
    entries = ",".join(dict.fromkeys([entry, *(e for e, _ in more)]))
    return Variant(
        name,
        "state",
        entry,
        entries,
        lambda app, a, b: Leaks(app, method, pattern, statuses, reads, edit),
        ("-k", k) if k else NARROW,
        part,
        tuple(more),
    )


class Orphans(Rewriter):
    """Deleting a dataset or a project leaves its `kind` (images, datasets, models, or the
    datasets' image lists) readable: their reads answer 200 with the record as last seen (an
    image list never read answers empty) instead of 404."""

    def __init__(self, app: Any, kind: str) -> None:
        super().__init__(app)
        self.kind = kind
        self.records: dict[str, Any] = {}  # a record, or an image list
        self.project_of: dict[str, str] = {}  # "datasets/1" or "models/2" -> project id
        self.gone: set[str] = set()  # "projects/1", "datasets/2"

    def _remember(self, path: str, payload: Any) -> None:
        base = re.fullmatch(rf"{P_}/(?:projects/\d+/)?(datasets|models)", path)
        images = re.fullmatch(rf"{P_}/datasets/(\d+)/images(?:/\d+)?", path)
        one = re.fullmatch(rf"{P_}/(datasets|models)/\d+(?:/clone)?", path)
        if images and isinstance(payload, list) and path.endswith("/images"):
            self.records[f"datasets/{images.group(1)}/images"] = payload
        for item in _items(payload):
            if "id" not in item:
                continue
            if images:
                self.records[f"datasets/{images.group(1)}/images/{item['id']}"] = item
            elif base or one:
                kind = (base or one).group(1)  # type: ignore[union-attr]
                self.records[f"{kind}/{item['id']}"] = item
                self.project_of[f"{kind}/{item['id']}"] = str(item.get("project_id"))

    def _orphan(self, key: str) -> bool:
        parts = key.split("/")
        dataset = "/".join(parts[:2])
        if self.kind == "image-lists":
            return (
                len(parts) == 3
                and parts[2] == "images"
                and (
                    dataset in self.gone or f"projects/{self.project_of.get(dataset)}" in self.gone
                )
            )
        return (
            parts[0] == "datasets"
            and len(parts) == 4
            and self.kind == "images"
            and (dataset in self.gone or f"projects/{self.project_of.get(dataset)}" in self.gone)
        ) or (
            len(parts) == 2
            and parts[0] == self.kind
            and f"projects/{self.project_of.get(key)}" in self.gone
        )

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path, method = scope["path"], scope["method"]
        if 200 <= status < 300 and method in ("GET", "POST", "PUT"):
            self._remember(path, _json(body))
        key = path.removeprefix(f"{P_}/")
        if method == "DELETE" and status == 204:
            self.gone.add(key)
        known = self.kind == "image-lists" or key in self.records
        if method == "GET" and status == 404 and known and self._orphan(key):
            record: Any = self.records.get(key, [])
            return 200, [(b"content-type", b"application/json")], _dump(record)
        return status, headers, body


class ListsWhatIsGone(Rewriter):
    """A deleted image or checkpoint stays in its list: after a 204 DELETE of
    `pattern` (`parent`, `child` groups), GET of the parent's list (`listing`) shows it again."""

    def __init__(self, app: Any, pattern: str, listing: str, key: str, field: str | None) -> None:
        super().__init__(app)
        self.pattern, self.listing, self.key, self.field = pattern, listing, key, field
        self.seen: dict[tuple[str, str], dict[str, Any]] = {}
        self.gone: list[tuple[str, str]] = []

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        listed = re.fullmatch(self.listing, path)
        found = re.fullmatch(self.pattern, path)
        payload = _json(body) if 200 <= status < 300 else None
        items = payload.get(self.field) if self.field and isinstance(payload, dict) else payload
        match = listed or found
        parent = match.group(1) if match else ""
        for item in _items(items) if match else []:
            self.seen[(parent, str(item.get(self.key)))] = item
        if scope["method"] == "DELETE" and status == 204 and found:
            self.gone.append((found.group(1), found.group(2)))
        if scope["method"] == "GET" and listed and isinstance(items, list):
            keys = {str(i.get(self.key)) for i in _items(items)}
            items += [
                self.seen[g]
                for g in self.gone
                if g[0] == parent and g[1] not in keys and g in self.seen
            ]
            return status, headers, _dump(payload)
        return status, headers, body


class HidesClones(Rewriter):
    """Clones are readable but left out of the dataset lists."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.clones: set[Any] = set()

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        payload = _json(body) if 200 <= status < 300 else None
        if scope["path"].endswith("/clone") and isinstance(payload, dict):
            self.clones.add(payload.get("id"))
        if re.fullmatch(rf"{P_}/(?:projects/\d+/)?datasets", scope["path"]) and isinstance(
            payload, list
        ):
            payload = [i for i in payload if not (isinstance(i, dict) and i["id"] in self.clones)]
            return status, headers, _dump(payload)
        return status, headers, body


def _form_part(body: bytes, scope: Scope, name: str, value: str) -> bytes:
    """`body` (multipart) with the field `name` set to `value` when the client left it out."""
    kind = _header(scope, b"content-type") or b""
    found = re.search(rb"boundary=([^;]+)", kind)
    if not found or f'name="{name}"'.encode() in body:
        return body
    boundary = b"--" + found.group(1).strip(b'"')
    end = body.rfind(boundary + b"--")
    field = (
        boundary + f'\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    )
    return body[:end] + field + body[end:]


class DefaultsOtherwise(Rewriter):
    """A form field the documents default one way defaults the other: requests to `pattern`
    that leave `name` out are served as if they had sent `value` (multipart or JSON)."""

    def __init__(self, app: Any, pattern: str, name: str, value: str) -> None:
        super().__init__(app)
        self.pattern, self.name, self.value = pattern, name, value

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] != "POST" or not re.fullmatch(self.pattern, scope["path"]):
            return scope, body
        payload = _json(body)
        if isinstance(payload, dict):
            payload.setdefault(self.name, self.value == "true")
            return scope, _dump(payload)
        return scope, _form_part(body, scope, self.name, self.value)


class EditsUploadedPng(Rewriter):
    """Uploaded PNGs that have transparency are altered before storing: their transparent
    pixels made white (`what="white"`), or every colour halved, transparency kept
    (`what="dim"`)."""

    def __init__(self, app: Any, what: str) -> None:
        super().__init__(app)
        self.what = what

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        start, end = body.find(b"\x89PNG"), body.find(b"IEND")
        if scope["method"] != "POST" or not scope["path"].endswith("/images") or start < 0:
            return scope, body
        end += 8  # the IEND chunk's type and CRC
        import io

        from PIL import Image

        with Image.open(io.BytesIO(body[start:end])) as img:
            if "A" not in img.getbands():
                return scope, body
            rgba = img.convert("RGBA")
        if self.what == "white":
            flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            flat.alpha_composite(rgba)
            shaped = flat.convert("RGB")
        else:
            *colours, alpha = rgba.split()
            shaped = Image.merge("RGBA", [c.point(lambda v: v // 2) for c in colours] + [alpha])
        out = io.BytesIO()
        shaped.save(out, "PNG")
        return scope, body[:start] + out.getvalue() + body[end:]


class ServesShrunkImages:
    """Stored images are served at half their size (512x512): the files behind image_url,
    which the mock serves under /_mock/files/, are resized on their way out."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/_mock/files/images/"):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        out: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                out.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        payload = b"".join(out)
        if start["status"] == 200:
            import io

            from PIL import Image

            with Image.open(io.BytesIO(payload)) as img:
                small = img.resize((img.size[0] // 2, img.size[1] // 2))
                buffer = io.BytesIO()
                small.save(buffer, "PNG")
            payload = buffer.getvalue()
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": payload})


_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"RIFF")


class AcceptsNonImages(Rewriter):
    """An uploaded file with no image in it (no image format's signature) is stored: the
    refusal becomes a 201 with an image."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.blind = False

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        start = body.find(b"\r\n\r\n", body.find(b'name="file"'))
        self.blind = (
            scope["method"] == "POST"
            and scope["path"].endswith("/images")
            and b'name="file"' in body
            and not any(body[start + 4 :].startswith(s) for s in _SIGNATURES)
        )
        return scope, body

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if self.blind and status in (400, 415, 422):
            return 201, headers, _dump(_phantom(scope["path"].split("/")[4]))
        return status, headers, body


class CapsBelow(Rewriter):
    """A basic dataset is full one image early: the `cap`-th upload answers 409."""

    def __init__(self, app: Any, cap: int) -> None:
        super().__init__(app)
        self.cap = cap
        self.counts: dict[str, int] = {}

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        if scope["method"] == "POST" and status == 201 and re.fullmatch(rf"{_IMAGES}", path):
            self.counts[path] = self.counts.get(path, 0) + 1
            if self.counts[path] >= self.cap:
                error = {"code": 409, "message": "Conflict", "details": "the dataset is full"}
                return 409, headers, _dump({"error": error, "request_id": "x"})
        return status, headers, body


_IMAGES = rf"{P_}/datasets/(\d+)/images"


class Backslides(Rewriter):
    """A job's status slides back once: on `pattern`, the first read of a `last` status after
    `middle` was seen answers `back` instead (`field` holds the status)."""

    def __init__(
        self, app: Any, pattern: str, field: str, middle: str, last: str, back: str
    ) -> None:
        super().__init__(app)
        self.pattern, self.field = pattern, field
        self.middle, self.last, self.back = middle, last, back
        self.state: dict[str, str] = {}

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        found = re.fullmatch(self.pattern, scope["path"])
        payload = _json(body) if found and status == 200 else None
        if not isinstance(payload, dict):
            return status, headers, body
        key, value = found.group(1), payload.get(self.field)  # type: ignore[union-attr]
        if value == self.last and self.state.get(key) == "seen":
            self.state[key] = "slid"
            payload[self.field] = self.back
            return status, headers, _dump(payload)
        if value == self.middle:
            self.state.setdefault(key, "seen")
        return status, headers, body


class BulkBlames(Rewriter):
    """The outcome of a bulk upload with failed members is misreported: the image list shows
    the failed members imported too (`imported="all"`) or nothing imported (`"none"`), or the
    dataset lists count the failed members (`"counted"`)."""

    def __init__(self, app: Any, imported: str) -> None:
        super().__init__(app)
        self.imported = imported
        self.failed: dict[str, int] = {}

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        state = re.fullmatch(rf"{_IMAGES}/bulk-upload/status", path)
        payload = _json(body) if status == 200 else None
        if state and isinstance(payload, dict) and payload.get("failed_images"):
            self.failed[state.group(1)] = len(payload["failed_images"])
            if self.imported == "none":
                payload.update(done=0, failed=payload.get("total_processed", 0))
                return status, headers, _dump(payload)
        lists = isinstance(payload, list) and re.fullmatch(_DATASET_LISTS, path)
        if self.imported == "counted" and lists:
            for dataset in _items(payload):
                if isinstance(dataset.get("images_count"), int):
                    dataset["images_count"] += self.failed.get(str(dataset.get("id")), 0)
            return status, headers, _dump(payload)
        listed = self.imported != "counted" and re.fullmatch(_IMAGES, path)
        if listed and isinstance(payload, list) and listed.group(1) in self.failed:
            if self.imported == "none":
                payload = []
            else:
                payload += [_phantom(listed.group(1))] * self.failed[listed.group(1)]
            return status, headers, _dump(payload)
        return status, headers, body


class BulkNeedsSchema(Rewriter):
    """A bulk upload is refused (400) on a dataset that has no visual schema yet."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.with_schema: set[str] = set()

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        payload = _json(body) if 200 <= status < 300 else None
        found = re.fullmatch(rf"{P_}/datasets/(\d+)", path)
        if found and isinstance(payload, dict) and payload.get("visual_schema"):
            self.with_schema.add(found.group(1))
        bulk = re.fullmatch(rf"{_IMAGES}/bulk-upload", path)
        if bulk and status == 202 and bulk.group(1) not in self.with_schema:
            return 400, headers, _dump(_ERR)
        return status, headers, body


class CompletedModelsRestart(Rewriter):
    """start_training on a model last read Completed starts it again (200) instead of 409."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.models: dict[str, dict[str, Any]] = {}

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        read = re.fullmatch(rf"{P_}/models/(\d+)", scope["path"])
        payload = _json(body) if status == 200 else None
        if read and isinstance(payload, dict):
            self.models[read.group(1)] = payload
        start = re.fullmatch(rf"{P_}/models/(\d+)/start_training", scope["path"])
        model = self.models.get(start.group(1)) if start and status == 409 else None
        if model and model.get("status") == "Completed":
            return 200, headers, _dump({**model, "status": "InProgress"})
        return status, headers, body


class StoppedModelsFinish(Rewriter):
    """A stopped model is later reported Completed: every read after the first Stopped one."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.stopped: set[Any] = set()

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["method"] != "GET" or status != 200 or "/models" not in scope["path"]:
            return status, headers, body
        payload = _json(body)
        for model in _items(payload):
            if model.get("status") == "Stopped" and "id" in model:
                if model["id"] in self.stopped:
                    model["status"] = "Completed"
                self.stopped.add(model["id"])
        return status, headers, _dump(payload)


class StrayUploads(Rewriter):
    """An uploaded image shows in every dataset, not only its own: other datasets' image lists
    show it (`where="list"`), or their images_count counts it (`where="count"`)."""

    def __init__(self, app: Any, where: str) -> None:
        super().__init__(app)
        self.where = where
        self.uploads: list[tuple[str, dict[str, Any]]] = []

    def response(
        self, scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        path = scope["path"]
        upload = re.fullmatch(_IMAGES, path)
        payload = _json(body) if 200 <= status < 300 else None
        if upload and scope["method"] == "POST" and isinstance(payload, dict):
            self.uploads.append((upload.group(1), payload))
        if scope["method"] != "GET" or payload is None:
            return status, headers, body
        if self.where == "list" and upload and isinstance(payload, list):
            payload += [image for owner, image in self.uploads if owner != upload.group(1)]
        views = re.fullmatch(rf"{P_}/(?:projects/\d+/)?datasets(?:/\d+)?", path)
        for dataset in _items(payload) if self.where == "count" and views else []:
            strays = [o for o, _ in self.uploads if o != str(dataset.get("id"))]
            if isinstance(dataset.get("images_count"), int):
                dataset["images_count"] += len(strays)
        return status, headers, _dump(payload)


_BOUND_ENTRIES = tuple(
    f"training.bound.{n}"
    for n in ("learning_rate", "total_training_steps", "rank", "checkpoint_interval")
)
_REFUSED_UPLOAD_TESTS = (
    "test_unsupported_format_is_refused or test_too_small_image_is_refused or "
    "test_upload_to_advanced_dataset_is_refused or test_upload_moderation_refusal or "
    "test_unreachable_image_url or test_completed_dataset_refuses_uploads"
)
_SELF = rf"{P_}/datasets/(\d+)/images/(\d+)"

AFTERMATH_VARIANTS = [
    _leaks(
        "refused-upload-stored",
        "image.supported-formats",
        "no image stored after a refusal",
        "POST",
        _IMAGES,
        (400, 409, 412, 415, 422, 460),
        rf"{_DATASET_LISTS}|{P_}/datasets/{{id}}/images",
        _stored_upload,
        ("image.min-resolution", "nothing stored after a refusal"),
        ("image.basic-upload-only", "no image stored"),
        ("image.moderation", "not added"),
        ("image.unreachable-url", "nothing stored"),
        ("dataset.completed-freezes-uploads", "images_count unchanged"),
        k=_REFUSED_UPLOAD_TESTS,
    ),
    _leaks(
        "refused-dataset-update-stored",
        "dataset.visual-schema-json",
        "not stored",
        "PUT",
        rf"{P_}/datasets/(\d+)",
        (400, 409, 412),
        _DATASET_LISTS,
        _applied,
        ("dataset.completed-freezes-visual-schema", "visual_schema unchanged"),
        ("dataset.completion-min-images", "stays draft after a refused completion"),
        ("dataset.completion-needs-visual-schema", "stays draft"),
        k=(
            "test_visual_schema_must_be_json or test_completed_dataset_refuses_visual_schema"
            " or test_completion_needs_minimum_images or test_completion_needs_visual_schema"
        ),
    ),
    _leaks(
        "refused-caption-stored",
        "image.caption-json",
        "not stored",
        "PUT",
        _SELF,
        (400, 409),
        rf"{P_}/datasets/{{id}}/images",
        _applied,
        ("image.caption-exclusive", "caption unchanged"),
        ("dataset.completed-freezes-captions", "caption unchanged"),
        k=(
            "test_caption_must_be_json or test_caption_and_regenerate_are_exclusive"
            " or test_completed_dataset_refuses_caption_edits"
        ),
    ),
    _leaks(
        "refused-delete-stops-training",
        "dataset.delete-blocked-while-training",
        "training still InProgress",
        "DELETE",
        rf"{P_}/(?:projects|datasets)/(\d+)",
        (409,),
        _MODEL_LISTS,
        _stopped,
        ("project.delete-blocked-while-training", "training still InProgress"),
        k="test_dataset_delete_blocked_while_training or test_project_delete_blocked_while",
    ),
    _leaks(
        "refused-dataset-delete-empties",
        "dataset.delete-blocked-while-training",
        "dataset and its images kept",
        "DELETE",
        rf"{P_}/datasets/(\d+)",
        (409,),
        rf"{_DATASET_LISTS}|{P_}/datasets/{{id}}/images",
        _emptied,
    ),
    _leaks(
        "refused-project-delete-drops-datasets",
        "project.delete-blocked-while-training",
        "dataset still readable",
        "DELETE",
        rf"{P_}/projects/(\d+)",
        (409,),
        rf"{P_}/datasets/\d+",
        _project_datasets_gone,
    ),
    _leaks(
        "refused-start-trains",
        "training.bound.lr_warmup_steps",
        "model does not start",
        "POST",
        rf"{P_}/models/(\d+)/start_training",
        (400,),
        _MODEL_LISTS,
        _started,
        *((entry, "model does not start") for entry in _BOUND_ENTRIES),
        ("training.expert-only-parameters", "model does not start"),
        k="test_expert_only_parameters or test_training_parameter_bounds and not edges",
    ),
    _leaks(
        "clone-reopens-source",
        "dataset.clone-as-draft",
        "source unchanged",
        "POST",
        rf"{P_}/datasets/(\d+)/clone",
        (201,),
        _DATASET_LISTS,
        _reopened,
    ),
    Variant(
        "clones-unlisted",
        "state",
        "dataset.clone-as-draft",
        "dataset.clone-as-draft",
        lambda app, a, b: HidesClones(app),
        NARROW,
        "the clone is listed in /datasets and its project's list",
    ),
    Variant(
        "orphan-images",
        "state",
        "dataset.delete-removes-images",
        "dataset.delete-removes-images,project.delete-cascades",
        lambda app, a, b: Orphans(app, "images"),
        ("-k", "test_dataset_delete_removes_images or test_project_delete_cascades"),
        "its images answer 404",
        (("project.delete-cascades", "its images answer 404"),),
    ),
    Variant(
        "orphan-image-lists",
        "state",
        "dataset.delete-removes-images",
        "dataset.delete-removes-images,project.delete-cascades",
        lambda app, a, b: Orphans(app, "image-lists"),
        ("-k", "test_dataset_delete_removes_images or test_project_delete_cascades"),
        "its image list answers 404",
        (("project.delete-cascades", "its datasets' image lists answer 404"),),
    ),
    Variant(
        "orphan-datasets",
        "state",
        "project.delete-cascades",
        "project.delete-cascades",
        lambda app, a, b: Orphans(app, "datasets"),
        ("-k", "test_project_delete_cascades"),
        "its datasets answer 404",
    ),
    Variant(
        "orphan-models",
        "state",
        "project.delete-cascades",
        "project.delete-cascades",
        lambda app, a, b: Orphans(app, "models"),
        ("-k", "test_project_delete_cascades"),
        "its models answer 404",
    ),
    Variant(
        "deleted-image-listed",
        "state",
        "image.deleted-is-gone",
        "image.deleted-is-gone",
        lambda app, a, b: ListsWhatIsGone(app, rf"{_IMAGES}/(\d+)", _IMAGES, "id", None),
        NARROW,
        "not listed",
    ),
    Variant(
        "deleted-checkpoint-listed",
        "state",
        "training.checkpoint-delete",
        "training.checkpoint-delete",
        lambda app, a, b: ListsWhatIsGone(
            app,
            rf"{P_}/models/(\d+)/checkpoints/(\d+)",
            rf"{P_}/models/(\d+)/checkpoints",
            "checkpoint_step",
            "checkpoints",
        ),
        NARROW,
        "no longer listed",
    ),
    _status_swap(
        "frozen-image-delete-400",
        "dataset.completed-freezes-deletions",
        "409",
        "DELETE",
        _SELF,
        409,
        400,
        _ERR,
    ),
    Variant(
        "moderation-on-by-default",
        "limit",
        "image.moderation",
        "image.moderation,bulk.moderation",
        lambda app, a, b: DefaultsOtherwise(
            app, rf"{_IMAGES}(?:/bulk-upload)?", "content_moderation", "true"
        ),
        NARROW,
        "accepted with moderation off",
        (("bulk.moderation", "whole archive imported with moderation off"),),
    ),
    Variant(
        "strict-resolution-by-default",
        "limit",
        "image.min-resolution",
        "image.min-resolution",
        lambda app, a, b: DefaultsOtherwise(app, _IMAGES, "increase_resolution", "false"),
        ("-k", "test_small_image_is_upscaled"),
        "accepted from 256 px and upscaled to 1024",
    ),
    Variant(
        "images-served-shrunk",
        "shape",
        "image.preprocess-square-1024",
        "image.preprocess-square-1024",
        lambda app, a, b: ServesShrunkImages(app),
        NARROW,
        "stored image is 1024x1024",
    ),
    Variant(
        "transparency-to-white",
        "shape",
        "image.transparency-to-black",
        "image.transparency-to-black",
        lambda app, a, b: EditsUploadedPng(app, "white"),
        NARROW,
        "transparent pixels black",
    ),
    Variant(
        "transparent-uploads-dimmed",
        "shape",
        "image.transparency-to-black",
        "image.transparency-to-black",
        lambda app, a, b: EditsUploadedPng(app, "dim"),
        NARROW,
        "opaque pixels keep their colour",
    ),
    Variant(
        "non-image-stored",
        "limit",
        "image.supported-formats",
        "image.supported-formats",
        lambda app, a, b: AcceptsNonImages(app),
        ("-k", "test_unsupported_format_is_refused"),
        "4xx for bytes that are no image",
    ),
    Variant(
        "basic-cap-199",
        "limit",
        "image.basic-cap-200",
        "image.basic-cap-200",
        lambda app, a, b: CapsBelow(app, 200),
        NARROW,
        "200 uploads accepted",
    ),
    Variant(
        "bulk-status-slides-back",
        "async",
        "bulk.async-progress",
        "bulk.async-progress",
        lambda app, a, b: Backslides(
            app, rf"{_IMAGES}/bulk-upload/status", "status", "processing", "completed", "pending"
        ),
        ("-k", "test_bulk_upload_lifecycle"),
        "never goes back",
    ),
    Variant(
        "bulk-status-reopens",
        "async",
        "bulk.async-progress",
        "bulk.async-progress",
        lambda app, a, b: Backslides(
            app, rf"{_IMAGES}/bulk-upload/status", "status", "completed", "completed", "processing"
        ),
        ("-k", "test_bulk_upload_lifecycle"),
        "never goes back",
    ),
    Variant(
        "captions-status-slides-back",
        "async",
        "captions.regenerate-all-async",
        "captions.regenerate-all-async",
        lambda app, a, b: Backslides(
            app,
            rf"{P_}/datasets/(\d+)",
            "captions_update_status",
            "completed",
            "completed",
            "in_progress",
        ),
        NARROW,
        "completed and never back",
    ),
    Variant(
        "bulk-failed-members-imported",
        "state",
        "bulk.failures-reported",
        "bulk.failures-reported,bulk.moderation",
        lambda app, a, b: BulkBlames(app, "all"),
        ("-k", "test_bulk_upload_lists_failed_members or test_bulk_upload_moderation"),
        "only valid members imported",
        (("bulk.moderation", "failing members skipped and listed"),),
    ),
    Variant(
        "bulk-failed-members-counted",
        "state",
        "bulk.failures-reported",
        "bulk.failures-reported,bulk.moderation",
        lambda app, a, b: BulkBlames(app, "counted"),
        ("-k", "test_bulk_upload_lists_failed_members or test_bulk_upload_moderation"),
        "only valid members imported",
        (("bulk.moderation", "failing members skipped and listed"),),
    ),
    Variant(
        "bulk-one-bad-member-sinks-all",
        "state",
        "bulk.moderation",
        "bulk.moderation",
        lambda app, a, b: BulkBlames(app, "none"),
        NARROW,
        "rest imported",
    ),
    Variant(
        "bulk-needs-schema",
        "limit",
        "bulk.without-schema",
        "bulk.without-schema",
        lambda app, a, b: BulkNeedsSchema(app),
        NARROW,
        "import starts with visual_schema null",
    ),
    Variant(
        "completed-model-restarts",
        "state",
        "training.no-restart",
        "training.no-restart",
        lambda app, a, b: CompletedModelsRestart(app),
        ("-k", "test_training_cannot_restart"),
        "409 once Completed",
    ),
    _edit(
        "dataset-lists-count-off",
        "dataset.images-count",
        "images_count equals the images listed",
        "GET",
        rf"{P_}/(?:projects/\d+/)?datasets",
        _each(_bump("images_count")),
    ),
    Variant(
        "uploads-listed-elsewhere",
        "state",
        "dataset.images-count",
        "dataset.images-count",
        lambda app, a, b: StrayUploads(app, "list"),
        NARROW,
        "another dataset (same or other project) does not list the image",
    ),
    Variant(
        "uploads-counted-elsewhere",
        "state",
        "dataset.images-count",
        "dataset.images-count",
        lambda app, a, b: StrayUploads(app, "count"),
        NARROW,
        "another dataset's images_count does not count it",
    ),
    Variant(
        "stopped-model-completes",
        "state",
        "model.status-machine",
        "model.status-machine",
        lambda app, a, b: StoppedModelsFinish(app),
        ("-k", "test_stop_training"),
        "Stopped stays Stopped",
    ),
]
VARIANTS += AFTERMATH_VARIANTS

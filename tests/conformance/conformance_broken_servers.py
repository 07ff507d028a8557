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
    #: The part of the entry (bria_conformance/audit.yaml) the variant breaks.
    part: str | None = None


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
]

"""Test helpers for the mock: media factories, a response-validating transport, flow builders."""

from __future__ import annotations

import datetime
import functools
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import httpx
from bria_tailored.runtime import openapi_document
from client_parse import Tally
from PIL import Image
from schemathesis.openapi import from_dict

TOKEN_A = "token-org-a"
TOKEN_B = "token-org-b"
BASE = "http://mock"


def load_spec() -> dict[str, Any]:
    return openapi_document()


# --- media --------------------------------------------------------------------------------------


# Tests upload the same few pictures hundreds of times; encoding a 1024² PNG costs ~25 ms.
@functools.lru_cache(maxsize=64)
def image_bytes(
    width: int = 1024,
    height: int = 1024,
    fmt: str = "PNG",
    color: tuple[int, ...] = (180, 40, 40),
    mode: str = "RGB",
    extra: bytes = b"",
) -> bytes:
    out = io.BytesIO()
    img = Image.new(mode, (width, height), color)
    if fmt == "JPEG" and mode != "RGB":
        img = img.convert("RGB")
    img.save(out, format=fmt)
    return out.getvalue() + extra


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def decode(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


# --- response validation against the normalized spec -------------------------------------------


class SpecViolation(AssertionError):
    pass


# Places where the normalized spec cannot describe a correct answer. Each is reported to the spec's
# owners; responses hitting them are recorded (and printed at the end of the run), not failed.
ClientFactory = Callable[..., httpx.AsyncClient]


class ResponseValidator:
    """Checks each API response: its status is declared and its body matches the declared schema.

    Validation is done by Schemathesis from the spec document, independently of the mock's own
    spec handling, so a bug in the mock's schema conversion cannot hide a wrong response.
    """

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.schema = from_dict(doc)
        self.templates: list[tuple[re.Pattern[str], str]] = []
        for path in doc["paths"]:
            literal = sum(1 for seg in path.split("/") if seg and "{" not in seg)
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"
            self.templates.append((re.compile(pattern), path))
            self.templates.sort(
                key=lambda t: -sum(1 for s in t[1].split("/") if s and "{" not in s)
            )
            _ = literal
        self.seen: set[tuple[str, str, int]] = set()
        self.client_parsed = 0

    def operation_path(self, method: str, path: str) -> str | None:
        for regex, template in self.templates:
            if regex.match(path) and method.lower() in self.doc["paths"][template]:
                return template
        return None

    def check(self, response: httpx.Response) -> None:
        request = response.request
        template = self.operation_path(request.method, request.url.path)
        if template is None:
            return
        operation = self.doc["paths"][template][request.method.lower()]
        declared = operation["responses"]
        status = str(response.status_code)
        if (
            status not in declared
            and f"{status[0]}XX" not in declared
            and "default" not in declared
        ):
            raise SpecViolation(
                f"{request.method} {request.url.path} answered {status}, which the spec does not "
                f"declare ({', '.join(declared)}): {response.text[:300]}"
            )
        if response.status_code >= 500:
            raise SpecViolation(
                f"server error for {request.method} {request.url.path}: {response.text[:500]}"
            )
        response.elapsed = datetime.timedelta(0)
        op = self.schema[template][request.method.upper()]
        try:
            op.validate_response(response)
        except Exception as exc:
            raise SpecViolation(
                f"{request.method} {request.url.path} -> {status} does not match the spec: {exc}"
            ) from None
        self.seen.add((request.method.upper(), template, response.status_code))
        # The generated client must read every answer the mock gives: a valid response that the
        # client cannot parse (a nullable enum the generator dropped) is a failure here.
        tally = Tally()
        tally.check(
            f"{request.method} {request.url.path} -> {status}",
            request.method.lower(),
            template,
            response.status_code,
            response.content,
        )
        if tally.failures or tally.typed_errors:
            raise SpecViolation(
                f"the generated client cannot parse {request.method} {request.url.path} -> "
                f"{status}: {tally.failures or 'UnexpectedResponseError'}"
            )
        self.client_parsed += 1


class ValidatingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, validator: ResponseValidator) -> None:
        self.inner = inner
        self.validator = validator

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()  # the validator looks at the request too; buffer streamed bodies
        response = await self.inner.handle_async_request(request)
        await response.aread()
        response.request = request
        self.validator.check(response)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


# --- flows ---------------------------------------------------------------------------------------


class Api:
    """Thin conveniences over an httpx client talking to the mock."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.c = client

    async def advance(self, seconds: float) -> None:
        r = await self.c.post("/_mock/clock/advance", json={"seconds": seconds})
        assert r.status_code == 200, r.text

    async def project(self, **fields: Any) -> dict[str, Any]:
        body = {"project_name": "Brand", "ip_medium": "illustration", "ip_type": "stylized_scene"}
        body.update(fields)
        r = await self.c.post("/v1/tailored-gen/projects", json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def dataset(self, project_id: int | None = None, **fields: Any) -> dict[str, Any]:
        if project_id is None:
            project_id = int((await self.project())["id"])
        body = {"project_id": project_id, "name": "set"}
        body.update(fields)
        r = await self.c.post("/v1/tailored-gen/datasets", json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def upload(
        self, dataset_id: int, data: bytes | None = None, name: str = "img.png", **form: str
    ) -> httpx.Response:
        payload = data if data is not None else image_bytes()
        return await self.c.post(
            f"/v1/tailored-gen/datasets/{dataset_id}/images",
            files={"file": (name, payload, "application/octet-stream")},
            data=form,
        )

    async def set_schema(
        self, dataset_id: int, schema: str = '{"style_medium": "flat illustration"}'
    ) -> None:
        r = await self.c.put(
            f"/v1/tailored-gen/datasets/{dataset_id}", json={"visual_schema": schema}
        )
        assert r.status_code == 200, r.text

    async def ready_dataset(self, count: int = 5, **fields: Any) -> dict[str, Any]:
        """A completed basic dataset with ``count`` captioned images."""
        ds = await self.dataset(**fields)
        await self.set_schema(ds["id"])
        for i in range(count):
            r = await self.upload(
                ds["id"], image_bytes(color=(i * 30 % 256, 90, 120)), name=f"i{i}.png"
            )
            assert r.status_code == 201, r.text
        r = await self.c.put(f"/v1/tailored-gen/datasets/{ds['id']}", json={"status": "completed"})
        assert r.status_code == 200, r.text
        return dict(r.json())

    async def model(
        self, dataset_id: int | None = None, mode: str = "fully_automated"
    ) -> dict[str, Any]:
        if dataset_id is None:
            dataset_id = int((await self.ready_dataset())["id"])
        r = await self.c.post(
            "/v1/tailored-gen/models",
            json={"name": "m", "dataset_id": dataset_id, "training_mode": mode},
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def start(self, model_id: int, **params: Any) -> httpx.Response:
        return await self.c.post(f"/v1/tailored-gen/models/{model_id}/start_training", json=params)

    async def trained(self, mode: str = "expert", **params: Any) -> dict[str, Any]:
        model = await self.model(mode=mode)
        r = await self.start(model["id"], **params)
        assert r.status_code == 200, r.text
        await self.advance(10 * 24 * 3600)
        r = await self.c.get(f"/v1/tailored-gen/models/{model['id']}")
        assert r.json()["status"] == "Completed", r.text
        return dict(r.json())

    async def get_model(self, model_id: int) -> dict[str, Any]:
        r = await self.c.get(f"/v1/tailored-gen/models/{model_id}")
        assert r.status_code == 200, r.text
        return dict(r.json())

    async def fetch(self, url: str) -> httpx.Response:
        return await self.c.get(url)


def trained_sync(mock: Any, client: httpx.Client, version: str | None = None) -> int:
    """A Completed fully automated model, made over ``client`` (sync), finished by advancing
    ``mock``'s clock (an ``InProcessMock`` or ``LoopbackMock``); its id."""
    p = "/v1/tailored-gen"
    project = client.post(
        f"{p}/projects",
        json={"project_name": "p", "ip_medium": "illustration", "ip_type": "stylized_scene"},
    ).json()
    ds = client.post(f"{p}/datasets", json={"project_id": project["id"], "name": "d"}).json()
    client.put(f"{p}/datasets/{ds['id']}", json={"visual_schema": '{"style": "flat"}'})
    for i in range(5):
        png = image_bytes(color=(i * 40, 9, 9))
        up = client.post(
            f"{p}/datasets/{ds['id']}/images", files={"file": (f"{i}.png", png, "image/png")}
        )
        assert up.status_code == 201, up.text
    done = client.put(f"{p}/datasets/{ds['id']}", json={"status": "completed"})
    assert done.status_code == 200, done.text
    fields = {"name": "m", "dataset_id": ds["id"], "training_mode": "fully_automated"}
    if version is not None:
        fields["training_version"] = version
    model = client.post(f"{p}/models", json=fields).json()
    started = client.post(f"{p}/models/{model['id']}/start_training", json={})
    assert started.status_code == 200, started.text
    mock.clock.advance(10 * 24 * 3600)
    assert client.get(f"{p}/models/{model['id']}").json()["status"] == "Completed"
    return int(model["id"])

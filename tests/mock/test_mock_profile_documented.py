"""The ``documented`` profile answers in Bria's documented literal forms, and the client reads them.

These answers are deliberately looser than the normalized spec, so this module replaces the
suite-wide schema validation with the check that matters for them: the generated client parses
every answer (``client_parse.Tally``) into the one typed value.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from bria_mock import MockConfig, create_app
from bria_mock.artefacts import write_safetensors
from client_parse import Tally
from mock_helpers import Api, ResponseValidator, image_bytes, load_spec, zip_bytes
from starlette.applications import Starlette

pytestmark = pytest.mark.anyio

BASE = "http://mock.test"
MODELS = "/v1/tailored-gen/models"
DATASETS = "/v1/tailored-gen/datasets"


class ParsingTransport(httpx.AsyncBaseTransport):
    """Hands every API answer to the generated client; fails on anything but a typed value."""

    def __init__(self, app: Starlette) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.tally = Tally(typed=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        template = _TEMPLATES.operation_path(request.method, request.url.path)
        if template is not None:
            self.tally.check(
                f"{request.method} {request.url.path}",
                request.method.lower(),
                template,
                response.status_code,
                response.content,
            )
            assert not self.tally.failures and not self.tally.typed_errors, self.tally.failures
        return response


_TEMPLATES = ResponseValidator(load_spec())  # used for its path-template matching only


@pytest.fixture
def config() -> MockConfig:
    return MockConfig(profile="documented")


@pytest.fixture
async def doc_api(config: MockConfig) -> AsyncIterator[Api]:
    transport = ParsingTransport(create_app(config))
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE, headers={"api_token": "org-doc"}
    ) as client:
        yield Api(client)


async def test_steps_and_timestamps_in_the_documented_form(doc_api: Api) -> None:
    model = await doc_api.trained(total_training_steps=1000, checkpoint_interval=500)
    assert model["checkpoint_steps"] == ["1000", "500"]
    assert not model["created_at"].endswith(("Z", "+00:00"))
    listed = (await doc_api.c.get(f"{MODELS}/{model['id']}/checkpoints")).json()
    assert not listed["checkpoints"][0]["created_at"].endswith(("Z", "+00:00"))


async def test_bulk_upload_is_json_only(doc_api: Api) -> None:
    ds = await doc_api.dataset(upload_type="advanced")
    archive = zip_bytes({"a.png": image_bytes(), "b.png": image_bytes(color=(9, 9, 9))})
    path = f"{DATASETS}/{ds['id']}/images/bulk-upload"
    multipart = await doc_api.c.post(path, files={"file": ("set.zip", archive, "application/zip")})
    assert multipart.status_code == 400 and "zip_url" in multipart.json()["error"]["message"]
    hosted = await doc_api.c.post("/_mock/files", content=archive, params={"filename": "s.zip"})
    r = await doc_api.c.post(path, json={"zip_url": hosted.json()["url"]})
    assert r.status_code in (200, 202), r.text


async def test_uploaded_model_settles_as_lowercase_completed(doc_api: Api) -> None:
    data = write_safetensors("x", 8, {"format": "pt"})
    hosted = await doc_api.c.post(
        "/_mock/files", content=data, params={"filename": "lora.safetensors"}
    )
    r = await doc_api.c.post(
        f"{MODELS}/upload_model",
        json={
            "model_url": hosted.json()["url"],
            "project_parameters": {"project_name": "Up", "ip_medium": "illustration"},
        },
    )
    assert r.status_code == 200, r.text
    await doc_api.advance(600)
    assert (await doc_api.get_model(r.json()["id"]))["status"] == "completed"


async def test_429_without_retry_after() -> None:
    config = MockConfig(profile="documented", rate_limit=2, rate_window_seconds=60.0)
    async with httpx.AsyncClient(
        transport=ParsingTransport(create_app(config)), base_url=BASE, headers={"api_token": "o"}
    ) as client:
        answers = [await client.get("/v1/tailored-gen/projects") for _ in range(3)]
    refused = answers[-1]
    assert refused.status_code == 429
    assert "retry-after" not in refused.headers


async def test_the_canonical_profile_keeps_the_repaired_forms() -> None:
    app = create_app(MockConfig())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE, headers={"api_token": "org"}
    ) as client:
        api = Api(client)
        model = await api.trained(total_training_steps=1000, checkpoint_interval=500)
    assert model["checkpoint_steps"] == [1000, 500]
    assert model["created_at"].endswith(("Z", "+00:00"))

"""Defects a hostile client once found, each held by a test: text, tenancy, bounds, boundaries.

The state side (a refused request changes nothing, one writer, crash recovery) is in
``test_mock_refusals_change_nothing.py``; the broad sweep over every operation is the
hostile-input harness in ``test_mock_hostile.py``.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import socketserver
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from bria_mock import MockConfig
from bria_mock.tenancy import Tenancy
from hostile_inputs import (
    HOSTILE_SAFETENSORS,
    HUGE_NUMBER,
    LONE_SURROGATE,
    MIB,
    deep_json,
    dumps,
    shared_member_zip,
    zeros_zip,
)
from mock_helpers import BASE, TOKEN_A, Api, ClientFactory, image_bytes, zip_bytes
from starlette.applications import Starlette

P = "/v1/tailored-gen"
pytestmark = pytest.mark.anyio


async def _post_raw(api: Api, path: str, raw: bytes) -> httpx.Response:
    return await api.c.post(path, content=raw, headers={"content-type": "application/json"})


async def _put_raw(api: Api, path: str, raw: bytes) -> httpx.Response:
    return await api.c.put(path, content=raw, headers={"content-type": "application/json"})


# --- 1, 8, 11: text is validated before anything is stored ----------------------------------------


@pytest.mark.parametrize("field", ["project_name", "project_description", "ip_name"])
async def test_lone_surrogates_are_refused_and_nothing_is_stored(api: Api, field: str) -> None:
    body = {"project_name": "Brand", "ip_medium": "illustration", "ip_type": "stylized_scene"}
    r = await _post_raw(api, f"{P}/projects", dumps({**body, field: LONE_SURROGATE}))
    assert r.status_code == 400 and "surrogate" in r.json()["error"]["message"]
    listed = await api.c.get(f"{P}/projects")
    assert listed.status_code == 200 and listed.json() == []


async def test_lone_surrogates_in_dataset_and_image_fields(api: Api) -> None:
    project = await api.project()
    r = await _post_raw(
        api, f"{P}/datasets", dumps({"project_id": project["id"], "name": LONE_SURROGATE})
    )
    assert r.status_code == 400
    ds = await api.dataset(project["id"])
    data = "data:image/png;base64," + base64.b64encode(image_bytes()).decode()
    r = await _post_raw(
        api,
        f"{P}/datasets/{ds['id']}/images",
        dumps({"image_url": data, "image_name": LONE_SURROGATE}),
    )
    assert r.status_code == 400
    assert (await api.c.get(f"{P}/datasets")).status_code == 200
    assert (await api.c.get(f"{P}/datasets/{ds['id']}/images")).json() == []


async def test_text_fields_have_a_length_limit(api: Api) -> None:
    r = await api.c.post(
        f"{P}/projects",
        json={"project_name": "x" * 200_000, "ip_medium": "illustration", "ip_type": "icons"},
    )
    assert r.status_code == 400 and "at most 100000 characters" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"project_name": ' + HUGE_NUMBER.encode() + b"}",
        deep_json(300).encode(),
        deep_json(900).encode(),
        b'{"project_name": 1e999}',
        b'{"project_name": NaN}',
    ],
    ids=["huge-number", "nested-300", "nested-900", "float-overflow", "nan"],
)
async def test_bounded_json_bodies_are_400(api: Api, raw: bytes) -> None:
    r = await _post_raw(api, f"{P}/projects", raw)
    assert r.status_code == 400, r.text


async def test_json_inside_strings_is_bounded(api: Api) -> None:
    ds = await api.dataset()
    for bad in (deep_json(300), "[" + HUGE_NUMBER + "]"):
        r = await api.c.put(f"{P}/datasets/{ds['id']}", json={"visual_schema": bad})
        assert r.status_code == 400, r.text
    await api.set_schema(ds["id"])
    up = await api.upload(ds["id"])
    img = up.json()["id"]
    r = await api.c.put(f"{P}/datasets/{ds['id']}/images/{img}", json={"caption": deep_json(300)})
    assert r.status_code == 400
    r = await api.c.post(
        f"{P}/refine_structured_prompt",
        json={"dataset_id": ds["id"], "structured_prompt": deep_json(300), "instruction": "x"},
    )
    assert r.status_code in (400, 404), r.text


async def test_structured_prompt_of_the_wrong_kind_is_400(api: Api) -> None:
    model = await api.trained()
    for value in (deep_json(300), {"a": 1}, 5, [1]):
        r = await api.c.post(
            "/v2/image/generate/tailored",
            json={"tailored_model_id": model["id"], "structured_prompt": value, "seed": 1},
        )
        assert r.status_code == 400, r.text


# --- 8: URLs never raise --------------------------------------------------------------------------

BAD = ["http://127.0.0.1:99999/x.png", "http://[::1/x.png", "http://[zz]/x.png"]


@pytest.mark.parametrize("url", BAD)
async def test_malformed_urls_are_client_errors(api: Api, url: str) -> None:
    ds = await api.dataset()
    r = await api.c.post(f"{P}/datasets/{ds['id']}/images", json={"image_url": url})
    assert r.status_code == 400, r.text
    r = await api.c.post(
        f"{P}/models/upload_model",
        json={"model_url": url + ".safetensors", "project_parameters": {"project_name": "p"}},
    )
    assert r.status_code in (400, 415, 422), r.text
    r = await api.c.post(f"{P}/generate_visual_schema", json={"images": [url] * 5})
    assert r.status_code in (400, 422), r.text


@pytest.mark.parametrize("case", sorted(HOSTILE_SAFETENSORS))
async def test_hostile_safetensors_headers_are_refused(api: Api, case: str) -> None:
    hosted = await api.c.post(
        "/_mock/files?filename=m.safetensors", content=HOSTILE_SAFETENSORS[case]
    )
    url = hosted.json()["url"]
    r = await api.c.post(
        f"{P}/models/upload_model",
        json={"model_url": url, "project_parameters": {"project_name": "p"}},
    )
    assert r.status_code in (400, 415), r.text


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/_mock/clock/advance", deep_json(5000).encode()),
        ("/_mock/clock/advance", deep_json(300).encode()),
        ("/_mock/clock/advance", b'{"seconds": ' + HUGE_NUMBER.encode() + b"}"),
        ("/_mock/models/1/fail", deep_json(300).encode()),
        ("/_mock/models/1/fail", b'{"reason": ' + HUGE_NUMBER.encode() + b"}"),
        ("/_mock/models/\uff11/fail", b"{}"),
    ],
    ids=["deep-5000", "deep-300", "huge-seconds", "fail-deep", "fail-huge", "fail-fullwidth"],
)
async def test_control_endpoints_refuse_bad_json(api: Api, path: str, raw: bytes) -> None:
    r = await _post_raw(api, path, raw)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/json"


# --- 2, 3: bulk uploads, completion and shared pixels ---------------------------------------------


def _images_zip(count: int, salt: int = 0) -> bytes:
    return zip_bytes(
        {f"i{i}.png": image_bytes(color=(i * 40 % 256, salt, 9)) for i in range(count)}
    )


async def _bulk(api: Api, dataset_id: int, data: bytes) -> httpx.Response:
    return await api.c.post(
        f"{P}/datasets/{dataset_id}/images/bulk-upload",
        files={"file": ("a.zip", data, "application/zip")},
    )


async def test_dataset_cannot_complete_while_its_bulk_upload_runs(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    await api.set_schema(ds["id"])
    assert (await _bulk(api, ds["id"], _images_zip(8))).status_code == 202
    await api.advance(5)  # five of eight visible: enough to complete, but still running
    r = await api.c.put(f"{P}/datasets/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 409 and "bulk upload" in r.json()["error"]["message"]
    await api.advance(60)
    r = await api.c.put(f"{P}/datasets/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 200 and r.json()["images_count"] == 8


async def test_another_organization_cannot_delete_pixels_of_a_pending_bulk_item(
    api: Api, other: Api
) -> None:
    shared = image_bytes(color=(1, 2, 3))
    ds_a = await api.dataset(upload_type="advanced")
    await api.set_schema(ds_a["id"])
    assert (await _bulk(api, ds_a["id"], zip_bytes({"same.png": shared}))).status_code == 202
    ds_b = await other.dataset()
    up = await other.upload(ds_b["id"], shared)
    assert up.status_code == 201
    r = await other.c.delete(f"{P}/datasets/{ds_b['id']}/images/{up.json()['id']}")
    assert r.status_code == 204
    await api.advance(60)
    images = (await api.c.get(f"{P}/datasets/{ds_a['id']}/images")).json()
    assert len(images) == 1
    pixels = await api.c.get(images[0]["image_url"])
    assert pixels.status_code == 200 and pixels.content[:8] == b"\x89PNG\r\n\x1a\n"


async def test_same_organization_keeps_pixels_a_pending_bulk_item_needs(api: Api) -> None:
    shared = image_bytes(color=(4, 5, 6))
    ds_a = await api.dataset(upload_type="advanced")
    await api.set_schema(ds_a["id"])
    ds_b = await api.dataset()
    up = await api.upload(ds_b["id"], shared)
    assert (await _bulk(api, ds_a["id"], zip_bytes({"same.png": shared}))).status_code == 202
    await api.c.delete(f"{P}/datasets/{ds_b['id']}/images/{up.json()['id']}")
    await api.advance(60)
    images = (await api.c.get(f"{P}/datasets/{ds_a['id']}/images")).json()
    assert (await api.c.get(images[0]["image_url"])).status_code == 200


async def test_pixels_of_a_deleted_dataset_s_pending_bulk_items_are_freed(
    api: Api, app: Starlette
) -> None:
    ds = await api.dataset(upload_type="advanced")
    await api.set_schema(ds["id"])
    assert (await _bulk(api, ds["id"], _images_zip(3, salt=77))).status_code == 202
    assert (await api.c.delete(f"{P}/datasets/{ds['id']}")).status_code == 204
    await api.advance(60)
    assert not [k for k in app.state.mock.store.blobs if k.startswith("png/")]


# --- 9: whole-archive bounds ----------------------------------------------------------------------


async def test_members_sharing_one_member_are_refused(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    r = await _bulk(api, ds["id"], shared_member_zip(copies=40, member_bytes=2 * MIB))
    assert r.status_code in (400, 413) and "zip bomb" in r.json()["error"]["message"]
    # refused as a whole: the one attempt is still there
    assert (await _bulk(api, ds["id"], _images_zip(1))).status_code == 202


async def test_many_members_at_the_ratio_floor_are_refused(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    r = await _bulk(api, ds["id"], zeros_zip(200, MIB))
    assert r.status_code in (400, 413) and "expands" in r.json()["error"]["message"]


# --- 10: control bodies are counted while they arrive ---------------------------------------------


def _raw(app: Starlette) -> httpx.AsyncClient:
    """A client without the response validator (which reads bodies and knows only the spec)."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE, headers={"api_token": TOKEN_A}
    )


async def test_control_bodies_are_refused_while_streaming(app: Starlette) -> None:
    sent = 0

    async def endless() -> Any:
        nonlocal sent
        chunk = b"0" * MIB
        for _ in range(2048):  # would be 2 GiB
            sent += len(chunk)
            yield chunk

    async with _raw(app) as client:
        r = await client.post("/_mock/files?filename=x.bin", content=endless())
        assert r.status_code == 413
        assert sent <= 80 * MIB  # stopped soon after the 64 MiB limit, not after 2 GiB
        r = await client.post("/_mock/clock/advance", content=b" " * (128 * 1024))
        assert r.status_code == 413


async def test_hosted_files_do_not_accumulate_past_their_expiry(api: Api, app: Starlette) -> None:
    app_mock = app.state.mock
    for _ in range(3):
        assert (await api.c.post("/_mock/files", content=b"a" * 1000)).status_code == 201
    await api.advance(2 * 3600)
    assert (await api.c.post("/_mock/files", content=b"b")).status_code == 201
    assert len([k for k in app_mock.store.blobs if k.startswith("upload/")]) == 1


def test_rate_windows_of_idle_organizations_are_forgotten() -> None:
    tenancy = Tenancy(MockConfig(rate_limit=5, rate_window_seconds=1.0))
    for index in range(5000):
        tenancy.admit(f"org-{index}", now=index * 0.01)
    assert len(tenancy._recent) < 1500


# --- 12, 13, 14: boundaries -----------------------------------------------------------------------


class _Trickle(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def trickle() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def config(trickle: str) -> MockConfig:
    return MockConfig(
        allow_url_prefixes=("http://127.0.0.1:5123", f"{trickle}/slow"), fetch_timeout_seconds=1.0
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:51234/x.png",
        "http://127.0.0.1:5123@127.0.0.1:51234/x.png",
        "http://127.0.0.1:51230/x.png",
        "https://127.0.0.1:5123/x.png",
    ],
)
async def test_allow_url_compares_parsed_parts(api: Api, url: str) -> None:
    ds = await api.dataset()
    r = await api.c.post(f"{P}/datasets/{ds['id']}/images", json={"image_url": url})
    # refused before any connection is tried, naming the allow-list
    assert r.status_code == 422 and "--allow-url" in r.text, r.text


async def test_fetch_timeout_is_a_deadline(api: Api, trickle: str) -> None:
    ds = await api.dataset()
    started = time.monotonic()
    r = await api.c.post(
        f"{P}/datasets/{ds['id']}/images", json={"image_url": f"{trickle}/slow/x.png"}
    )
    assert r.status_code == 422 and "within 1 s" in r.text
    assert time.monotonic() - started < 5


async def test_host_header_is_not_echoed_into_urls(client_for: ClientFactory, api: Api) -> None:
    ds = await api.dataset()
    await api.set_schema(ds["id"])
    hostile = client_for()
    hostile.headers["host"] = "evil.example"
    up = await hostile.post(
        f"{P}/datasets/{ds['id']}/images", files={"file": ("a.png", image_bytes(), "image/png")}
    )
    assert up.status_code == 201
    assert "evil.example" not in json.dumps(up.json())
    hosted = await hostile.post("/_mock/files", content=b"x")
    assert "evil.example" not in hosted.json()["url"]


# --- 15: routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_wrong_method_on_bulk_upload_is_405(api: Api, app: Starlette, method: str) -> None:
    ds = await api.dataset(upload_type="advanced")
    async with _raw(app) as client:
        r = await client.request(method, f"{P}/datasets/{ds['id']}/images/bulk-upload")
    assert r.status_code == 405 and r.headers["allow"] == "POST"


@pytest.mark.parametrize("raw", ["%EF%BC%91", "%C2%B2", "%D9%A1", "1" * 400])
async def test_path_ids_must_be_ascii_digits(api: Api, raw: str) -> None:
    await api.project()
    r = await api.c.get(f"{P}/projects/{raw}")
    assert r.status_code in (400, 404)
    assert r.status_code != 200

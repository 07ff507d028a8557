"""Signed artefact URLs and URL fetching limits (catalog entries files.*, fetch.*)."""

from __future__ import annotations

import contextlib
import http.server
import socketserver
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bria_mock import MockConfig
from mock_helpers import Api, image_bytes

pytestmark = pytest.mark.anyio


async def test_signed_urls_expire_and_resist_tampering(api: Api) -> None:
    ds = await api.dataset()
    url = (await api.upload(ds["id"])).json()["image_url"]
    assert (await api.fetch(url)).status_code == 200
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    forged = f"{parts.scheme}://{parts.netloc}{parts.path}?" + urlencode(
        {**query, "expires": int(query["expires"]) + 999}
    )
    r = await api.fetch(forged)
    assert r.status_code == 403 and "signature" in r.json()["error"]["message"]
    other_image = parts.path.replace(".png", "0.png")
    assert (
        await api.fetch(f"{parts.scheme}://{parts.netloc}{other_image}?{parts.query}")
    ).status_code == 403
    assert (await api.fetch(f"{parts.scheme}://{parts.netloc}{parts.path}")).status_code == 403
    await api.advance(3601)
    r = await api.fetch(url)
    assert r.status_code == 403 and "expired" in r.json()["error"]["message"]
    fresh = (await api.c.get(f"/v1/tailored-gen/datasets/{ds['id']}/images")).json()[0]["image_url"]
    assert (await api.fetch(fresh)).status_code == 200


async def test_files_need_no_token(api: Api, client_for: object) -> None:
    ds = await api.dataset()
    url = (await api.upload(ds["id"])).json()["image_url"]
    anonymous = client_for(None)  # type: ignore[operator]
    assert (await anonymous.get(url)).status_code == 200


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        if self.path.startswith("/missing"):
            self.send_response(404)
            self.end_headers()
            return
        body = image_bytes() if not self.path.startswith("/big") else b"\0" * 300_000
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        if not self.path.startswith("/chunky"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def remote() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def config(remote: str) -> MockConfig:
    return MockConfig(
        allow_url_prefixes=(f"{remote}/ok", f"{remote}/slow", f"{remote}/big", f"{remote}/missing"),
        fetch_timeout_seconds=0.5,
        max_image_bytes=200_000,
    )


async def test_allowed_prefix_is_fetched(api: Api, remote: str) -> None:
    ds = await api.dataset()
    r = await api.c.post(
        f"/v1/tailored-gen/datasets/{ds['id']}/images", json={"image_url": f"{remote}/ok/cat.png"}
    )
    assert r.status_code == 201 and r.json()["image_name"] == "cat.png"


async def test_same_host_outside_the_prefixes_is_refused(api: Api, remote: str) -> None:
    ds = await api.dataset()
    r = await api.c.post(
        f"/v1/tailored-gen/datasets/{ds['id']}/images",
        json={"image_url": f"{remote}/other/cat.png"},
    )
    assert r.status_code == 422 and "--allow-url" in r.json()["error"]["message"]


async def test_timeouts_size_caps_and_http_errors(api: Api, remote: str) -> None:
    ds = await api.dataset()
    path = f"/v1/tailored-gen/datasets/{ds['id']}/images"
    slow = await api.c.post(path, json={"image_url": f"{remote}/slow/a.png"})
    assert slow.status_code == 422 and "within" in slow.json()["error"]["message"]
    big = await api.c.post(path, json={"image_url": f"{remote}/big/a.png"})
    assert big.status_code == 400 and "more than" in big.json()["error"]["message"]
    missing = await api.c.post(path, json={"image_url": f"{remote}/missing/a.png"})
    assert missing.status_code == 422 and "HTTP 404" in missing.json()["error"]["message"]
    bad_scheme = await api.c.post(path, json={"image_url": "file:///etc/passwd"})
    assert bad_scheme.status_code == 400


async def test_reset_and_clock_endpoints(api: Api) -> None:
    await api.project()
    clock = (await api.c.get("/_mock/clock")).json()
    r = await api.c.post("/_mock/clock/advance", json={"seconds": 90})
    assert r.json()["epoch"] == pytest.approx(clock["epoch"] + 90, abs=0.01)
    assert (await api.c.post("/_mock/reset")).status_code == 200
    assert (await api.c.get("/v1/tailored-gen/projects")).json() == []


@pytest.mark.parametrize("config", [MockConfig(enable_control=False)])
async def test_control_endpoints_can_be_disabled(api: Api, config: MockConfig) -> None:
    r = await api.c.post("/_mock/reset")
    assert r.status_code in (404, 405)

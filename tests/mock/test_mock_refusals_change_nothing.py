"""A refused request changes nothing: in memory, in the state file, and after a restart.

For every kind of refusal the mock makes, the whole state (records, counters, schedule, blob
keys) is compared before and after the request, then the state file is reopened and compared
with memory. Also here: a failed state write, one process per state file, and a bulk upload
interrupted by ``kill -9``.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import socketserver
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import mock_process
import pytest
from bria_mock import MockConfig, create_app
from bria_mock.core import Mock
from hostile_inputs import HOSTILE_SAFETENSORS, LONE_SURROGATE, deep_json, dumps, shared_member_zip
from mock_helpers import BASE, TOKEN_A, TOKEN_B, image_bytes, zip_bytes
from starlette.applications import Starlette
from state_snapshots import disk_snapshot, snapshot

pytestmark = pytest.mark.anyio
P = "/v1/tailored-gen"
Send = Callable[[httpx.AsyncClient, dict[str, Any]], Awaitable[httpx.Response]]


def _json(method: str, path: str, body: Any, token: str = TOKEN_A) -> Send:
    async def send(c: httpx.AsyncClient, w: dict[str, Any]) -> httpx.Response:
        raw = body(w) if callable(body) else body
        content = raw if isinstance(raw, bytes) else dumps(raw)
        return await c.request(
            method,
            path.format(**w),
            content=content,
            headers={"content-type": "application/json", "api_token": token},
        )

    return send


def _bulk(data: bytes) -> Send:
    async def send(c: httpx.AsyncClient, w: dict[str, Any]) -> httpx.Response:
        return await c.post(
            f"{P}/datasets/{w['advanced']}/images/bulk-upload",
            files={"file": ("a.zip", data, "application/zip")},
        )

    return send


def _upload(data: bytes, target: str = "draft") -> Send:
    async def send(c: httpx.AsyncClient, w: dict[str, Any]) -> httpx.Response:
        return await c.post(
            f"{P}/datasets/{w[target]}/images", files={"file": ("a.png", data, "image/png")}
        )

    return send


def _model_from_file(data: bytes) -> Send:
    async def send(c: httpx.AsyncClient, w: dict[str, Any]) -> httpx.Response:
        url = (await c.post("/_mock/files?filename=m.safetensors", content=data)).json()["url"]
        # hosting a file is a control action, not the refused request: compare from here
        w["_rebase"] = True
        return await c.post(
            f"{P}/models/upload_model", json={"model_url": url, "project_id": w["project"]}
        )

    return send


def _other_org(method: str, path: str) -> Send:
    async def send(c: httpx.AsyncClient, w: dict[str, Any]) -> httpx.Response:
        return await c.request(
            method, path.format(**w), headers={"api_token": TOKEN_B}, json={"name": "x"}
        )

    return send


_PNG = image_bytes()
_DATA_URL = "data:image/png;base64," + base64.b64encode(_PNG).decode()

# (kind of refusal, expected statuses, request)
REFUSALS: list[tuple[str, tuple[int, ...], Send]] = [
    ("schema: missing required field", (400,), _json("POST", f"{P}/projects", {"ip_type": "x"})),
    (
        "text: lone surrogate",
        (400,),
        _json("PUT", f"{P}/projects/{{project}}", {"project_name": LONE_SURROGATE}),
    ),
    (
        "text: too long",
        (400,),
        _json("PUT", f"{P}/projects/{{project}}", {"project_description": "x" * 200_001}),
    ),
    ("json: nested too deep", (400,), _json("POST", f"{P}/datasets", deep_json(300).encode())),
    (
        "json: huge number",
        (400,),
        _json("POST", f"{P}/datasets", b'{"project_id": ' + b"9" * 5000 + b', "name": "n"}'),
    ),
    ("json: not JSON", (400,), _json("POST", f"{P}/projects", b"{nope")),
    (
        "json-in-string: visual_schema",
        (400,),
        _json("PUT", f"{P}/datasets/{{draft}}", {"visual_schema": deep_json(300)}),
    ),
    (
        "rule: visual_schema with completion that fails (409)",
        (409,),
        _json(
            "PUT",
            f"{P}/datasets/{{empty}}",
            {"visual_schema": '{"changed": true}', "status": "completed", "name": "renamed"},
        ),
    ),
    (
        "rule: completed dataset refuses edits",
        (409,),
        _json("PUT", f"{P}/datasets/{{completed}}", {"visual_schema": '{"other": 1}'}),
    ),
    ("rule: completed dataset refuses uploads", (400, 409), _upload(_PNG, "completed")),
    (
        "rule: draft cannot go back (409)",
        (409,),
        _json("PUT", f"{P}/datasets/{{completed}}", {"status": "draft", "name": "n2"}),
    ),
    (
        "precondition: training a draft dataset (412)",
        (412,),
        _json("POST", f"{P}/models/{{model}}/start_training", {}),
    ),
    ("tenancy: other organization (404)", (404,), _other_org("PUT", f"{P}/datasets/{{draft}}")),
    (
        "tenancy: delete other's project (404)",
        (404,),
        _other_org("DELETE", f"{P}/projects/{{project}}"),
    ),
    ("auth: no token (401)", (401,), _json("POST", f"{P}/projects", {}, token="")),
    ("routing: wrong method (405)", (405,), _json("PATCH", f"{P}/projects", {})),
    ("routing: non-ASCII id", (400, 404), _json("DELETE", f"{P}/projects/%EF%BC%91", {})),
    ("image: not an image (415)", (400, 415), _upload(b"not an image")),
    (
        "url: not allowed (422)",
        (400, 422),
        _json("POST", f"{P}/datasets/{{draft}}/images", {"image_url": "http://10.0.0.1/x.png"}),
    ),
    (
        "url: malformed port",
        (400,),
        _json("POST", f"{P}/datasets/{{draft}}/images", {"image_url": "http://127.0.0.1:99999/x"}),
    ),
    ("archive: shared member (bomb)", (400, 413), _bulk(shared_member_zip(40, 2 * 1024 * 1024))),
    ("archive: not a zip", (400,), _bulk(b"PK\x03\x04 broken")),
    ("safetensors: deep header", (400, 415), _model_from_file(HOSTILE_SAFETENSORS["deep header"])),
    (
        "control: bad JSON",
        (400,),
        _json("POST", "/_mock/clock/advance", deep_json(300).encode()),
    ),
    (
        "control: fail a model not in training (409)",
        (409,),
        _json("POST", "/_mock/models/{model}/fail", {"reason": "x"}),
    ),
    (
        "generation: model not completed (409/400)",
        (400, 409),
        _json(
            "POST",
            "/v2/image/generate/tailored",
            lambda w: {"tailored_model_id": w["model"], "prompt": "x", "sync": True},
        ),
    ),
    (
        "caption: regenerate on completed dataset",
        (400, 409),
        _json("PUT", f"{P}/datasets/{{completed}}/images", {}),
    ),
]


async def _world(c: httpx.AsyncClient) -> dict[str, Any]:
    async def ok(r: Awaitable[httpx.Response]) -> dict[str, Any]:
        response = await r
        assert response.status_code in (200, 201, 202), response.text
        return dict(response.json())

    project = await ok(
        c.post(
            f"{P}/projects",
            json={"project_name": "p", "ip_medium": "illustration", "ip_type": "icons"},
        )
    )
    schema = {"visual_schema": '{"style": "flat"}'}

    async def dataset(kind: str = "basic") -> int:
        body = {"project_id": project["id"], "name": "d", "upload_type": kind}
        return int((await ok(c.post(f"{P}/datasets", json=body)))["id"])

    completed, draft, empty, advanced = (
        await dataset(),
        await dataset(),
        await dataset(),
        await dataset("advanced"),
    )
    for ds in (completed, draft):
        await ok(c.put(f"{P}/datasets/{ds}", json=schema))
        for i in range(5):
            await ok(
                c.post(
                    f"{P}/datasets/{ds}/images",
                    files={"file": ("a.png", image_bytes(color=(i, ds, 3)), "image/png")},
                )
            )
    await ok(c.put(f"{P}/datasets/{completed}", json={"status": "completed"}))
    model = await ok(c.post(f"{P}/models", json={"name": "m", "dataset_id": draft}))
    model_done = await ok(c.post(f"{P}/models", json={"name": "m2", "dataset_id": completed}))
    return {
        "project": project["id"],
        "completed": completed,
        "draft": draft,
        "empty": empty,
        "advanced": advanced,
        "model": model["id"],
        "model_done": model_done["id"],
    }


def _client(app: Starlette, token: str = TOKEN_A) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE, headers={"api_token": token}
    )


async def test_every_kind_of_refusal_leaves_memory_and_disk_unchanged(tmp_path: Path) -> None:
    state = str(tmp_path / "state.db")
    app = create_app(MockConfig(state_path=state))
    mock: Mock = app.state.mock
    async with _client(app) as c:
        world = await _world(c)
        covered = []
        for label, statuses, send in REFUSALS:
            before = snapshot(mock)
            response = await send(c, world)
            if world.pop("_rebase", False):
                # the hosted file (a control action) is not part of the refusal; compare records
                before = json.dumps(
                    {**json.loads(before), "blobs": json.loads(snapshot(mock))["blobs"]},
                    sort_keys=True,
                )
            assert response.status_code in statuses, (
                f"{label}: {response.status_code} {response.text}"
            )
            assert snapshot(mock) == before, f"{label}: memory changed"
            assert disk_snapshot(mock) == before, f"{label}: the state file differs from memory"
            covered.append(label)
        in_memory = snapshot(mock)
    mock.close()
    reopened = create_app(MockConfig(state_path=state))
    try:
        assert snapshot(reopened.state.mock) == in_memory, "the state file differs from memory"
    finally:
        reopened.state.mock.close()
    print(f"\nrefusal kinds covered by the state-equality check: {len(covered)}")
    assert len(covered) == len(REFUSALS)


async def test_a_failed_state_write_leaves_memory_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(MockConfig(state_path=str(tmp_path / "state.db")))
    mock: Mock = app.state.mock
    assert mock.persistence is not None
    async with _client(app) as c:
        world = await _world(c)
        before = snapshot(mock)

        def disk_full(*args: Any, **kwargs: Any) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(mock.persistence, "write", disk_full)
        r = await c.post(
            f"{P}/projects",
            json={"project_name": "q", "ip_medium": "illustration", "ip_type": "icons"},
        )
        assert r.status_code == 500
        r = await c.post(f"{P}/datasets/{world['draft']}/images", json={"image_url": _DATA_URL})
        assert r.status_code == 500
        assert snapshot(mock) == before
        # reads write nothing: they keep working while the disk is full, also after time moved
        r = await c.post("/_mock/clock/advance", json={"seconds": 5})
        assert r.status_code == 500
        mock.clock.advance(5)
        assert (await c.get(f"{P}/projects")).status_code == 200
        assert (await c.get(f"{P}/datasets/{world['draft']}/images")).status_code == 200
        monkeypatch.undo()
        assert (await c.get(f"{P}/projects")).json()[0]["project_name"] == "p"
    mock.close()


# --- processes ---------------------------------------------------------------------------------


def test_second_process_on_one_state_file_is_refused(tmp_path: Path) -> None:
    state = str(tmp_path / "state.db")
    with mock_process.running("--state", state) as first:
        assert "state file" in first.startup_line and "control endpoints on" in first.startup_line
        with pytest.raises(mock_process.StartupFailed, match="in use by another bria-mock"):
            mock_process.start("--state", state)
    with mock_process.running("--state", state, "--no-control") as again:
        assert "control endpoints off" in again.startup_line


class _Stall(http.server.BaseHTTPRequestHandler):
    """Sends headers and then nothing: the mock sits in the fetch with its attempt reserved."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        with contextlib.suppress(OSError):
            time.sleep(30)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def stall() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Stall)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_bulk_attempt_survives_kill_9_recoverably(tmp_path: Path, stall: str) -> None:
    state = str(tmp_path / "state.db")
    args = ("--state", state, "--allow-url", stall, "--fetch-timeout", "60")
    headers = {"api_token": TOKEN_A}
    first = mock_process.start(*args)
    try:
        with httpx.Client(base_url=first.url, headers=headers, timeout=10) as c:
            project = c.post(
                f"{P}/projects",
                json={"project_name": "p", "ip_medium": "illustration", "ip_type": "icons"},
            ).json()
            ds = c.post(
                f"{P}/datasets",
                json={"project_id": project["id"], "name": "d", "upload_type": "advanced"},
            ).json()

            def upload() -> None:
                with contextlib.suppress(httpx.HTTPError):
                    c.post(
                        f"{P}/datasets/{ds['id']}/images/bulk-upload",
                        json={"zip_url": f"{stall}/a.zip"},
                    )

            threading.Thread(target=upload, daemon=True).start()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with httpx.Client(base_url=first.url, headers=headers) as probe:
                    status = probe.get(f"{P}/datasets/{ds['id']}/images/bulk-upload/status")
                if status.status_code == 200:
                    break
                time.sleep(0.05)
            assert status.json()["status"] == "pending"  # reserved, archive still downloading
            first.kill_hard()
    finally:
        mock_process.stop(first)
    with (
        mock_process.running(*args) as second,
        httpx.Client(base_url=second.url, headers=headers, timeout=30) as c,
    ):
        status = c.get(f"{P}/datasets/{ds['id']}/images/bulk-upload/status")
        assert status.status_code == 404  # the interrupted attempt was given back
        r = c.post(
            f"{P}/datasets/{ds['id']}/images/bulk-upload",
            files={"file": ("a.zip", zip_bytes({"a.png": image_bytes()}), "application/zip")},
        )
        assert r.status_code == 202, r.text
        assert "released 1 bulk upload reservation" in second.log()

"""``bria-mock`` as a process: starts, serves over HTTP, keeps --state across a restart, delivers
webhooks (catalog entry webhooks.signed-delivery)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from bria_mock.webhook_receiver import WebhookReceiver
from mock_helpers import image_bytes, trained_sync


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(*args: str, log: list[str] | None = None) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bria_mock.cli", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/_mock/clock", timeout=0.5)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    _, err = proc.communicate(timeout=5)
                    raise AssertionError(
                        f"bria-mock did not start: {err.decode()[-2000:]}"
                    ) from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        if log is not None:
            log.append(err.decode(errors="replace"))


def test_process_serves_and_state_survives_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    headers = {"api_token": "cli-token"}
    with running("--state", str(state)) as base, httpx.Client(base_url=base, headers=headers) as c:
        project = c.post(
            "/v1/tailored-gen/projects",
            json={"project_name": "P", "ip_medium": "photography", "ip_type": "stylized_scene"},
        ).json()
        ds = c.post(
            "/v1/tailored-gen/datasets", json={"project_id": project["id"], "name": "d"}
        ).json()
        image = c.post(
            f"/v1/tailored-gen/datasets/{ds['id']}/images",
            files={"file": ("a.png", image_bytes(), "image/png")},
        ).json()
        assert image["image_url"].startswith(base)
        assert c.get(image["image_url"]).status_code == 200
    with running("--state", str(state)) as base, httpx.Client(base_url=base, headers=headers) as c:
        projects = c.get("/v1/tailored-gen/projects").json()
        assert [p["id"] for p in projects] == [project["id"]]
        images = c.get(f"/v1/tailored-gen/datasets/{ds['id']}/images").json()
        assert [i["id"] for i in images] == [image["id"]]
        assert c.get(images[0]["image_url"]).status_code == 200
        assert c.get("/v1/tailored-gen/projects", headers={"api_token": ""}).status_code == 401


def test_token_list_and_public_url(tmp_path: Path) -> None:
    with running("--token", "alpha", "--public-url", "https://mock.example") as base:
        assert (
            httpx.get(f"{base}/v1/tailored-gen/projects", headers={"api_token": "beta"}).status_code
            == 401
        )
        r = httpx.post(
            f"{base}/v2/image/generate/tailored",
            headers={"api_token": "alpha"},
            json={"tailored_model_id": 1, "prompt": "x"},
        )
        assert r.status_code == 400  # no such model; the request itself was understood


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "between 0 and 65535"),
        (["--speed", "-2"], "must be greater than 0"),
        (["--rate-limit", "ten"], "N/SECONDS"),
        (["--allow-url", "ftp://x"], "http:// or https://"),
        (["--state", "/no/such/dir/x.db"], "does not exist"),
        (["--spec", "/no/such/spec.json"], "no such file"),
    ],
)
def test_bad_arguments_fail_clearly(args: list[str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bria_mock.cli", *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_invalid_spec_file_fails_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "spec.json"
    bad.write_text("{not json")
    proc = subprocess.run(
        [sys.executable, "-m", "bria_mock.cli", "--spec", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        proc.returncode == 2 and "not valid JSON" in proc.stderr and "Traceback" not in proc.stderr
    )


class _RemoteClock:
    def __init__(self, base: str) -> None:
        self.base = base

    def advance(self, seconds: float) -> None:
        httpx.post(f"{self.base}/_mock/clock/advance", json={"seconds": seconds}).raise_for_status()


def test_the_server_delivers_webhooks_with_its_flags_and_logs_them() -> None:
    with WebhookReceiver(answers=[503]) as receiver:
        log: list[str] = []
        flags = ["--webhook-attempts", "3", "--webhook-backoff", "0.2", "--webhook-timeout", "2"]
        prefix = receiver.url.rsplit("/", 1)[0]
        with running("--allow-url", prefix, *flags, "--log-level", "info", log=log) as base:
            mock = type("Remote", (), {"clock": _RemoteClock(base)})()
            with httpx.Client(base_url=base, headers={"api_token": "cli-org"}) as client:
                model_id = trained_sync(mock, client)
                job = client.post(
                    "/v2/image/generate/tailored",
                    json={
                        "tailored_model_id": model_id,
                        "prompt": "a",
                        "webhook_url": receiver.url,
                    },
                )
                assert job.status_code == 202, job.text
                request_id = job.json()["request_id"]
                mock.clock.advance(3600)
                receiver.wait_for(request_id, timeout=15)
                # the sender records the answer just after the receiver has it
                deadline = time.monotonic() + 10
                while True:
                    listed = client.get("/_mock/webhooks").json()["deliveries"]
                    if listed[0]["state"] != "pending" or time.monotonic() > deadline:
                        break
                    time.sleep(0.05)
        (delivery,) = listed
        assert delivery["state"] == "delivered"
        assert [a["status"] for a in delivery["attempts"]] == [503, 200]
        retry_wait = delivery["attempts"][1]["at"] - delivery["attempts"][0]["at"]
        assert retry_wait >= 0.2, "the second attempt waits for the backoff"
    assert f"webhook {request_id}" in log[0] and "delivered" in log[0], log[0][-2000:]

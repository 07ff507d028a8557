"""The fixtures bria-mock ships: inert unless requested, sync transport, loopback server."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from bria_mock.cli import bind
from bria_mock.testing import InProcessMock, LoopbackMock, SyncASGITransport
from bria_tailored.api.project import get_projects

REPO = Path(__file__).resolve().parents[2]


def run_pytest(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(source))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_plugin_is_inert_unless_a_fixture_is_requested(tmp_path: Path) -> None:
    result = run_pytest(
        tmp_path,
        """
        import sys
        import threading

        def test_no_mock_was_built_and_no_server_started():
            # Not even imported: every pytest run of a project that installs the mock loads
            # the plugin, and importing the mock's app costs about half a second.
            loaded = sorted(m for m in sys.modules if m.startswith("bria_mock."))
            assert loaded == ["bria_mock.pytest_plugin"], loaded
            assert "uvicorn" not in sys.modules
            assert threading.active_count() == 1
        """,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_fixtures_are_available_without_configuration(tmp_path: Path) -> None:
    result = run_pytest(
        tmp_path,
        """
        from bria_tailored.api.project import get_projects

        def test_sync(bria_client, bria_mock):
            assert get_projects.sync(client=bria_client) == []
            bria_mock.clock.advance(5)
        """,
        "--fixtures",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("bria_mock", "bria_client", "bria_async_client", "bria_mock_server"):
        assert name in result.stdout


def test_the_webhook_fixture_receives_verified_deliveries(tmp_path: Path) -> None:
    result = run_pytest(
        tmp_path,
        """
        import io

        import httpx
        from PIL import Image

        def png(shade):
            out = io.BytesIO()
            Image.new("RGB", (1024, 1024), (shade, 40, 40)).save(out, format="PNG")
            return out.getvalue()

        def test_delivery(bria_webhooks, bria_mock_server):
            api = httpx.Client(
                base_url=bria_mock_server.base_url,
                headers={"api_token": bria_mock_server.token},
            )
            p = "/v1/tailored-gen"
            project = api.post(f"{p}/projects", json={
                "project_name": "p", "ip_medium": "illustration", "ip_type": "stylized_scene",
            }).json()
            ds = api.post(f"{p}/datasets", json={"project_id": project["id"], "name": "d"}).json()
            api.put(f"{p}/datasets/{ds['id']}", json={"visual_schema": '{"style": "flat"}'})
            for i in range(5):
                api.post(f"{p}/datasets/{ds['id']}/images", files={"file": ("a.png", png(i * 40))})
            api.put(f"{p}/datasets/{ds['id']}", json={"status": "completed"})
            model = api.post(f"{p}/models", json={
                "name": "m", "dataset_id": ds["id"], "training_mode": "fully_automated",
            }).json()
            api.post(f"{p}/models/{model['id']}/start_training", json={})
            bria_mock_server.clock.advance(10 * 24 * 3600)
            job = api.post("/v2/image/generate/tailored", json={
                "tailored_model_id": model["id"], "prompt": "a fox",
                "webhook_url": bria_webhooks.url,
            })
            assert job.status_code == 202, job.text
            bria_mock_server.clock.advance(3600)
            delivery = bria_webhooks.wait_for(job.json()["request_id"], timeout=10)
            status = delivery.verify(bria_mock_server.token)
            assert status.status.value == "COMPLETED"
        """,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sync_transport_sends_streamed_bodies_and_closes() -> None:
    received: list[bytes] = []

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        received.append(body)
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    transport = SyncASGITransport(app)
    with httpx.Client(transport=transport, base_url="http://x") as client:
        response = client.post("/", content=iter([b"a", b"b"]))
        assert (response.status_code, response.content) == (201, b"ok")
    assert received == [b"ab"]
    transport.close()  # a second close is harmless


def test_controls_refuse_mistakes_clearly() -> None:
    with InProcessMock() as mock:
        with pytest.raises(LookupError, match="no model 99"):
            mock.fail_training(99)
        with pytest.raises(ValueError, match="at least 1"):
            mock.rate_limit(0)
        with pytest.raises(ValueError, match="finite number"):
            mock.clock.advance(-1)


def test_loopback_server_serves_real_connections_and_hosted_files() -> None:
    with LoopbackMock() as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert get_projects.sync(client=server.client()) == []
        url = server.host_file(b"hello", "a.txt", "text/plain")
        assert url.startswith(server.base_url + "/_mock/files/")
        assert httpx.get(url).content == b"hello"
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.base_url + "/_mock/clock", timeout=2)


def _nodelay_of_accepted_connection(listener: socket.socket) -> int:
    """TCP_NODELAY on the server side of a connection asyncio accepts on ``listener``."""

    async def accept_one() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        try:
            return await asyncio.wait_for(accepted, 5)
        finally:
            writer.close()
            server.close()

    return asyncio.run(accept_one())


def test_mock_listeners_answer_without_a_delayed_ack_wait() -> None:
    # asyncio turns Nagle's algorithm off only on sockets whose protocol is TCP; on a socket made
    # with protocol 0 every answer over a kept-alive connection waits ~40 ms for a delayed ACK.
    assert _nodelay_of_accepted_connection(bind("127.0.0.1", 0)) == 1
    with LoopbackMock() as server:
        assert server._sock.proto == socket.IPPROTO_TCP, "LoopbackMock must listen on bind()"

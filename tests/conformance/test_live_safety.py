"""Against a live API the suite is read-only unless allowed, and cleans up what it creates."""

from __future__ import annotations

import socket
from typing import Any

from bria_conformance.embedded import mock_app
from bria_conformance.runner import run_suite
from bria_conformance.target import ASGI_BASE_URL, Permissions, Target, asgi_client, random_token


class LiveLike:
    """A mock without its control endpoints (so the suite treats it as live), recording requests."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests.append((scope["method"], scope["path"]))
            if scope["path"].startswith("/_mock/") and not scope["path"].startswith("/_mock/files"):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 404,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": b'{"error": "not here"}'})
                return
        await self.app(scope, receive, send)


def _live(permissions: Permissions) -> tuple[Target, LiveLike, tuple[str, str]]:
    tokens = (random_token("live-a"), random_token("live-b"))
    server = LiveLike(mock_app(tokens=tokens))
    target = Target(
        label="live-like test server",
        base_url=ASGI_BASE_URL,
        token=tokens[0],
        other_token=tokens[1],
        app=server,
        controls=False,
        permissions=permissions,
        live_wait_seconds=0.2,
    )
    return target, server, tokens


ARGS = ["--bria-max-examples", "3", "--bria-seed", "9", "-q", "--no-header"]


def test_read_only_without_permission() -> None:
    target, server, _ = _live(Permissions())
    outcome = run_suite(ARGS, target=target)
    assert outcome.run is not None and outcome.run.results.records, "the suite did not run"
    writes = [r for r in server.requests if r[0] != "GET"]
    assert not writes, f"the suite wrote to a live API without --allow-writes: {writes[:5]}"
    skipped = [
        r
        for r in outcome.run.results.by_entry()
        if r.status == "skipped" and "--allow-writes" in r.detail
    ]
    assert skipped, "entries that need writes must be reported as skipped with the reason"


def test_created_resources_are_prefixed_and_removed() -> None:
    target, server, tokens = _live(Permissions(writes=True))
    run_suite(["--bria-only", "project.*,image.manual-caption", *ARGS], target=target)
    assert any(method == "POST" for method, _ in server.requests), (
        "writes were allowed but none happened"
    )
    with asgi_client(server.app) as client:
        for token in tokens:
            left = client.get("/v1/tailored-gen/projects", headers={"api_token": token}).json()
            assert left == [], (
                f"the suite left projects behind: {[p.get('project_name') for p in left]}"
            )
    # No training or generation without their own permission.
    assert not [
        p
        for m, p in server.requests
        if m == "POST" and (p.endswith("/start_training") or p.startswith("/v2/"))
    ]


def test_v1_generation_needs_its_own_permission() -> None:
    """generate_prefix needs no trained model, so only the generation guard keeps it unsent."""
    target, server, _ = _live(Permissions(writes=True, training=True))
    outcome = run_suite(["--bria-only", "v1gen.prefix-*", *ARGS], target=target)
    assert outcome.run is not None and outcome.run.results.records, "the suite did not run"
    paid = ("/v1/text-to-image/", "/v1/text-to-vector/", "/v1/reimagine/", "/v1/tailored-gen/re")
    sent = [
        p
        for m, p in server.requests
        if m == "POST" and (p.startswith(paid) or p.endswith("/generate_prefix"))
    ]
    assert not sent, f"v1 generation ran without --allow-generation: {sent}"
    skipped = [
        r
        for r in outcome.run.results.by_entry()
        if r.status == "skipped" and "--allow-generation" in r.detail
    ]
    assert skipped, "the v1 generation entries must be reported as skipped with the reason"


def test_bulk_uploads_go_by_url_when_multipart_is_refused() -> None:
    """A target taking only the documented JSON zip_url fetches the archive from the suite."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        files_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    tokens = (random_token("live-a"), random_token("live-b"))
    app = mock_app(
        tokens=tokens,
        profile="documented",
        allow_url_prefixes=(files_url,),
        realtime=True,
        speed=600.0,
    )
    server = LiveLike(app)
    target = Target(
        label="live-like documented server",
        base_url=ASGI_BASE_URL,
        token=tokens[0],
        other_token=tokens[1],
        app=server,
        controls=False,
        permissions=Permissions(writes=True),
        live_wait_seconds=20,
        serve_files_url=files_url,
    )
    outcome = run_suite(["--bria-only", "bulk.async-progress,bulk.single-attempt", *ARGS], target)
    assert outcome.run is not None
    results = {r.entry.id: (r.status, r.detail) for r in outcome.run.results.by_entry()}
    assert results["bulk.async-progress"][0] == "passed", results["bulk.async-progress"]
    assert results["bulk.single-attempt"][0] == "passed", results["bulk.single-attempt"]
    multipart = [p for m, p in server.requests if m == "POST" and p.endswith("/bulk-upload")]
    assert multipart, "no bulk upload was sent"

"""A target that answers 429 to one request in N: the suite waits each out and judges nothing on it.

The throttle answers every Nth API request 429 before the mock sees it, alternately with
``Retry-After: 0`` and with no ``Retry-After`` at all (Bria's documents promise none). Every
phase meets it: the scenarios, the world the generated cases point at, Schemathesis' cases and
its own auth probes (``ignored_auth`` sends requests without and with a wrong token).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bria_conformance.embedded import embedded_target
from bria_conformance.runner import run_suite


class Throttled:
    """ASGI middleware: every `every`-th API request is refused 429 (control endpoints pass)."""

    def __init__(self, app: Any, every: int) -> None:
        self.app = app
        self.every = every
        self.seen = 0
        self.refused = 0
        self.refused_paths: set[str] = set()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/_mock/"):
            self.seen += 1
            if self.seen % self.every == 0:
                self.refused += 1
                self.refused_paths.add(f"{scope['method']} {scope['path']}")
                headers = [(b"content-type", b"application/json")]
                if self.refused % 2:
                    headers.append((b"retry-after", b"0"))
                await send({"type": "http.response.start", "status": 429, "headers": headers})
                await send(
                    {
                        "type": "http.response.body",
                        "body": b'{"error": {"code": 429, "message": "Too many requests"}}',
                    }
                )
                return
        await self.app(scope, receive, send)


def test_a_throttled_target_fails_nothing() -> None:
    throttles: list[Throttled] = []

    def wrap(app: Any) -> Throttled:
        throttles.append(Throttled(app, every=9))
        return throttles[-1]

    target = replace(embedded_target(wrap=wrap), rate_limit_backoff=0.01)
    outcome = run_suite(
        [
            "--bria-only",
            "auth.token-required,auth.token-invalid,project.*,op.get-projects.*",
            "--bria-seed",
            "3",
            "--bria-max-examples",
            "3",
            "-q",
            "--no-header",
        ],
        target=target,
    )
    assert outcome.run is not None and outcome.run.results.records, "the suite did not run"
    throttle = throttles[0]
    assert throttle.refused >= 20, f"the throttle refused only {throttle.refused} requests"
    results = outcome.run.results.by_entry()
    failed = {r.entry.id: r.detail for r in results if r.status == "failed"}
    assert not failed, f"a 429 was judged as a violation: {failed}"
    skipped = {r.entry.id: r.detail for r in results if r.status == "skipped"}
    assert not skipped, f"entries were not checked on a throttled target: {skipped}"
    assert outcome.run.throttle.waited >= throttle.refused, (
        f"{throttle.refused} requests were refused 429 but the run waited out only "
        f"{outcome.run.throttle.waited}"
    )
    assert outcome.exit_code == 0

"""Rate limiting: 429, no effect, retry after waiting (Retry-After when the server sends one)."""

from __future__ import annotations

import time

import pytest

from bria_conformance.api import Api
from bria_conformance.scenario import P, Scenario, expect, rule

# Seconds to back off when a 429 carries no Retry-After: longer than the probe's 2-second window.
WAIT_WITHOUT_RETRY_AFTER = 3


@pytest.mark.catalog("limit.rate-limit-429")
def test_rate_limit_answers_429_with_retry_after(scenario: Scenario) -> None:
    if scenario.target.rate_limited is None:
        pytest.skip(
            "the rate limit is not probed on this target (it would spend the account's quota)"
        )
    limited = scenario.target.rate_limited(3)
    with limited.http_client() as http:
        api = Api(limited, limited.token, scenario.api.journal, http)
        statuses = [api.get(f"{P}/projects", retry_429=False).status_code for _ in range(3)]
        refused = api.post(
            f"{P}/projects",
            retry_429=False,
            json={
                "project_name": "over the limit",
                "ip_medium": "illustration",
                "ip_type": "icons",
            },
        )
        with rule("limit.rate-limit-429"):
            assert statuses == [200, 200, 200], f"requests within the limit succeed, got {statuses}"
            assert refused.status_code == 429, (
                f"the request over the limit is answered 429, got {refused.status_code}"
            )
            # No Bria document promises Retry-After; when it is sent it is whole seconds.
            retry_after = refused.headers.get("Retry-After")
            assert retry_after is None or retry_after.isdigit(), (
                f"Retry-After on a 429 is whole seconds, got {retry_after!r}"
            )
        wait = int(retry_after) if retry_after is not None else WAIT_WITHOUT_RETRY_AFTER
        control = http.post("/_mock/clock/advance", json={"seconds": wait + 1})
        assert control.status_code == 200, "the rate-limited mock refused to advance its clock"
        time.sleep(min(wait, 3) + 0.1 if wait <= 3 else 0)
        listed = expect(
            api.get(f"{P}/projects", retry_429=False),
            200,
            "limit.rate-limit-429",
            "a request after waiting Retry-After",
        )
        with rule("limit.rate-limit-429"):
            assert all(p.get("project_name") != "over the limit" for p in listed), (
                "a refused request had an effect"
            )

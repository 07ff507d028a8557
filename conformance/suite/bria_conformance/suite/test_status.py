"""The Status Service (GET /v2/status/{request_id})."""

from __future__ import annotations

import httpx
import pytest

from bria_conformance.scenario import NO_MODERATION_TRIGGER, Scenario, expect, rule

from .test_generation import GEN


@pytest.mark.catalog("status.unknown-request-404")
def test_unknown_request_is_404(scenario: Scenario) -> None:
    payload = expect(
        scenario.api.get("/v2/status/no-such-request-0000"),
        404,
        "status.unknown-request-404",
        "the status of an unknown request",
    )
    with rule("status.unknown-request-404"):
        # status.openapi.yaml's 404: {"status": "NOT_FOUND"} (required) -- a route-not-found
        # 404 from a server that has no status service at all does not satisfy it.
        assert isinstance(payload, dict) and payload.get("status") == "NOT_FOUND", (
            f'the 404 body is {{"status": "NOT_FOUND"}}, got {payload!r}'
        )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("status.status-url", "status.values")
def test_status_url_matches_status_service(scenario: Scenario) -> None:
    model = scenario.trained_model()
    accepted = expect(
        scenario.api.post(GEN, json={"tailored_model_id": model["id"], "prompt": "a red cube"}),
        202,
        "generate.async-default",
        "an async generation",
    )
    url = httpx.URL(accepted["status_url"])
    with rule("status.status-url"):
        assert url.path.endswith(f"/status/{accepted['request_id']}") or accepted[
            "request_id"
        ] in str(url), f"status_url must poll this request: {accepted!r}"
    via_url = expect(
        scenario.api.get(url.raw_path.decode()), 200, "status.status-url", "polling the status_url"
    )
    via_service = expect(
        scenario.api.get(f"/v2/status/{accepted['request_id']}"),
        200,
        "status.status-url",
        "polling /v2/status/{request_id}",
    )
    with rule("status.status-url"):
        assert (
            via_url.get("request_id") == via_service.get("request_id") == accepted["request_id"]
        ), (via_url, via_service)
    with rule("status.values"):
        assert via_service.get("status") in ("IN_PROGRESS", "COMPLETED", "ERROR", "UNKNOWN"), (
            via_service
        )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("status.values")
def test_failed_request_carries_its_error(scenario: Scenario) -> None:
    # A generation whose output fails visual moderation ends in ERROR: the prompt passes (its
    # own moderation is off), the image it yields is blocked.
    unsafe = scenario.target.moderation_probe
    if not unsafe:
        pytest.skip(NO_MODERATION_TRIGGER)
    model = scenario.trained_model()
    accepted = expect(
        scenario.api.post(
            GEN,
            json={
                "tailored_model_id": model["id"],
                "prompt": unsafe,
                "prompt_content_moderation": False,
                "visual_output_content_moderation": True,
            },
        ),
        202,
        "generate.async-default",
        "an async generation whose output fails moderation",
    )
    final = scenario.wait_for(
        lambda: expect(
            scenario.api.get(f"/v2/status/{accepted['request_id']}"),
            200,
            "status.values",
            "polling a request that fails (ERROR is still HTTP 200)",
        ),
        lambda s: s.get("status") in ("COMPLETED", "ERROR", "UNKNOWN"),
        "the request to finish",
        step=5.0,
    )
    with rule("status.values"):
        assert final.get("status") == "ERROR", (
            f"a generation whose output fails moderation ends in ERROR, got {final!r}"
        )
        error = final.get("error")
        assert isinstance(error, dict), f"an ERROR status carries an `error` object: {final!r}"
        assert isinstance(error.get("code"), int) and not isinstance(error.get("code"), bool), (
            f"error.code is an integer: {error!r}"
        )
        for key in ("message", "details"):
            assert isinstance(error.get(key), str) and error[key], (
                f"error.{key} is a non-empty string: {error!r}"
            )
        assert final.get("request_id") == accepted["request_id"], final

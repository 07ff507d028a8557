"""Error body shapes."""

from __future__ import annotations

import pytest

from bria_conformance.scenario import P, Scenario, expect, rule


@pytest.mark.catalog("shape.error-envelope")
@pytest.mark.parametrize(
    "path", [f"{P}/projects/987654321", f"{P}/datasets/987654321", f"{P}/models/987654321"]
)
def test_not_found_uses_error_envelope(scenario: Scenario, path: str) -> None:
    payload = expect(
        scenario.api.get(path), 404, "shape.error-envelope", f"GET {path} (does not exist)"
    )
    with rule("shape.error-envelope"):
        assert isinstance(payload, dict) and isinstance(payload.get("error"), dict), (
            f"errors use {{'error': {{code, message, details}}, 'request_id'}}, got {payload!r}"
        )
        error = payload["error"]
        assert error.get("code") == 404, (
            f"error.code repeats the HTTP status, got {error.get('code')!r}"
        )
        assert isinstance(error.get("message"), str) and error["message"], error
        assert isinstance(error.get("details"), str), error
        assert isinstance(payload.get("request_id"), str) and payload["request_id"], payload

"""Answers the mock serves from the spec only make the rules they touch "not modelled" (skipped)."""

from __future__ import annotations

import httpx
import pytest
from bria_conformance.api import skip_if_not_modelled


def test_unmodelled_answer_skips_with_not_modelled() -> None:
    response = httpx.Response(200, headers={"X-Bria-Mock": "unimplemented"})
    with pytest.raises(pytest.skip.Exception, match="not modelled: the target serves POST /x"):
        skip_if_not_modelled(response.headers, "POST /x")
    # Schemathesis keeps a list of values per lower-case header name.
    with pytest.raises(pytest.skip.Exception, match="not modelled"):
        skip_if_not_modelled({"x-bria-mock": ["unimplemented"]}, "archive-project")


def test_modelled_answer_is_checked() -> None:
    skip_if_not_modelled(httpx.Response(200).headers, "GET /v1/tailored-gen/projects")
    skip_if_not_modelled({"x-bria-mock": ["something-else"]}, "op")

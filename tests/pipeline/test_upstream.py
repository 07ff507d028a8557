"""bria-build --upstream FILE reports what changed and vendors the new bundle (or refuses)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from bria_build import cli
from bria_build.layout import Layout


def test_upstream_change_is_reported_and_vendored_byte_for_byte(
    project_copy: Layout,
    upstream_bundle: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    new = copy.deepcopy(upstream_bundle)
    del new["paths"]["/tailored-gen/projects/{project_id}"]["delete"]
    new["paths"]["/tailored-gen/projects"]["get"]["parameters"].append(
        {"in": "query", "name": "page", "schema": {"type": "integer"}}
    )
    new["paths"]["/tailored-gen/hello"] = {
        "get": {
            "operationId": "hello",
            "servers": [{"url": "https://engine.prod.bria-api.com/v1"}],
            "responses": {"200": {"description": "ok"}},
        }
    }
    new_file = tmp_path / "new-bundle.json"
    new_file.write_text(json.dumps(new, indent=1))
    args = ["--root", str(project_copy.root), "--upstream", str(new_file), "--no-roundtrip"]
    code = cli.main(args)
    out = capsys.readouterr()
    assert "[compatible] hello GET /v1/tailored-gen/hello: endpoint-added" in out.out
    assert (
        "[BREAKING] delete-project DELETE /v1/tailored-gen/projects/{project_id}: endpoint-removed"
        in out.out
    )
    assert "request-parameter-added: query parameter page added (optional)" in out.out
    # A removed operation breaks callers: nothing is vendored unless accepted.
    assert code == cli.EXIT_BREAKING
    assert project_copy.upstream_bundle.read_bytes() != new_file.read_bytes()
    assert cli.main([*args, "--accept-breaking"]) == cli.EXIT_OK
    assert project_copy.upstream_bundle.read_bytes() == new_file.read_bytes()


def test_upstream_file_that_is_not_openapi_is_refused(
    project_copy: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"hello": 1}')
    before = project_copy.upstream_bundle.read_bytes()
    assert cli.main(["--root", str(project_copy.root), "--upstream", str(bogus)]) == cli.EXIT_INPUT
    assert "not an OpenAPI document" in capsys.readouterr().err
    assert project_copy.upstream_bundle.read_bytes() == before

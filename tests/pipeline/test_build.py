"""bria-build: overlays, drift, determinism and the --check mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from bria_build import cli
from bria_build.errors import BuildError
from bria_build.layout import Layout
from bria_build.outputs import compare_outputs
from bria_build.overlay import load_overlay
from bria_build.pipeline import BuildOutput, GeneratorProcess
from provenance import documented_operations

# One fresh build (the `warm` fixture) serves both modules, on one worker.
pytestmark = pytest.mark.xdist_group("fresh-build")


def write_overlay(layout: Layout, name: str, actions: list[dict[str, object]]) -> Path:
    path = layout.overlays_dir / name
    doc = {"overlay": "1.0.0", "info": {"title": "test", "version": "1"}, "actions": actions}
    path.write_text(yaml.safe_dump(doc))
    return path


def test_dead_overlay_target_fails_the_build_and_is_named(
    project_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    write_overlay(
        project_copy,
        "99-drift.yaml",
        [{"target": "$.paths['/v1/tailored-gen/gone']", "remove": True, "description": "gone op"}],
    )
    assert cli.main(["--root", str(project_copy.root), "--check"]) == cli.EXIT_DRIFT
    err = capsys.readouterr().err
    # named by file:line (safe_dump writes `actions:` on line 1, the first entry on line 2)
    assert "99-drift.yaml:2:" in err
    assert "/v1/tailored-gen/gone" in err
    assert cli.main(["--root", str(project_copy.root)]) == cli.EXIT_DRIFT


def test_action_without_description_is_refused(project_copy: Layout) -> None:
    path = write_overlay(project_copy, "98-bad.yaml", [{"target": "$.info", "update": {"x": 1}}])
    with pytest.raises(BuildError, match="needs a description"):
        load_overlay(path)


def test_overlay_not_matching_the_overlay_schema_is_refused(project_copy: Layout) -> None:
    path = project_copy.overlays_dir / "97-bad.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "overlay": "2.0.0",
                "info": {"title": "t", "version": "1"},
                "actions": [{"target": "$", "remove": True}],
            }
        )
    )
    with pytest.raises(BuildError, match=r"not a valid Overlay 1\.0 document at overlay"):
        load_overlay(path)


def test_non_rfc9535_target_is_refused(project_copy: Layout) -> None:
    path = write_overlay(
        project_copy,
        "96-bad.yaml",
        [
            {
                "target": "$.paths[(@.length-1)]",
                "remove": True,
                "description": "script expression, not RFC 9535",
            }
        ],
    )
    with pytest.raises(BuildError, match="not RFC 9535 JSONPath"):
        load_overlay(path)


def test_an_invalid_spec_fails_the_build_although_the_client_was_being_generated(
    project_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    # The client is generated while the spec is validated; a failed validation still wins.
    write_overlay(
        project_copy,
        "99-invalid.yaml",
        [{"target": "$.paths['/v1/tailored-gen/projects'].post.responses", "update": {"x": 1},
          "description": "a response code that is not one"}],
    )  # fmt: skip
    before = project_copy.normalized_spec.read_bytes()
    code = cli.main(["--root", str(project_copy.root), "--no-cache", "-q"])
    assert code == cli.EXIT_INPUT
    assert "normalized spec is not valid OpenAPI" in capsys.readouterr().err
    assert project_copy.normalized_spec.read_bytes() == before


def test_a_fresh_build_reproduces_the_committed_outputs_byte_for_byte(
    project_copy: Layout, warm: tuple[Path, BuildOutput]
) -> None:
    # Built afresh (a cache hit would compare a copy with itself) and held against files an
    # earlier build wrote, in another process and usually on another machine.
    fresh = warm[1]
    assert not fresh.cached
    assert compare_outputs(project_copy, fresh.files) == []
    assert fresh.operations == documented_operations()


def test_check_passes_on_the_committed_outputs(project_copy: Layout) -> None:
    assert cli.main(["--root", str(project_copy.root), "--check", "-q"]) == cli.EXIT_OK


def test_check_names_a_hand_edited_generated_file(
    project_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    target = project_copy.package_dir / "api" / "model" / "get_model.py"
    target.write_text(target.read_text() + "\n# tweak\n")
    extra = project_copy.package_dir / "models" / "handmade.py"
    extra.write_text("X = 1\n")
    assert cli.main(["--root", str(project_copy.root), "--check"]) == cli.EXIT_STALE
    err = capsys.readouterr().err
    assert "generated/bria_tailored/api/model/get_model.py: stale or edited by hand" in err
    assert "generated/bria_tailored/models/handmade.py: not produced by the build" in err


def test_check_names_a_stale_normalized_spec(
    project_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = json.loads(project_copy.normalized_spec.read_text())
    spec["info"]["title"] = "edited"
    project_copy.normalized_spec.write_text(json.dumps(spec, indent=2) + "\n")
    assert cli.main(["--root", str(project_copy.root), "--check"]) == cli.EXIT_STALE
    assert "spec/bria-tailored.openapi.json: stale" in capsys.readouterr().err


def test_check_and_build_leave_the_hand_owned_runtime_alone(project_copy: Layout) -> None:
    added = project_copy.runtime_dir / "added.py"
    added.write_text('"""A new runtime module."""\n')
    edited = project_copy.runtime_dir / "client.py"
    edited.write_text(edited.read_text() + "# a local edit\n")
    assert cli.main(["--root", str(project_copy.root), "--check", "-q"]) == cli.EXIT_OK
    assert cli.main(["--root", str(project_copy.root), "-q"]) == cli.EXIT_OK
    assert added.exists()
    assert edited.read_text().endswith("# a local edit\n")
    assert cli.main(["--root", str(project_copy.root), "--check", "-q"]) == cli.EXIT_OK


def test_build_removes_generated_modules_it_no_longer_produces(project_copy: Layout) -> None:
    stale = project_copy.package_dir / "api" / "model" / "removed_operation.py"
    stale.write_text("X = 1\n")
    assert cli.main(["--root", str(project_copy.root), "-q"]) == cli.EXIT_OK
    assert not stale.exists()
    assert (project_copy.package_dir / "api" / "model" / "get_model.py").exists()


def test_not_a_project_root_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--root", str(tmp_path), "--check"]) == cli.EXIT_INPUT
    assert "does not look like the project root" in capsys.readouterr().err


def test_a_generator_failure_fails_the_build_naming_the_generator(
    project_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    template = project_copy.templates_dir / "str_enum.py.jinja"
    template.write_text(template.read_text() + "\n{% if %}\n")
    before = project_copy.normalized_spec.read_bytes()
    code = cli.main(["--root", str(project_copy.root), "--no-cache", "-q"])
    assert code == cli.EXIT_INPUT
    assert "openapi-python-client failed (exit 1)" in capsys.readouterr().err
    assert project_copy.normalized_spec.read_bytes() == before


def test_a_generator_started_for_a_build_that_needs_none_is_stopped(
    project_copy: Layout,
) -> None:
    # Started before the spec exists; a build that ends without a client (drift, an invalid
    # spec, a cached package) stops it and removes its folder.
    process = GeneratorProcess(project_copy)
    process.close()
    assert process.returncode is not None
    assert not process.work.exists()

"""``bria-build --upstream`` writes every output and the vendored files together, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bria_build import cli, upstream
from bria_build.layout import Layout
from upgrade_helpers import tree_digest, write_candidate


def _upgrade(layout: Layout, candidate: Path, *flags: str) -> int:
    return cli.main(["--root", str(layout.root), "--upstream", str(candidate), *flags])


@pytest.mark.matrix
def test_compatible_upgrade_writes_everything_and_then_checks_clean(
    fresh_copy: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate = write_candidate(fresh_copy, "new-operation", tmp_path)
    assert _upgrade(fresh_copy, candidate, "--no-roundtrip") == cli.EXIT_OK
    assert "upgrade written" in capsys.readouterr().out
    assert fresh_copy.upstream_bundle.read_bytes() == candidate.read_bytes()
    assert (fresh_copy.package_dir / "api" / "project" / "archive_project.py").is_file()
    assert "/v1/tailored-gen/projects/{project_id}/archive" in (
        fresh_copy.normalized_spec.read_text(encoding="utf-8")
    )
    assert cli.main(["--root", str(fresh_copy.root), "--check"]) == cli.EXIT_OK
    # Adopting the same file again finds nothing.
    assert _upgrade(fresh_copy, candidate, "--dry-run", "--no-roundtrip") == cli.EXIT_OK
    assert ": 0 change(s), 0 breaking" in capsys.readouterr().out


def test_breaking_upgrade_writes_nothing_unless_accepted(
    fresh_copy: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate = write_candidate(fresh_copy, "removed-response-field", tmp_path)
    before = tree_digest(fresh_copy.root)
    assert _upgrade(fresh_copy, candidate, "--no-roundtrip") == cli.EXIT_BREAKING
    assert "nothing written (exit 4)" in capsys.readouterr().err
    assert tree_digest(fresh_copy.root) == before
    changelog_before = fresh_copy.changelog.read_text(encoding="utf-8")
    assert _upgrade(fresh_copy, candidate, "--no-roundtrip", "--accept-breaking") == cli.EXIT_OK
    assert fresh_copy.upstream_bundle.read_bytes() == candidate.read_bytes()
    assert cli.main(["--root", str(fresh_copy.root), "--check"]) == cli.EXIT_OK
    # The client's changelog gains the upgrade's summary as its newest entry, above the old ones.
    changelog = fresh_copy.changelog.read_text(encoding="utf-8")
    newest = changelog.split("\n## ")[1]
    assert newest.startswith("0.2.0 (") and "upstream update" in newest.splitlines()[0]
    assert "Adopted removed-response-field.openapi.json with `bria-build --upstream`" in newest
    upstream, breaking = newest.split("### Breaking for `bria_tailored` users")
    assert "### What changed upstream" in upstream and "[BREAKING]" in upstream
    assert breaking.strip().startswith("- ") and "nothing:" not in breaking
    assert changelog.endswith(changelog_before.split("\n## ", 1)[1])


def test_drift_is_not_overridden_by_accept_breaking(
    fresh_copy: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate = write_candidate(fresh_copy, "rename", tmp_path)
    before = tree_digest(fresh_copy.root)
    code = _upgrade(fresh_copy, candidate, "--no-roundtrip", "--accept-breaking")
    assert code == cli.EXIT_DRIFT
    assert "overlays/70-constraints.yaml:" in capsys.readouterr().out
    assert tree_digest(fresh_copy.root) == before


def test_a_failed_write_restores_every_file(
    fresh_copy: Layout,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    candidate = write_candidate(fresh_copy, "new-operation", tmp_path)
    before = tree_digest(fresh_copy.root)
    real_write = upstream.write_outputs

    def write_then_fail(layout: Layout, files: dict[str, bytes]) -> None:
        real_write(layout, files)  # the generated package and the spec are replaced ...
        raise OSError("disk full")  # ... then writing the vendored bundle fails

    monkeypatch.setattr(upstream, "write_outputs", write_then_fail)
    assert _upgrade(fresh_copy, candidate, "--no-roundtrip") == cli.EXIT_INPUT
    assert "every file was restored" in capsys.readouterr().err
    assert tree_digest(fresh_copy.root) == before


def test_upgrade_only_flags_need_upstream(
    fresh_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--root", str(fresh_copy.root), "--dry-run"]) == cli.EXIT_INPUT
    assert "--dry-run only make(s) sense with --upstream FILE" in capsys.readouterr().err


def test_a_compatible_upgrade_is_summarized_as_breaking_nothing() -> None:
    from bria_build.changes import HTTP, OURS, Change
    from bria_build.pipeline import BuildOutput
    from bria_build.report import add_changelog_entry, changelog_entry

    upgrade = upstream.Upgrade(Path("new.openapi.json"), None, BuildOutput())
    upgrade.changes = [
        Change(
            HTTP,
            "POST /v1/tailored-gen/projects/{project_id}/archive",
            "endpoint-added",
            "new",
            False,
        ),
        Change(OURS, "round trip", "roundtrip-ok", "fine", False),
    ]
    entry = changelog_entry(upgrade, version="0.3.0", day="2026-12-07")
    assert entry.startswith("## 0.3.0 (2026-12-07): upstream update\n")
    assert (
        "- [compatible] POST /v1/tailored-gen/projects/{project_id}/archive: endpoint-added"
        in entry
    )
    assert entry.rstrip().endswith(
        "- nothing: code written against the previous version keeps working"
    )
    old = "# Changelog\n\nIntro.\n\n## 0.2.0\n\n- first\n"
    assert (
        add_changelog_entry(old, entry)
        == f"# Changelog\n\nIntro.\n\n{entry}\n## 0.2.0\n\n- first\n"
    )
    assert add_changelog_entry("# Changelog\n", entry) == f"# Changelog\n\n{entry}"

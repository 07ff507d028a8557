"""Regenerate All Captions is asynchronous."""

from __future__ import annotations

import json

import pytest

from bria_conformance import readback
from bria_conformance.scenario import P, Scenario, expect, is_json_text, rule


@pytest.mark.catalog("captions.regenerate-all-async")
def test_regenerate_all_captions_runs_async(scenario: Scenario) -> None:
    ds = scenario.dataset()
    expect(
        scenario.api.put(
            f"{P}/datasets/{ds['id']}", json={"visual_schema": json.dumps({"style": "flat"})}
        ),
        200,
        "dataset.completed-freezes-visual-schema",
        "setting a visual schema on a draft",
    )
    scenario.fill(ds["id"], 3)
    expect(
        scenario.api.put(
            f"{P}/datasets/{ds['id']}", json={"visual_schema": json.dumps({"style": "watercolour"})}
        ),
        200,
        "dataset.completed-freezes-visual-schema",
        "changing the visual schema of a draft",
    )
    started = expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}/images"),
        202,
        "captions.regenerate-all-async",
        "regenerating all captions",
    )
    seen = [started.get("captions_update_status") if isinstance(started, dict) else None]

    def probe() -> dict[str, object]:
        dataset = expect(
            scenario.api.get(f"{P}/datasets/{ds['id']}"),
            200,
            "captions.regenerate-all-async",
            "polling the dataset",
        )
        seen.append(dataset.get("captions_update_status"))
        return dict(dataset)

    probe()  # the first read, before any time passes
    final = scenario.wait_for(
        probe,
        lambda d: d.get("captions_update_status") == "completed",
        "caption regeneration to complete",
        step=60.0,
    )
    with rule("captions.regenerate-all-async"):
        assert set(seen) <= {"in_progress", "completed"}, (
            f"a regeneration reads in_progress, then completed; the dataset showed {seen}"
        )
        assert seen == sorted(seen, key=lambda s: s == "completed"), (
            f"completed never goes back to in_progress: {seen}"
        )
        if scenario.target.controls:
            # No time has passed between the 202 and the first read: the work cannot be done yet.
            assert seen[0] == "in_progress" and seen[1] == "in_progress", (
                "an asynchronous regeneration is seen in_progress before any time passes "
                f"(answer, then the first read), got {seen[:2]}"
            )
        assert final["captions_update_status"] == "completed"
    # Completed is final: later reads, the dataset's own and both dataset lists, still say so.
    scenario.advance(3600)
    readback.shows(
        scenario,
        "dataset",
        ds,
        "captions.regenerate-all-async",
        {"captions_update_status": "completed"},
    )
    images = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        "captions.regenerate-all-async",
        "listing the regenerated images",
    )
    with rule("captions.regenerate-all-async"):
        assert isinstance(images, list) and len(images) == 3, f"3 images expected: {images!r}"
        for image in images:
            assert is_json_text(image.get("caption")), (
                f"every image has a JSON caption afterwards: {image!r}"
            )
            assert image.get("caption_source") == "automatic", (
                f"a regenerated caption is automatic: {image!r}"
            )

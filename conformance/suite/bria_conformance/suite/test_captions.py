"""Regenerate All Captions is asynchronous."""

from __future__ import annotations

import json

import pytest

from bria_conformance.scenario import P, Scenario, expect, rule


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
    with rule("captions.regenerate-all-async"):
        assert started.get("captions_update_status") in ("in_progress", "completed"), (
            "a started regeneration reports in_progress (or already completed), got "
            f"{started.get('captions_update_status')!r}"
        )
    final = scenario.wait_for(
        lambda: expect(
            scenario.api.get(f"{P}/datasets/{ds['id']}"),
            200,
            "captions.regenerate-all-async",
            "polling",
        ),
        lambda d: d.get("captions_update_status") == "completed",
        "caption regeneration to complete",
        step=60.0,
    )
    with rule("captions.regenerate-all-async"):
        assert final["captions_update_status"] == "completed"
        captions = [i.get("caption") for i in final.get("images", [])]
        assert all(isinstance(c, str) and c for c in captions), (
            f"every image has a caption afterwards: {captions!r}"
        )

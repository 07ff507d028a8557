"""Datasets: creation, completion and what it freezes, clone, delete, download, query flags."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bria_conformance import readback
from bria_conformance.api import body
from bria_conformance.scenario import P, Scenario, expect, is_timestamp, rule

from .test_training import fetch_bytes


@pytest.mark.catalog("dataset.required-fields")
@pytest.mark.parametrize("missing", ["project_id", "name"])
def test_create_dataset_requires_fields(scenario: Scenario, missing: str) -> None:
    project = scenario.project()
    payload = {"project_id": project["id"], "name": scenario.name("dataset")}
    del payload[missing]
    expect(
        scenario.api.post(f"{P}/datasets", json=payload),
        400,
        "dataset.required-fields",
        f"creating a dataset without {missing}",
    )


@pytest.mark.catalog("dataset.unknown-project")
def test_create_dataset_in_unknown_project(scenario: Scenario) -> None:
    project = scenario.project()
    expect(
        scenario.api.delete(f"{P}/projects/{project['id']}"),
        204,
        "project.deleted-is-gone",
        "deleting a project",
    )
    response = scenario.api.post(
        f"{P}/datasets", json={"project_id": project["id"], "name": scenario.name("dataset")}
    )
    expect(response, 404, "dataset.unknown-project", "creating a dataset in a deleted project")


@pytest.mark.catalog("dataset.created-draft")
def test_new_dataset_is_draft_basic(scenario: Scenario) -> None:
    ds = scenario.dataset()
    with rule("dataset.created-draft"):
        assert ds.get("status") == "draft", f"a new dataset is a draft, got {ds.get('status')!r}"
        assert ds.get("upload_type") == "basic", (
            f"upload_type defaults to basic, got {ds.get('upload_type')!r}"
        )
        assert ds.get("captions_update_status") == "empty", (
            "a new dataset has no captions yet: captions_update_status is 'empty', "
            f"got {ds.get('captions_update_status')!r}"
        )
        assert "visual_schema" in ds and ds["visual_schema"] is None, (
            "a dataset created without a visual schema reads visual_schema: null, "
            f"got {ds.get('visual_schema', '<absent>')!r}"
        )
        for key in ("created_at", "updated_at"):
            assert is_timestamp(ds.get(key)), f"a new dataset carries {key}, got {ds.get(key)!r}"
    # Its own read, the dataset list and its project's list show the same new dataset.
    keys = ("status", "upload_type", "captions_update_status", "name", "project_id")
    readback.shows(scenario, "dataset", ds, "dataset.created-draft", {k: ds.get(k) for k in keys})
    advanced = scenario.dataset(upload_type="advanced")
    with rule("dataset.created-draft"):
        assert advanced.get("upload_type") == "advanced" and advanced.get("status") == "draft", (
            advanced
        )


@pytest.mark.catalog("dataset.completion-min-images")
def test_completion_needs_minimum_images(scenario: Scenario) -> None:
    need = scenario.target.completion_min_images
    ds = scenario.dataset()
    scenario.set_visual_schema(ds["id"])
    if need > 1:
        scenario.fill(ds["id"], need - 1)
    refused = scenario.api.put(f"{P}/datasets/{ds['id']}", json={"status": "completed"})
    expect(
        refused,
        409,
        "dataset.completion-min-images",
        f"completing a dataset with {need - 1} images",
    )
    # A refused completion leaves it draft in its own read and both dataset lists.
    readback.shows(scenario, "dataset", ds, "dataset.completion-min-images", {"status": "draft"})
    scenario.fill(ds["id"], 1, start=need)
    done = expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}", json={"status": "completed"}),
        200,
        "dataset.completion-min-images",
        f"completing a dataset with {need} images",
    )
    with rule("dataset.completion-min-images"):
        assert done["status"] == "completed", done


@pytest.mark.catalog("dataset.completion-needs-visual-schema")
def test_completion_needs_visual_schema(scenario: Scenario) -> None:
    ds = scenario.dataset()
    scenario.fill(ds["id"], scenario.target.completion_min_images)
    expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}", json={"status": "completed"}),
        {400, 409, 412},
        "dataset.completion-needs-visual-schema",
        "completing a dataset that has no visual schema",
    )
    readback.shows(
        scenario, "dataset", ds, "dataset.completion-needs-visual-schema", {"status": "draft"}
    )
    # The documented way on: set the schema, regenerate the captions, then complete.
    scenario.set_visual_schema(ds["id"])
    expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}/images"),
        202,
        "captions.regenerate-all-async",
        "regenerating all captions after setting the schema",
    )
    scenario.wait_for(
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
    expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}", json={"status": "completed"}),
        200,
        "dataset.completion-needs-visual-schema",
        "completing it once it has a visual schema and captions",
    )


def _completed_with_image(scenario: Scenario) -> tuple[dict[str, Any], int]:
    ds = scenario.completed_dataset()
    images = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        "op.get-images.responses",
        "listing images",
    )
    return ds, int(images[0]["id"])


@pytest.mark.catalog("dataset.completed-freezes-uploads")
def test_completed_dataset_refuses_uploads(scenario: Scenario) -> None:
    ds, _ = _completed_with_image(scenario)
    before = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}"),
        200,
        "dataset.completed-freezes-uploads",
        "reading it",
    )
    expect(
        scenario.upload(int(ds["id"]), 1024, 1024, "png", shade=50),
        409,
        "dataset.completed-freezes-uploads",
        "uploading to a completed dataset",
    )
    after = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}"),
        200,
        "dataset.completed-freezes-uploads",
        "reading it",
    )
    listed = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        "dataset.completed-freezes-uploads",
        "listing its images",
    )
    with rule("dataset.completed-freezes-uploads"):
        assert after.get("images_count") == before.get("images_count"), (
            f"a refused upload changed images_count from {before.get('images_count')} "
            f"to {after.get('images_count')}"
        )
        assert len(listed) == before.get("images_count"), (
            f"a refused upload added an image: {len(listed)} listed, "
            f"images_count was {before.get('images_count')}"
        )
    # Both dataset lists count what the dataset's own read counts.
    readback.shows(
        scenario,
        "dataset",
        ds,
        "dataset.completed-freezes-uploads",
        {"images_count": before.get("images_count")},
    )


@pytest.mark.catalog("dataset.completed-freezes-deletions")
def test_completed_dataset_refuses_image_deletion(scenario: Scenario) -> None:
    ds, image_id = _completed_with_image(scenario)
    path = f"{P}/datasets/{ds['id']}/images/{image_id}"
    expect(
        scenario.api.delete(path),
        409,
        "dataset.completed-freezes-deletions",
        "deleting an image of a completed dataset",
    )
    # The image is still readable, listed, and counted.
    image = {"id": image_id, "dataset_id": ds["id"]}
    readback.views(scenario, "image", image, "dataset.completed-freezes-deletions")
    readback.shows(
        scenario,
        "dataset",
        ds,
        "dataset.completed-freezes-deletions",
        {"images_count": scenario.target.completion_min_images},
    )


@pytest.mark.catalog("dataset.completed-freezes-captions")
def test_completed_dataset_refuses_caption_edits(scenario: Scenario) -> None:
    ds, image_id = _completed_with_image(scenario)
    path = f"{P}/datasets/{ds['id']}/images/{image_id}"
    before = expect(
        scenario.api.get(path), 200, "dataset.completed-freezes-captions", "reading the image"
    )
    expect(
        scenario.api.put(path, json={"caption": json.dumps({"subject": "edited"})}),
        409,
        "dataset.completed-freezes-captions",
        "editing a caption in a completed dataset",
    )
    expect(
        scenario.api.put(path, json={"regenerate_caption": True}),
        409,
        "dataset.completed-freezes-captions",
        "regenerating a caption in a completed dataset",
    )
    # The caption is unchanged in the image's own read and in the image list.
    readback.shows(
        scenario,
        "image",
        {"id": image_id, "dataset_id": ds["id"]},
        "dataset.completed-freezes-captions",
        {"caption": before.get("caption")},
    )


def _schema_not_stored(scenario: Scenario, ds: dict[str, Any], refused: str, entry: str) -> None:
    """A refused visual_schema shows nowhere: the dataset's own read and both dataset lists."""
    for route, view in readback.views(scenario, "dataset", ds, entry).items():
        with rule(entry):
            assert view.get("visual_schema") != refused, (
                f"GET {route} shows the refused visual_schema {refused!r}"
            )


@pytest.mark.catalog("dataset.completed-freezes-visual-schema")
def test_completed_dataset_refuses_visual_schema_change(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    new_schema = json.dumps({"style": "changed after completion"})
    expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}", json={"visual_schema": new_schema}),
        409,
        "dataset.completed-freezes-visual-schema",
        "changing visual_schema of a completed dataset",
    )
    _schema_not_stored(scenario, ds, new_schema, "dataset.completed-freezes-visual-schema")
    draft = scenario.dataset()
    expect(
        scenario.api.put(f"{P}/datasets/{draft['id']}", json={"visual_schema": new_schema}),
        200,
        "dataset.completed-freezes-visual-schema",
        "changing visual_schema of a draft dataset",
    )


@pytest.mark.catalog("dataset.clone-as-draft")
def test_clone_is_draft_copy(scenario: Scenario) -> None:
    schema_text = json.dumps({"style": "flat", "colors": "blue"})
    source = scenario.dataset()
    scenario.set_visual_schema(source["id"], text=schema_text)
    scenario.fill(source["id"], scenario.target.completion_min_images)
    scenario.complete(source["id"])
    clone = expect(
        scenario.api.post(f"{P}/datasets/{source['id']}/clone", json={}),
        201,
        "dataset.clone-as-draft",
        "cloning a completed dataset",
    )
    src_after = expect(
        scenario.api.get(f"{P}/datasets/{source['id']}"),
        200,
        "dataset.clone-as-draft",
        "reading the source",
    )
    clone_read = expect(
        scenario.api.get(f"{P}/datasets/{clone['id']}"),
        200,
        "dataset.clone-as-draft",
        "reading the clone",
    )
    with rule("dataset.clone-as-draft"):
        assert clone["id"] != source["id"], "a clone is a new dataset"
        assert clone_read["status"] == "draft", f"a clone is a draft, got {clone_read['status']!r}"
        assert clone_read["project_id"] == source["project_id"], (
            "a clone stays in the source's project"
        )
        assert clone_read.get("visual_schema") == schema_text, "a clone inherits the visual_schema"
        assert clone_read.get("images_count") == src_after.get("images_count"), (
            "a clone has the source's images"
        )
        assert clone_read.get("name") == f"Copy of {source['name']}", (
            f"the default clone name is 'Copy of <name>', got {clone_read.get('name')!r}"
        )
        assert src_after["status"] == "completed", "cloning must not change the source"
    # The source is unchanged in its own read and both dataset lists.
    readback.shows(
        scenario,
        "dataset",
        source,
        "dataset.clone-as-draft",
        {"status": "completed", "images_count": scenario.target.completion_min_images},
    )
    clone_images = expect(
        scenario.api.get(f"{P}/datasets/{clone['id']}/images"),
        200,
        "dataset.clone-as-draft",
        "listing the clone's images",
    )
    with rule("dataset.clone-as-draft"):
        assert len(clone_images) == src_after.get("images_count"), (
            f"a clone lists the source's {src_after.get('images_count')} images, "
            f"it lists {len(clone_images)}"
        )
    readback.views(scenario, "dataset", clone_read, "dataset.clone-as-draft")
    named = expect(
        scenario.api.post(f"{P}/datasets/{source['id']}/clone", json={"name": "second"}),
        201,
        "dataset.clone-as-draft",
        "cloning with a name",
    )
    with rule("dataset.clone-as-draft"):
        assert named.get("name") == "second", (
            f"a given clone name is used, got {named.get('name')!r}"
        )


@pytest.mark.catalog("dataset.delete-removes-images")
def test_dataset_delete_removes_images(scenario: Scenario) -> None:
    ds = scenario.dataset()
    image = expect(
        scenario.upload(ds["id"], 256, 256, "jpg"),
        201,
        "image.min-resolution",
        "uploading an image",
    )
    expect(
        scenario.api.delete(f"{P}/datasets/{ds['id']}"),
        204,
        "dataset.delete-removes-images",
        "deleting a dataset",
    )
    readback.gone(scenario, "dataset", ds, "dataset.delete-removes-images")
    expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images/{image['id']}"),
        404,
        "dataset.delete-removes-images",
        "an image of the deleted dataset",
    )
    # Get Images of a dataset that no longer exists: "404 Dataset not found".
    expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        404,
        "dataset.delete-removes-images",
        "listing the images of the deleted dataset",
    )


@pytest.mark.spends(trainings=1)
@pytest.mark.catalog("dataset.delete-blocked-while-training")
def test_dataset_delete_blocked_while_training(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    model = scenario.model(ds["id"])
    expect(scenario.start(model["id"]), 200, "training.starts-in-progress", "starting a training")
    expect(
        scenario.api.delete(f"{P}/datasets/{ds['id']}"),
        409,
        "dataset.delete-blocked-while-training",
        "deleting a dataset used by a training",
    )
    after = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}"),
        200,
        "dataset.delete-blocked-while-training",
        "the dataset after a refused delete",
    )
    training = scenario.get_model(model["id"])
    kept = scenario.target.completion_min_images
    with rule("dataset.delete-blocked-while-training"):
        assert after.get("images_count") == kept, (
            f"a refused delete keeps the {kept} images, images_count reads "
            f"{after.get('images_count')!r}"
        )
        assert training.get("status") == "InProgress", (
            f"a refused dataset delete leaves the training running: {training.get('status')!r}"
        )
    # Every route still shows the dataset with its images, and the model training.
    entry = "dataset.delete-blocked-while-training"
    readback.shows(scenario, "dataset", ds, entry, {"images_count": kept})
    images = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"), 200, entry, "listing its images"
    )
    with rule(entry):
        assert isinstance(images, list) and len(images) == kept, (
            f"a refused delete keeps the {kept} images listed, the list holds {images!r}"
        )
    readback.shows(scenario, "model", model, entry, {"status": "InProgress"})


@pytest.mark.catalog("dataset.images-count")
def test_images_count_follows_each_datasets_own_uploads(scenario: Scenario) -> None:
    """An image belongs to the dataset it was uploaded to: that dataset lists and counts it,
    every other one (in the same project or another) neither lists nor counts it."""
    project = scenario.project()
    first, sibling = scenario.dataset(project["id"]), scenario.dataset(project["id"])
    stranger = scenario.dataset()  # in another project
    scenario.fill(first["id"], 2)
    scenario.fill(sibling["id"], 1, start=2)
    for ds, count in ((first, 2), (sibling, 1), (stranger, 0)):
        listed = expect(
            scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
            200,
            "dataset.images-count",
            f"listing the images of dataset {ds['id']}",
        )
        with rule("dataset.images-count"):
            assert isinstance(listed, list) and len(listed) == count, (
                f"dataset {ds['id']} was given {count} images and must list exactly those, "
                f"it lists {listed!r}"
            )
            foreign = [i.get("id") for i in listed if i.get("dataset_id") != ds["id"]]
            assert not foreign, f"dataset {ds['id']} lists images of another dataset: {foreign}"
        # Its own read and both dataset lists count what it lists.
        readback.shows(scenario, "dataset", ds, "dataset.images-count", {"images_count": count})


@pytest.mark.catalog("dataset.max-images-query")
def test_max_images_query_limits_images(scenario: Scenario) -> None:
    ds = scenario.dataset()
    scenario.fill(ds["id"], 3)
    limited = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}", params={"max_images": 2}),
        200,
        "dataset.max-images-query",
        "reading a dataset with max_images=2",
    )
    with rule("dataset.max-images-query"):
        assert len(limited.get("images") or []) <= 2, (
            f"max_images=2 returned {len(limited.get('images') or [])} images"
        )
    full = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}"), 200, "dataset.max-images-query", "reading it"
    )
    with rule("dataset.max-images-query"):
        assert len(full.get("images") or []) == 3, (
            "without max_images (default 200) all 3 images are embedded"
        )
    for bad in (0, 201):
        expect(
            scenario.api.get(f"{P}/datasets/{ds['id']}", params={"max_images": bad}),
            400,
            "dataset.max-images-query",
            f"max_images={bad}",
        )


@pytest.mark.catalog("project.children-lists")
def test_project_children_lists(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    other_ds = scenario.dataset()  # in another project
    model = scenario.model(ds["id"])
    datasets = expect(
        scenario.api.get(f"{P}/projects/{ds['project_id']}/datasets"),
        200,
        "project.children-lists",
        "listing a project's datasets",
    )
    models = expect(
        scenario.api.get(f"{P}/projects/{ds['project_id']}/models"),
        200,
        "project.children-lists",
        "listing a project's models",
    )
    with rule("project.children-lists"):
        assert {d["id"] for d in datasets} == {ds["id"]}, (
            f"project datasets: {[d['id'] for d in datasets]}"
        )
        assert other_ds["id"] not in {d["id"] for d in datasets}
        assert {m["id"] for m in models} == {model["id"]}, (
            f"project models: {[m['id'] for m in models]}"
        )
    gone = scenario.project()
    expect(
        scenario.api.delete(f"{P}/projects/{gone['id']}"),
        204,
        "project.deleted-is-gone",
        "deleting a project",
    )
    expect(
        scenario.api.get(f"{P}/projects/{gone['id']}/datasets"),
        404,
        "project.children-lists",
        "datasets of an unknown project",
    )
    expect(
        scenario.api.get(f"{P}/projects/{gone['id']}/models"),
        404,
        "project.children-lists",
        "models of an unknown project",
    )


@pytest.mark.catalog("dataset.include-models-flags")
def test_include_models_flags(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    model = scenario.model(ds["id"])
    path = f"{P}/projects/{ds['project_id']}/datasets"
    plain = expect(scenario.api.get(path), 200, "dataset.include-models-flags", "listing datasets")
    with_models = expect(
        scenario.api.get(path, params={"include_models": "true"}),
        200,
        "dataset.include-models-flags",
        "listing with include_models=true",
    )
    with_ids = expect(
        scenario.api.get(path, params={"include_models_ids": "true"}),
        200,
        "dataset.include-models-flags",
        "listing with include_models_ids=true",
    )
    with rule("dataset.include-models-flags"):
        assert "models" not in plain[0] and "model_ids" not in plain[0], (
            f"flags off must omit models: {plain[0]!r}"
        )
        assert [m["id"] for m in with_models[0].get("models", [])] == [model["id"]], with_models[0]
        assert [str(i) for i in with_ids[0].get("model_ids", [])] == [str(model["id"])], with_ids[0]


@pytest.mark.catalog("dataset.download-advanced-only", "shape.documented-routes")
def test_download_requires_advanced_dataset(scenario: Scenario) -> None:
    basic = scenario.dataset()
    expect(
        scenario.api.get(f"/v1/datasets/{basic['id']}/download"),
        409,
        "dataset.download-advanced-only",
        "downloading a basic dataset",
    )
    advanced = scenario.dataset(upload_type="advanced")
    response = scenario.api.get(f"/v1/datasets/{advanced['id']}/download")
    if response.status_code == 404:
        with rule("shape.documented-routes"):
            raise AssertionError(
                f"GET /v1/datasets/{advanced['id']}/download answered 404 for an existing "
                "advanced dataset; "
                f"the documented route has no /tailored-gen prefix: {body(response)!r}"
            )
    result = expect(
        response, 200, "dataset.download-advanced-only", "downloading an advanced dataset"
    )
    with rule("dataset.download-advanced-only"):
        assert isinstance(result.get("download_url"), str) and result["download_url"], result
        # No document names the archive format, so any non-empty download is the dataset.
        archive = fetch_bytes(scenario, result["download_url"])
        assert archive, "the download_url serves the dataset, got an empty body"


@pytest.mark.catalog("dataset.visual-schema-json")
@pytest.mark.parametrize("text", ["flat vector style", "{not json"])
def test_visual_schema_must_be_json(scenario: Scenario, text: str) -> None:
    ds = scenario.dataset()
    expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}", json={"visual_schema": text}),
        400,
        "dataset.visual-schema-json",
        f"setting the non-JSON visual_schema {text!r}",
    )
    _schema_not_stored(scenario, ds, text, "dataset.visual-schema-json")

"""Projects: required fields, IP type rules, updates, cascade delete."""

from __future__ import annotations

import pytest

from bria_conformance import readback
from bria_conformance.scenario import P, Scenario, expect, is_timestamp, rule

VALID = {"project_name": "p", "ip_medium": "illustration", "ip_type": "multi_object_set"}
ILLUSTRATION_ONLY = ["object_variants", "multi_object_set", "icons", "character_variants"]


@pytest.mark.catalog("shape.empty-lists")
@pytest.mark.parametrize("path", [f"{P}/projects", f"{P}/datasets", f"{P}/models"])
def test_lists_start_empty(scenario: Scenario, path: str) -> None:
    if scenario.target.is_live:
        pytest.skip("a live account is not empty; the rule is checked on a fresh mock")
    listed = expect(
        scenario.api.get(path), 200, "shape.empty-lists", f"listing {path} with nothing created"
    )
    with rule("shape.empty-lists"):
        assert listed == [], (
            f"GET {path} must answer an empty JSON array when there is nothing, got {listed!r}"
        )


@pytest.mark.catalog("project.required-fields")
@pytest.mark.parametrize("missing", ["project_name", "ip_medium", "ip_type"])
def test_create_project_requires_documented_fields(scenario: Scenario, missing: str) -> None:
    payload = {**VALID, "project_name": scenario.name("project")}
    del payload[missing]
    response = scenario.api.post(f"{P}/projects", json=payload)
    if response.status_code == 201:
        scenario.created_projects.append((scenario.api, response.json()["id"]))
    expect(response, 400, "project.required-fields", f"creating a project without {missing}")


@pytest.mark.catalog("project.illustration-only-ip-types")
@pytest.mark.parametrize("ip_type", ILLUSTRATION_ONLY)
def test_illustration_only_ip_types(scenario: Scenario, ip_type: str) -> None:
    payload = {
        "project_name": scenario.name("project"),
        "ip_medium": "photography",
        "ip_type": ip_type,
        "ip_name": "Lora",
        "ip_description": "a red cube",
    }
    response = scenario.api.post(f"{P}/projects", json=payload)
    if response.status_code == 201:
        scenario.created_projects.append((scenario.api, response.json()["id"]))
    expect(
        response,
        400,
        "project.illustration-only-ip-types",
        f"a photography project of type {ip_type}",
    )
    # The same type is fine with an illustration medium.
    with rule("project.illustration-only-ip-types"):
        scenario.project(
            ip_medium="illustration", ip_type=ip_type, ip_name="Lora", ip_description="a red cube"
        )


@pytest.mark.catalog("project.ip-text-required")
@pytest.mark.parametrize(
    "ip_type,missing",
    [
        ("defined_character", "ip_name"),
        ("defined_character", "ip_description"),
        ("object_variants", "ip_description"),
    ],
)
def test_ip_text_required_for_ip_type(scenario: Scenario, ip_type: str, missing: str) -> None:
    payload = {
        "project_name": scenario.name("project"),
        "ip_medium": "illustration",
        "ip_type": ip_type,
        "ip_name": "Lora",
        "ip_description": "a female character with purple hair",
    }
    del payload[missing]
    response = scenario.api.post(f"{P}/projects", json=payload)
    if response.status_code == 201:
        scenario.created_projects.append((scenario.api, response.json()["id"]))
    expect(response, 400, "project.ip-text-required", f"a {ip_type} project without {missing}")


@pytest.mark.catalog("project.created-active")
def test_created_project_is_active(scenario: Scenario) -> None:
    name = scenario.name("project")
    created = scenario.project(project_name=name, ip_medium="photography", ip_type="stylized_scene")
    sent = {
        "project_name": name,
        "ip_medium": "photography",
        "ip_type": "stylized_scene",
        "project_description": "created by the Bria conformance suite",
    }
    with rule("project.created-active"):
        assert isinstance(created.get("id"), int), (
            f"a created project needs an integer id: {created!r}"
        )
        assert created.get("status") == "active", (
            f"a new project is 'active', got {created.get('status')!r}"
        )
        for key, value in sent.items():
            assert created.get(key) == value, (
                f"the created project must echo {key}={value!r}, got {created.get(key)!r}"
            )
        assert is_timestamp(created.get("created_at")), (
            f"a created project carries its created_at timestamp, got {created.get('created_at')!r}"
        )
    # Its own read and the project list show it as created.
    readback.shows(
        scenario, "project", created, "project.created-active", {**sent, "status": "active"}
    )


@pytest.mark.catalog("project.update-persists")
def test_project_update_persists(scenario: Scenario) -> None:
    project = scenario.project(ip_medium="illustration", ip_type="icons")
    changes = {
        "project_name": scenario.name("renamed"),
        "project_description": "new description",
        "ip_name": "Captain Smith",
        "ip_description": "a tall captain",
    }
    updated = expect(
        scenario.api.put(f"{P}/projects/{project['id']}", json=changes),
        200,
        "project.update-persists",
        "updating a project",
    )
    with rule("project.update-persists"):
        for key, value in changes.items():
            assert updated.get(key) == value, (
                f"{key} should read {value!r} after the update; PUT answered {updated.get(key)!r}"
            )
    # The project's own read and the project list both show the update, and the IP fields kept.
    kept = {"ip_medium": "illustration", "ip_type": "icons"}
    readback.shows(scenario, "project", project, "project.update-persists", {**changes, **kept})


@pytest.mark.catalog("project.update-persists")
@pytest.mark.parametrize(
    "field,value", [("ip_medium", "photography"), ("ip_type", "stylized_scene")]
)
def test_project_ip_fields_are_immutable(scenario: Scenario, field: str, value: str) -> None:
    project = scenario.project(ip_medium="illustration", ip_type="icons")
    response = scenario.api.put(f"{P}/projects/{project['id']}", json={field: value})
    expect(
        response,
        {200, 400},
        "project.update-persists",
        f"sending {field} (not an updatable field) in an update",
    )
    fetched = expect(
        scenario.api.get(f"{P}/projects/{project['id']}"),
        200,
        "project.update-persists",
        "reading the project after the update",
    )
    with rule("project.update-persists"):
        assert fetched.get("ip_medium") == "illustration" and fetched.get("ip_type") == "icons", (
            f"{field} cannot be changed by an update (answered {response.status_code}); "
            f"the project now reads ip_medium={fetched.get('ip_medium')!r}, "
            f"ip_type={fetched.get('ip_type')!r}"
        )


@pytest.mark.catalog("project.delete-cascades", "project.deleted-is-gone")
def test_project_delete_cascades(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    project_id = ds["project_id"]
    image_id = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        "project.delete-cascades",
        "listing the dataset's images",
    )[0]["id"]
    model = scenario.model(ds["id"])
    expect(
        scenario.api.delete(f"{P}/projects/{project_id}"),
        204,
        "project.delete-cascades",
        "deleting a project",
    )
    readback.gone(scenario, "project", {"id": project_id}, "project.deleted-is-gone")
    # Its dataset, image and model are gone too: own reads 404, no list shows them.
    readback.gone(scenario, "dataset", ds, "project.delete-cascades")
    expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images/{image_id}"),
        404,
        "project.delete-cascades",
        "the deleted project's image",
    )
    expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        404,
        "project.delete-cascades",
        "listing the images of the deleted project's dataset",
    )
    readback.gone(scenario, "model", model, "project.delete-cascades")


@pytest.mark.spends(trainings=1)
@pytest.mark.catalog("project.delete-blocked-while-training")
def test_project_delete_blocked_while_training(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    model = scenario.model(ds["id"])
    expect(scenario.start(model["id"]), 200, "training.starts-in-progress", "starting a training")
    expect(
        scenario.api.delete(f"{P}/projects/{ds['project_id']}"),
        409,
        "project.delete-blocked-while-training",
        "deleting a project whose model is training",
    )
    expect(
        scenario.api.get(f"{P}/projects/{ds['project_id']}"),
        200,
        "project.delete-blocked-while-training",
        "the project after a refused delete",
    )
    expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}"),
        200,
        "project.delete-blocked-while-training",
        "the project's dataset after a refused delete",
    )
    training = scenario.get_model(model["id"])
    with rule("project.delete-blocked-while-training"):
        assert training.get("status") == "InProgress", (
            f"a refused project delete leaves the training running: {training.get('status')!r}"
        )
    # Every route still shows the project, its dataset, and its model training.
    entry = "project.delete-blocked-while-training"
    readback.views(scenario, "project", {"id": ds["project_id"]}, entry)
    readback.views(scenario, "dataset", ds, entry)
    readback.shows(scenario, "model", model, entry, {"status": "InProgress"})


@pytest.mark.spends(trainings=1)
@pytest.mark.catalog("project.training-version-locked")
def test_training_version_locks_on_training(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    project_id = ds["project_id"]
    fresh = expect(
        scenario.api.get(f"{P}/projects/{project_id}"),
        200,
        "project.training-version-locked",
        "reading a project with no training yet",
    )
    with rule("project.training-version-locked"):
        assert "training_version" in fresh and fresh["training_version"] is None, (
            "a project no training has locked reads training_version: null, got "
            f"{fresh.get('training_version', '<absent>')!r}"
        )
    model = scenario.model(ds["id"])
    expect(scenario.start(model["id"]), 200, "training.starts-in-progress", "starting a training")
    locked = expect(
        scenario.api.get(f"{P}/projects/{project_id}"),
        200,
        "project.training-version-locked",
        "reading the project after a training started",
    )
    with rule("project.training-version-locked"):
        assert isinstance(locked.get("training_version"), str) and locked["training_version"], (
            "a training locks its project to a training version family (e.g. 'fibo'), got "
            f"{locked.get('training_version', '<absent>')!r}"
        )

"""Models: creation, update, list flags, deletion."""

from __future__ import annotations

import pytest

from bria_conformance import readback
from bria_conformance.scenario import P, Scenario, expect, is_timestamp, rule


@pytest.mark.catalog("model.required-fields")
@pytest.mark.parametrize("missing", ["name", "dataset_id"])
def test_create_model_requires_fields(scenario: Scenario, missing: str) -> None:
    ds = scenario.completed_dataset()
    payload = {"name": scenario.name("model"), "dataset_id": ds["id"]}
    del payload[missing]
    expect(
        scenario.api.post(f"{P}/models", json=payload),
        400,
        "model.required-fields",
        f"creating a model without {missing}",
    )


@pytest.mark.catalog("model.unknown-dataset")
def test_create_model_on_unknown_dataset(scenario: Scenario) -> None:
    ds = scenario.dataset()
    expect(
        scenario.api.delete(f"{P}/datasets/{ds['id']}"),
        204,
        "dataset.delete-removes-images",
        "deleting a dataset",
    )
    expect(
        scenario.api.post(
            f"{P}/models", json={"name": scenario.name("model"), "dataset_id": ds["id"]}
        ),
        404,
        "model.unknown-dataset",
        "creating a model on a deleted dataset",
    )


@pytest.mark.catalog("model.created")
def test_new_model_is_created_in_dataset_project(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    model = scenario.model(ds["id"])
    with rule("model.created"):
        assert model.get("status") == "Created", (
            f"a new model's status is Created, got {model.get('status')!r}"
        )
        assert model.get("training_mode") == "fully_automated", (
            f"training_mode defaults to fully_automated, got {model.get('training_mode')!r}"
        )
        assert model.get("project_id") == ds["project_id"], (
            "a model belongs to its dataset's project"
        )
        assert model.get("dataset_id") == ds["id"], model
        assert model.get("training_parameters") == {}, (
            "a model that never trained has training_parameters {}, "
            f"got {model.get('training_parameters', '<absent>')!r}"
        )
        assert model.get("checkpoint_steps") == [], (
            "a model that never trained has checkpoint_steps [], "
            f"got {model.get('checkpoint_steps', '<absent>')!r}"
        )
        for key in ("created_at", "updated_at"):
            assert is_timestamp(model.get(key)), (
                f"a new model carries {key}, got {model.get(key)!r}"
            )
    # Its own read, the model list and its project's model list show the new model.
    keys = ("status", "training_mode", "project_id", "dataset_id", "name")
    readback.shows(scenario, "model", model, "model.created", {k: model.get(k) for k in keys})
    expert = scenario.model(ds["id"], training_mode="expert")
    with rule("model.created"):
        assert expert.get("training_mode") == "expert", expert


@pytest.mark.catalog("model.update-name-description-only")
def test_update_model_changes_only_name_and_description(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    model = scenario.model(ds["id"], training_mode="expert")
    changes = {"name": scenario.name("renamed"), "description": "updated description"}
    updated = expect(
        scenario.api.put(f"{P}/models/{model['id']}", json=changes),
        200,
        "model.update-name-description-only",
        "updating a model",
    )
    fetched = scenario.get_model(model["id"])
    with rule("model.update-name-description-only"):
        for key, value in changes.items():
            assert updated.get(key) == value and fetched.get(key) == value, (
                key,
                updated.get(key),
                fetched.get(key),
            )
        for key in ("training_mode", "dataset_id", "project_id"):
            assert fetched.get(key) == model.get(key), (
                f"an update must not change {key}: {fetched.get(key)!r}"
            )
    kept = {k: model.get(k) for k in ("training_mode", "dataset_id", "project_id")}
    readback.shows(
        scenario, "model", model, "model.update-name-description-only", {**changes, **kept}
    )


@pytest.mark.catalog("model.update-name-description-only")
@pytest.mark.parametrize("field", ["dataset_id", "training_mode"])
def test_update_model_keeps_dataset_and_mode(scenario: Scenario, field: str) -> None:
    ds = scenario.completed_dataset()
    other = scenario.completed_dataset()
    model = scenario.model(ds["id"], training_mode="expert")
    value = other["id"] if field == "dataset_id" else "fully_automated"
    response = scenario.api.put(f"{P}/models/{model['id']}", json={field: value})
    expect(
        response,
        {200, 400},
        "model.update-name-description-only",
        f"sending {field} (not an updatable field) in an update",
    )
    fetched = scenario.get_model(model["id"])
    with rule("model.update-name-description-only"):
        for key in ("dataset_id", "training_mode", "project_id"):
            assert fetched.get(key) == model.get(key), (
                f"sending {field}={value!r} (answered {response.status_code}) changed {key}: "
                f"it was {model.get(key)!r}, it reads {fetched.get(key)!r}"
            )


@pytest.mark.spends(trainings=1)
@pytest.mark.catalog("model.include-training-parameters")
def test_include_training_parameters_flag(scenario: Scenario) -> None:
    model = scenario.trained_model(total_training_steps=400, checkpoint_interval=200)
    project_id = model["project_id"]
    for path in (f"{P}/models", f"{P}/projects/{project_id}/models"):
        plain = expect(
            scenario.api.get(path), 200, "model.include-training-parameters", f"listing {path}"
        )
        full = expect(
            scenario.api.get(path, params={"include_training_parameters": "true"}),
            200,
            "model.include-training-parameters",
            f"listing {path} with include_training_parameters=true",
        )
        mine = [m for m in full if m.get("id") == model["id"]]
        with rule("model.include-training-parameters"):
            for key in ("checkpoint_steps", "training_parameters"):
                assert all(key not in m for m in plain), (
                    f"GET {path} without the flag must leave out {key}: {plain!r}"
                )
                assert all(key in m for m in full), (
                    f"GET {path}?include_training_parameters=true includes {key}: {full!r}"
                )
            assert len(mine) == 1, f"the trained model {model['id']} is listed by {path}"
            params = mine[0].get("training_parameters")
            assert isinstance(params, dict) and params.get("total_training_steps") == 400, (
                "with the flag a trained model lists the parameters it trained with "
                f"(total_training_steps 400), got {params!r}"
            )
            assert mine[0].get("checkpoint_steps"), (
                f"with the flag a trained model lists its checkpoint steps, got {mine[0]!r}"
            )


@pytest.mark.spends(trainings=1)
@pytest.mark.catalog("model.delete-blocked-while-training")
def test_model_delete_blocked_while_training(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    model = scenario.model(ds["id"])
    expect(scenario.start(model["id"]), 200, "training.starts-in-progress", "starting a training")
    refused = expect(
        scenario.api.delete(f"{P}/models/{model['id']}"),
        409,
        "model.delete-blocked-while-training",
        "deleting a model in training",
    )
    with rule("model.delete-blocked-while-training"):
        assert isinstance(refused, dict) and isinstance(refused.get("message"), str), (
            f'409 on delete model carries {{"message": ...}}, got {refused!r}'
        )
    expect(
        scenario.api.get(f"{P}/models/{model['id']}"),
        200,
        "model.delete-blocked-while-training",
        "the model after a refused delete",
    )


@pytest.mark.catalog("model.deleted-is-gone")
def test_deleted_model_is_gone(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    model = scenario.model(ds["id"])
    expect(
        scenario.api.delete(f"{P}/models/{model['id']}"),
        204,
        "model.deleted-is-gone",
        "deleting a model",
    )
    response = scenario.api.get(f"{P}/models/{model['id']}")
    with rule("model.deleted-is-gone"):
        assert response.status_code == 404 or (
            response.status_code == 200
            and response.json().get("status") not in ("Created", "InProgress", "Completed")
        ), (
            "a deleted model must not read as a live model: "
            f"{response.status_code} {response.text[:200]}"
        )
    for route in (f"{P}/models", f"{P}/projects/{ds['project_id']}/models"):
        listed = expect(scenario.api.get(route), 200, "model.deleted-is-gone", f"listing {route}")
        with rule("model.deleted-is-gone"):
            assert model["id"] not in {m["id"] for m in listed}, (
                f"GET {route} still lists the deleted model {model['id']}"
            )


@pytest.mark.spends(trainings=2)
@pytest.mark.catalog("model.many-per-dataset")
def test_one_dataset_trains_several_models(scenario: Scenario) -> None:
    ds = scenario.completed_dataset()
    automated = scenario.model(ds["id"])
    expert = expect(
        scenario.api.post(
            f"{P}/models",
            json={
                "name": scenario.name("model"),
                "dataset_id": ds["id"],
                "training_mode": "expert",
            },
        ),
        201,
        "model.many-per-dataset",
        f"creating a second model on dataset {ds['id']}",
    )
    for model in (automated, expert):
        expect(
            scenario.start(model["id"]),
            200,
            "model.many-per-dataset",
            f"starting the training of model {model['id']}, one of two on dataset {ds['id']}",
        )
    for model in (automated, expert):
        fetched = scenario.get_model(model["id"])
        with rule("model.many-per-dataset"):
            assert fetched.get("dataset_id") == ds["id"], (
                f"both models keep the dataset they were created on: {fetched!r}"
            )
            assert fetched.get("status") in ("InProgress", "Completed"), (
                "a second model on the same completed dataset trains like the first: "
                f"model {model['id']} reads {fetched.get('status')!r}"
            )
    listed = expect(
        scenario.api.get(f"{P}/projects/{ds['project_id']}/models"),
        200,
        "model.many-per-dataset",
        "listing the project's models",
    )
    with rule("model.many-per-dataset"):
        on_dataset = {m.get("id") for m in listed if m.get("dataset_id") == ds["id"]}
        assert on_dataset == {automated["id"], expert["id"]}, (
            f"the project lists both models of dataset {ds['id']}, got {listed!r}"
        )

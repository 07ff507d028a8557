"""Where generated cases point: an operation that destroys or changes what its path names gets a
disposable resource of that kind, derived from the spec; the table holds only the exceptions."""

from __future__ import annotations

from typing import Any

from bria_conformance import spec, world


def _op(operation_id: str, *statuses: str) -> dict[str, Any]:
    return {"operationId": operation_id, "responses": {s: {"description": s} for s in statuses}}


def test_deletes_and_actions_on_a_resource_get_a_disposable_one() -> None:
    paths = {
        "/projects/{project_id}": {
            "get": _op("get-project", "200"),
            "put": _op("update-project", "200"),
            "delete": _op("delete-project", "204"),
        },
        "/projects/{project_id}/archive": {"post": _op("archive-project", "200")},
        "/datasets/{dataset_id}/clone": {"post": _op("clone-dataset", "201")},
        "/datasets/{dataset_id}/images": {
            "get": _op("get-images", "200"),
            "post": _op("upload-image", "200"),
        },
        "/models/{model_id}/checkpoints/{checkpoint_step}": {
            "delete": _op("delete-checkpoint", "200")
        },
        "/generate/{model_id}/{checkpoint_step}": {"post": _op("generate", "200")},
    }
    derived = {k: a.disposable for k, a in world.derived_aims(paths).items()}
    assert derived == {"delete-project": "project", "archive-project": "project"}


def test_the_spec_derives_the_disposables_of_its_deletes_and_actions() -> None:
    derived = {k: a.disposable for k, a in world.derived_aims(spec._load()["paths"]).items()}
    assert (
        derived.items()
        >= {
            "delete-project": "project",
            "delete-dataset": "dataset",
            "delete-image": "image",
            "delete-model": "model",
            "start-training": "model",
            "stop-training": "model",
        }.items()
    )
    # the exceptions win: a live start aims at a model that never trains, a stop at the world's
    assert world.aim_of("start-training").live_model == "idle_model_id"
    assert world.aim_of("stop-training") == world.Aim()
    assert world.aim_of("delete-image") == world.Aim(disposable="image")
    assert world.aim_of("get-projects") == world.Aim()


def test_the_table_holds_only_what_the_spec_cannot_tell() -> None:
    derived = world.derived_aims(spec._load()["paths"])
    operations = {oid for _, _, oid in spec.operations()}
    assert set(world.AIMS) <= operations, set(world.AIMS) - operations
    repeated = [k for k, aim in world.AIMS.items() if derived.get(k) == aim]
    assert not repeated, f"AIMS repeats what the spec derives: {repeated}"

"""Which version prefix each operation lives under, stated once and checked directly.

Every other test uses the documented paths, so a server that serves an operation under another
prefix fails many rules at once; this test names the actual fault. Every operation is sent to its
documented path with ids of resources that exist: whatever the rules make of the request (200,
400, 409, ...), the route itself must exist, so a 404/405 means the operation is not served there.
"""

from __future__ import annotations

from typing import Any

import pytest

from bria_conformance import media, spec
from bria_conformance.scenario import Scenario, expect

ENTRY = "shape.version-prefix"
#: Destructive operations go last, children before parents, so earlier probes find their ids.
LAST = ("delete-checkpoint", "delete-image", "delete-model", "delete-dataset", "delete-project")


def _ids(scenario: Scenario) -> dict[str, Any]:
    model = scenario.trained_model(total_training_steps=300, checkpoint_interval=100)
    dataset_id = model["dataset_id"]
    images = scenario.api.get(f"/v1/tailored-gen/datasets/{dataset_id}/images").json()
    accepted = scenario.api.post(
        "/v2/image/generate/tailored", json={"tailored_model_id": model["id"], "prompt": "a cube"}
    ).json()
    checkpoints = scenario.api.get(f"/v1/tailored-gen/models/{model['id']}/checkpoints").json()
    steps = [c.get("checkpoint_step") for c in checkpoints.get("checkpoints", [])]
    advanced = scenario.dataset(model["project_id"], upload_type="advanced")
    archive = media.zip_bytes([("a.png", media.image_bytes(1024, 1024, "png", 3))])
    # In the form the target takes (multipart, or the documented JSON zip_url); without a bulk
    # upload there is no bulk status to read, and its 404 says nothing about routing.
    started = scenario.bulk_upload(advanced["id"], archive)
    return {
        "advanced_dataset_id": advanced["id"],
        "bulk_started": started.status_code == 202,
        "project_id": model["project_id"],
        "dataset_id": dataset_id,
        "image_id": images[0]["id"],
        "model_id": model["id"],
        "checkpoint_step": steps[0] if steps else 100,
        "request_id": accepted.get("request_id", "unknown"),
    }


@pytest.mark.spends(trainings=1, generations=5)
@pytest.mark.catalog(ENTRY)
def test_routes_answer_under_their_prefix(scenario: Scenario) -> None:
    ids = _ids(scenario)
    operations = sorted(
        spec.operations(), key=lambda op: LAST.index(op[2]) + 1 if op[2] in LAST else 0
    )
    for method, path, operation_id in operations:
        if operation_id == "get-bulk-upload-status" and not ids["bulk_started"]:
            continue
        concrete = path
        if "/bulk-upload" in path:  # only a dataset with a bulk upload has a bulk status
            concrete = path.replace("{dataset_id}", str(ids["advanced_dataset_id"]))
        for name, value in ids.items():
            concrete = concrete.replace("{" + name + "}", str(value))
        kw: dict[str, Any] = {} if method in ("GET", "DELETE") else {"json": {}}
        response = scenario.api.request(method, concrete, **kw)
        expect(
            response,
            {200, 201, 202, 204, 400, 409, 412, 413, 415, 422, 460},
            ENTRY,
            f"{method} {path} ({operation_id}) on existing resources at its documented prefix "
            "(a 404/405 means the route is missing)",
        )

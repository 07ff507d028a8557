"""What Bria's published clients send is served (spec/clients/bria-clients.yaml): the request
forms of its ComfyUI nodes and of its bundle, and the reimagine route with the model in the body.
All of them generate: against a live API they run only with --allow-generation."""

from __future__ import annotations

from typing import Any

import pytest

from bria_conformance import media, spec
from bria_conformance.scenario import Scenario, expect, rule

from .test_training import fetch_bytes
from .test_v1_generation import first_url, image, trained

ROUTES = {
    "text-to-image-tailored": "/v1/text-to-image/tailored/{model_id}",
    "reimagine": "/v1/reimagine",
    "restyle-portrait": "/v1/tailored-gen/restyle_portrait",
    "image-generate-tailored": "/v2/image/generate/tailored",
    "structured-prompt-generate-tailored": "/v2/structured_prompt/generate/tailored",
    "generate-video-from-tailored-image": "/v2/video/generate/tailored/image-to-video",
}


def _request(operation: str, model_id: int) -> tuple[str, dict[str, Any], int]:
    """(path, a canonical body, the status it is answered with) for ``operation``."""
    path = ROUTES[operation].replace("{model_id}", str(model_id))
    if operation == "text-to-image-tailored":
        return path, {"prompt": "a red cube", "sync": True}, 200
    if operation == "reimagine":
        body = {"prompt": "a red cube", "sync": True, "structure_image_file": image(96, 96)}
        return path, {**body, "tailored_model_id": model_id}, 200
    if operation == "restyle-portrait":
        return path, {"id_image_file": image(96, 128), "tailored_model_id": model_id}, 200
    if operation == "generate-video-from-tailored-image":
        return path, {"image": image(96, 96), "tailored_model_id": model_id}, 202
    return path, {"prompt": "a red cube", "tailored_model_id": model_id}, 202


def _documented(kind: str, canonical: Any) -> Any:
    if kind == "integer-boolean":
        return int(bool(canonical))
    return str(canonical)


@pytest.mark.spends(trainings=1, generations=10)
@pytest.mark.catalog("clients.request-forms")
def test_client_request_forms_are_served(scenario: Scenario) -> None:
    entry = "clients.request-forms"
    # a light model: the one kind every recorded operation (restyle_portrait too) accepts
    model_id = int(trained(scenario, version="light")["id"])
    forms = spec.document().get("x-bria-request-forms", {})
    with rule(entry):
        assert forms, "the normalized spec carries the recorded client forms"
    for form_id, form in forms.items():
        field, kind = form["field"], form["sent_as"]
        for operation in form["operations"]:
            path, body, status = _request(operation, model_id)
            canonical = body.get(field, False if kind == "integer-boolean" else 1234)
            sent = {**body, field: _documented(kind, canonical)}
            expect(
                scenario.api.post(path, json=sent),
                status,
                entry,
                f"{operation} with {field}={sent[field]!r}, as {form_id} sends it",
            )


@pytest.mark.spends(shared_model=True, generations=1)
@pytest.mark.catalog("v1gen.reimagine-model-in-body")
def test_reimagine_with_the_model_in_the_body(scenario: Scenario) -> None:
    entry = "v1gen.reimagine-model-in-body"
    model = trained(scenario)
    body = {"prompt": "a cube", "sync": True, "tailored_model_id": model["id"]}
    expect(
        scenario.api.post("/v1/reimagine", json=body),
        400,
        entry,
        "reimagine without a structure reference image",
    )
    payload = expect(
        scenario.api.post(
            "/v1/reimagine",
            json={**body, "structure_image_file": image(120, 180), "structure_ref_influence": 0.75},
        ),
        200,
        entry,
        "reimagine with the model in the body and a 2:3 structure image",
    )
    width, height = media.image_size(fetch_bytes(scenario, first_url(payload, entry)))
    with rule(entry):
        assert abs(width / height - 2 / 3) < 0.05, (
            f"the output keeps the reference image's aspect ratio (2:3), got {width}x{height}"
        )
    # As on the path form, only a trained model of the caller reimagines.
    untrained = scenario.model(scenario.completed_dataset()["id"])
    refused = scenario.api.post(
        "/v1/reimagine",
        json={
            **body,
            "tailored_model_id": untrained["id"],
            "structure_image_file": image(120, 180),
            "structure_ref_influence": 0.75,
        },
    )
    with rule(entry):
        assert 400 <= refused.status_code < 500, (
            f"a model that was never trained is refused with a 4xx, got {refused.status_code}"
        )

"""Authentication and organization isolation."""

from __future__ import annotations

from typing import Any

import pytest

from bria_conformance import readback, spec
from bria_conformance.checks import ID_FIELDS
from bria_conformance.scenario import P, Scenario, expect, rule

#: A harmless concrete path for every operation: ids that exist nowhere. A live account's ids
#: are small counters, so the ids sent there are far beyond them: a write refused for want of a
#: token must not even name the account's data (and a server that ignored the token would find
#: nothing to change; the empty body creates nothing either).
SAMPLE = {
    "project_id": "1",
    "dataset_id": "1",
    "image_id": "1",
    "model_id": "1",
    "checkpoint_step": "100",
    "request_id": "conformance-probe",
}
FAR_ID = str(2**31 - 19)


def _concrete(path: str, live: bool = False) -> str:
    for name, value in SAMPLE.items():
        if live and value.isdigit():
            value = FAR_ID
        path = path.replace("{" + name + "}", value)
    return path


def _resource_data(payload: Any) -> list[Any]:
    """What in a refusal's body belongs to a resource: the body as a list, any object naming an
    id, any list of objects (an error envelope holds none of them)."""
    found: list[Any] = [payload] if isinstance(payload, list) else []
    stack = [payload]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if any(key in item for key in ID_FIELDS):
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            if any(isinstance(member, dict) for member in item):
                found.append(item)
            stack.extend(item)
    return found


@pytest.mark.catalog("auth.token-required")
@pytest.mark.parametrize("method,path", [(m, p) for m, p, _ in spec.operations()])
def test_missing_token_is_refused(scenario: Scenario, method: str, path: str) -> None:
    concrete = _concrete(path, scenario.target.is_live)
    if method == "GET":
        response = scenario.api.request(method, concrete, token=None, refused=True)
    else:
        response = scenario.api.request(method, concrete, token=None, json={}, refused=True)
    refused = expect(response, 401, "auth.token-required", f"{method} {path} without api_token")
    with rule("auth.token-required"):
        # Nothing is read: the refusal carries no resource (no list, no record with an id).
        assert not _resource_data(refused), (
            f"{method} {path} without api_token answered resource data: {refused!r}"
        )


@pytest.mark.catalog("auth.token-required")
def test_write_without_token_changes_nothing(scenario: Scenario) -> None:
    project = scenario.project()
    path = f"{P}/projects/{project['id']}"
    # Every refusal is judged before failing, so a run names both what was read and what was
    # changed without a token.
    wrong = []
    for method, payload in (
        ("GET", None),
        ("PUT", {"project_name": "renamed without a token"}),
        ("DELETE", None),
    ):
        response = (
            scenario.api.request(method, path, token=None, json=payload)
            if payload
            else scenario.api.request(method, path, token=None)
        )
        refused = expect(response, 401, "auth.token-required", f"{method} {path} without api_token")
        if _resource_data(refused):
            wrong.append(f"{method} {path} without api_token answered resource data: {refused!r}")
    after = expect(
        scenario.api.get(path), 200, "auth.token-required", "the project after refused writes"
    )
    if after.get("project_name") != project["project_name"]:
        wrong.append(f"a write without api_token changed the project: {after!r}")
    with rule("auth.token-required"):
        assert not wrong, "a request without api_token reads and changes nothing:\n" + "\n".join(
            wrong
        )


@pytest.mark.catalog("auth.token-invalid")
@pytest.mark.parametrize("method,path", [(m, p) for m, p, _ in spec.operations()])
def test_unknown_token_is_refused(scenario: Scenario, method: str, path: str) -> None:
    # Writes too: an unknown token is 401 ("missing or invalid"), not 403 (which is for a
    # known organization that may not act).
    token = "not-a-real-token-" + "0" * 16
    concrete = _concrete(path, scenario.target.is_live)
    if method == "GET":
        response = scenario.api.request(method, concrete, token=token, refused=True)
    else:
        response = scenario.api.request(method, concrete, token=token, json={}, refused=True)
    expect(response, 401, "auth.token-invalid", f"{method} {path} with an unknown token")


def _needs_two_orgs(scenario: Scenario) -> None:
    if scenario.other is None:
        pytest.skip("needs a second organization's token (--other-token / BRIA_API_TOKEN_2)")


@pytest.mark.catalog("auth.org-scoped-lists")
def test_lists_are_scoped_to_the_organization(scenario: Scenario) -> None:
    _needs_two_orgs(scenario)
    assert scenario.other is not None
    ds = scenario.completed_dataset()
    model = scenario.model(ds["id"])
    theirs = {
        "projects": {
            p["id"]
            for p in expect(
                scenario.other.get(f"{P}/projects"),
                200,
                "auth.org-scoped-lists",
                "listing projects",
            )
        },
        "datasets": {
            d["id"]
            for d in expect(
                scenario.other.get(f"{P}/datasets"),
                200,
                "auth.org-scoped-lists",
                "listing datasets",
            )
        },
        "models": {
            m["id"]
            for m in expect(
                scenario.other.get(f"{P}/models"), 200, "auth.org-scoped-lists", "listing models"
            )
        },
    }
    with rule("auth.org-scoped-lists"):
        assert ds["project_id"] not in theirs["projects"], "another organization lists our project"
        assert ds["id"] not in theirs["datasets"], "another organization lists our dataset"
        assert model["id"] not in theirs["models"], "another organization lists our model"
    # Nor do the lists under our project, read with their token.
    project = {"id": ds["project_id"]}
    readback.hidden_from(scenario, scenario.other, "project", project, "auth.org-scoped-lists")
    readback.hidden_from(scenario, scenario.other, "dataset", ds, "auth.org-scoped-lists")
    readback.hidden_from(scenario, scenario.other, "model", model, "auth.org-scoped-lists")


@pytest.mark.catalog("auth.org-isolated-access", "shape.forbidden-is-string")
def test_foreign_resources_are_not_accessible(scenario: Scenario) -> None:
    _needs_two_orgs(scenario)
    other = scenario.other
    assert other is not None
    ds = scenario.dataset()
    image = expect(
        scenario.upload(ds["id"], 256, 256, "jpg"),
        201,
        "image.min-resolution",
        "uploading an image",
    )
    completed = scenario.completed_dataset()
    model = scenario.model(completed["id"])
    probes = [
        ("GET", f"{P}/projects/{ds['project_id']}", None),
        ("PUT", f"{P}/projects/{ds['project_id']}", {"project_name": "taken over"}),
        ("GET", f"{P}/datasets/{ds['id']}", None),
        ("PUT", f"{P}/datasets/{ds['id']}", {"name": "taken over"}),
        ("GET", f"{P}/datasets/{ds['id']}/images/{image['id']}", None),
        ("DELETE", f"{P}/datasets/{ds['id']}/images/{image['id']}", None),
        ("GET", f"{P}/models/{model['id']}", None),
        ("POST", f"{P}/models/{model['id']}/start_training", {}),
        ("DELETE", f"{P}/models/{model['id']}", None),
        ("DELETE", f"{P}/projects/{ds['project_id']}", None),
    ]
    # Every probe is sent and judged before failing, so a run names each kind of access (read,
    # update, delete, start_training) another organization was given.
    served = []
    for method, path, payload in probes:
        if payload is None:
            response = other.request(method, path)
        else:
            response = other.request(method, path, json=payload)
        if response.status_code not in (403, 404):
            served.append(f"{method} {path} answered {response.status_code} {response.text[:120]}")
            continue
        # the refusal's own shape: the error envelope, the operation's declared body
        expect(
            response,
            {403, 404},
            "auth.org-isolated-access",
            f"{method} {path} by another organization",
        )
        if response.status_code == 403:
            with rule("shape.forbidden-is-string"):
                assert isinstance(response.json(), str), (
                    f"403 body must be a JSON string, got {response.text!r}"
                )
    with rule("auth.org-isolated-access"):
        assert not served, (
            "another organization's requests for our resources answer 403 or 404:\n"
            + "\n".join(served)
        )
    # Nothing the other organization tried may have changed our resources.
    project = expect(
        scenario.api.get(f"{P}/projects/{ds['project_id']}"),
        200,
        "auth.org-isolated-access",
        "our project after another organization's attempts",
    )
    dataset = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}"),
        200,
        "auth.org-isolated-access",
        "our dataset after another organization's attempts",
    )
    with rule("auth.org-isolated-access"):
        assert project["project_name"] != "taken over", "another organization renamed our project"
        assert dataset["name"] == ds["name"], "another organization renamed our dataset"
    expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images/{image['id']}"),
        200,
        "auth.org-isolated-access",
        "our image after another organization tried to delete it",
    )
    current = scenario.get_model(model["id"])
    with rule("auth.org-isolated-access"):
        assert current["status"] == "Created", "another organization started our model's training"


@pytest.mark.spends(shared_model=True)
@pytest.mark.catalog("auth.generation-own-model-only")
def test_generation_with_foreign_model_is_forbidden(scenario: Scenario) -> None:
    _needs_two_orgs(scenario)
    assert scenario.other is not None
    model = scenario.trained_model()
    response = scenario.other.post(
        "/v2/image/generate/tailored",
        json={"tailored_model_id": model["id"], "prompt": "a cube", "sync": True},
    )
    expect(
        response,
        403,
        "auth.generation-own-model-only",
        "generating with another organization's model",
    )

"""Project rules (catalog entries project.*), exercised over HTTP."""

from __future__ import annotations

import pytest
from bria_mock import MockConfig
from mock_helpers import Api

pytestmark = pytest.mark.anyio

PROJECTS = "/v1/tailored-gen/projects"


async def test_create_returns_active_project_with_integer_id(api: Api) -> None:
    project = await api.project(
        project_name="Lora",
        ip_type="defined_character",
        ip_name="Lora",
        ip_description="a purple haired girl",
    )
    assert isinstance(project["id"], int)
    assert project["status"] == "active"
    assert project["training_version"] is None
    r = await api.c.get(f"{PROJECTS}/{project['id']}")
    assert r.status_code == 200 and r.json()["project_name"] == "Lora"
    listed = (await api.c.get(PROJECTS)).json()
    assert [p["id"] for p in listed] == [project["id"]]


@pytest.mark.parametrize("missing", ["project_name", "ip_medium", "ip_type"])
async def test_required_fields(api: Api, missing: str) -> None:
    body = {"project_name": "x", "ip_medium": "photography", "ip_type": "other"}
    del body[missing]
    r = await api.c.post(PROJECTS, json=body)
    assert r.status_code == 400
    assert missing in r.json()["error"]["message"]
    assert (await api.c.get(PROJECTS)).json() == []


@pytest.mark.parametrize(
    "ip_type", ["object_variants", "multi_object_set", "icons", "character_variants"]
)
async def test_illustration_only_types_refused_for_photography(api: Api, ip_type: str) -> None:
    body = {
        "project_name": "x",
        "ip_medium": "photography",
        "ip_type": ip_type,
        "ip_description": "a red shoe",
    }
    r = await api.c.post(PROJECTS, json=body)
    assert r.status_code == 400
    assert "illustration" in r.json()["error"]["message"]
    body["ip_medium"] = "illustration"
    assert (await api.c.post(PROJECTS, json=body)).status_code == 201


async def test_defined_character_needs_ip_name_and_description(api: Api) -> None:
    base = {"project_name": "x", "ip_medium": "photography", "ip_type": "defined_character"}
    r = await api.c.post(PROJECTS, json={**base, "ip_description": "a dog"})
    assert r.status_code == 400 and "ip_name" in r.json()["error"]["message"]
    r = await api.c.post(PROJECTS, json={**base, "ip_name": "Rex"})
    assert r.status_code == 400 and "ip_description" in r.json()["error"]["message"]
    r = await api.c.post(PROJECTS, json={**base, "ip_name": "Rex", "ip_description": "a dog"})
    assert r.status_code == 201


async def test_object_variants_needs_ip_description(api: Api) -> None:
    body = {"project_name": "x", "ip_medium": "illustration", "ip_type": "object_variants"}
    assert (await api.c.post(PROJECTS, json=body)).status_code == 400
    assert (await api.c.post(PROJECTS, json={**body, "ip_description": "mugs"})).status_code == 201


async def test_update_changes_only_text_fields(api: Api) -> None:
    project = await api.project()
    r = await api.c.put(
        f"{PROJECTS}/{project['id']}",
        json={"project_name": "Renamed", "ip_description": "new", "ip_medium": "photography"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["project_name"] == "Renamed" and body["ip_description"] == "new"
    assert body["ip_medium"] == "illustration"  # not updatable


async def test_delete_cascades_to_datasets_images_models(api: Api) -> None:
    ds = await api.ready_dataset()
    model = await api.model(ds["id"])
    images = (await api.c.get(f"/v1/tailored-gen/datasets/{ds['id']}/images")).json()
    r = await api.c.delete(f"{PROJECTS}/{ds['project_id']}")
    assert r.status_code == 204
    assert (await api.c.get(f"{PROJECTS}/{ds['project_id']}")).status_code == 404
    assert (await api.c.get(f"/v1/tailored-gen/datasets/{ds['id']}")).status_code == 404
    assert (await api.c.get(f"/v1/tailored-gen/models/{model['id']}")).status_code == 404
    image_url = f"/v1/tailored-gen/datasets/{ds['id']}/images/{images[0]['id']}"
    assert (await api.c.get(image_url)).status_code == 404
    assert (await api.c.get(PROJECTS)).json() == []
    # the pixels behind the signed URL are gone as well
    assert (await api.c.get(images[0]["image_url"])).status_code == 404


async def test_delete_blocked_while_a_model_trains(api: Api) -> None:
    model = await api.model()
    assert (await api.start(model["id"])).status_code == 200
    r = await api.c.delete(f"{PROJECTS}/{model['project_id']}")
    assert r.status_code == 409
    assert (await api.c.get(f"{PROJECTS}/{model['project_id']}")).status_code == 200
    await api.c.post(f"/v1/tailored-gen/models/{model['id']}/stop_training")
    assert (await api.c.delete(f"{PROJECTS}/{model['project_id']}")).status_code == 409  # Stopping
    await api.advance(3600)
    assert (await api.c.delete(f"{PROJECTS}/{model['project_id']}")).status_code == 204


async def test_unknown_project_is_404(api: Api) -> None:
    for method in ("GET", "PUT", "DELETE"):
        kwargs = {"json": {"project_name": "x"}} if method == "PUT" else {}
        r = await api.c.request(method, f"{PROJECTS}/987654", **kwargs)
        assert r.status_code == 404, method
        assert r.json()["error"]["code"] == 404


@pytest.mark.parametrize("config", [MockConfig(strict_ip_text=True)])
async def test_strict_ip_text_option(api: Api, config: MockConfig) -> None:
    base = {"project_name": "x", "ip_medium": "illustration", "ip_type": "defined_character"}
    r = await api.c.post(
        PROJECTS, json={**base, "ip_name": "A very long character name", "ip_description": "girl"}
    )
    assert r.status_code == 400 and "1-3 words" in r.json()["error"]["message"]
    r = await api.c.post(
        PROJECTS,
        json={**base, "ip_name": "Lora", "ip_description": "one two three four five six seven"},
    )
    assert r.status_code == 400

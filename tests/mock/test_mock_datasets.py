"""Dataset rules (catalog entries dataset.*, captions.*), exercised over HTTP."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from bria_mock import MockConfig
from mock_helpers import Api, image_bytes

pytestmark = pytest.mark.anyio

DATASETS = "/v1/tailored-gen/datasets"


async def test_new_dataset_is_an_empty_basic_draft(api: Api) -> None:
    ds = await api.dataset()
    assert ds["status"] == "draft"
    assert ds["upload_type"] == "basic"
    assert ds["captions_update_status"] == "empty"
    assert ds["visual_schema"] is None
    assert ds["images_count"] == 0


@pytest.mark.parametrize("missing", ["project_id", "name"])
async def test_required_fields(api: Api, missing: str) -> None:
    project = await api.project()
    body = {"project_id": project["id"], "name": "n"}
    del body[missing]
    assert (await api.c.post(DATASETS, json=body)).status_code == 400


async def test_unknown_project_is_404(api: Api) -> None:
    r = await api.c.post(DATASETS, json={"project_id": 424242, "name": "n"})
    assert r.status_code == 404


async def test_completion_needs_five_images_and_a_schema(api: Api) -> None:
    ds = await api.dataset()
    await api.set_schema(ds["id"])
    for i in range(4):
        assert (await api.upload(ds["id"], image_bytes(color=(i, 2, 3)))).status_code == 201
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 409 and "at least 5 images" in r.json()["error"]["message"]
    assert (await api.c.get(f"{DATASETS}/{ds['id']}")).json()["status"] == "draft"
    assert (await api.upload(ds["id"])).status_code == 201
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 200 and r.json()["status"] == "completed"


async def test_completion_without_visual_schema_is_refused(api: Api) -> None:
    ds = await api.dataset()
    for i in range(5):
        await api.upload(ds["id"], image_bytes(color=(i, 9, 9)))
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 409 and "visual_schema" in r.json()["error"]["message"]


async def test_images_uploaded_before_the_schema_block_completion_until_recaptioned(
    api: Api,
) -> None:
    ds = await api.dataset()
    for i in range(5):
        img = (await api.upload(ds["id"], image_bytes(color=(i, 9, 9)))).json()
        assert img["caption"] is None
    await api.set_schema(ds["id"])
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 409 and "Regenerate All Captions" in r.json()["error"]["message"]
    assert (await api.c.put(f"{DATASETS}/{ds['id']}/images")).status_code == 202
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 409 and "regenerated" in r.json()["error"]["message"]
    await api.advance(60)
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 200


@pytest.mark.parametrize("config", [MockConfig(min_images_to_complete=1)])
async def test_min_images_option_follows_the_v1_guide(api: Api, config: MockConfig) -> None:
    ds = await api.dataset()
    await api.set_schema(ds["id"])
    await api.upload(ds["id"])
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"status": "completed"})
    assert r.status_code == 200


async def test_completed_dataset_is_frozen(api: Api) -> None:
    ds = await api.ready_dataset()
    images = (await api.c.get(f"{DATASETS}/{ds['id']}/images")).json()
    image_path = f"{DATASETS}/{ds['id']}/images/{images[0]['id']}"
    assert (await api.upload(ds["id"])).status_code == 409
    assert (await api.c.delete(image_path)).status_code == 409
    r = await api.c.put(image_path, json={"caption": '{"a": 1}'})
    assert r.status_code == 409
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"visual_schema": '{"other": true}'})
    assert r.status_code == 409
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"status": "draft"})
    assert r.status_code == 409 and "Clone" in r.json()["error"]["message"]
    after = (await api.c.get(f"{DATASETS}/{ds['id']}")).json()
    assert after["images_count"] == 5 and after["status"] == "completed"
    assert after["images"][0]["caption"] == images[0]["caption"]
    # the name is not frozen
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"name": "v2"})
    assert r.status_code == 200 and r.json()["name"] == "v2"


async def test_visual_schema_must_be_json(api: Api) -> None:
    ds = await api.dataset()
    r = await api.c.put(f"{DATASETS}/{ds['id']}", json={"visual_schema": "not json"})
    assert r.status_code == 400


async def test_max_images_query(api: Api) -> None:
    ds = await api.dataset()
    for i in range(3):
        await api.upload(ds["id"], image_bytes(color=(i, 1, 1)))
    r = await api.c.get(f"{DATASETS}/{ds['id']}", params={"max_images": 2})
    assert r.status_code == 200 and len(r.json()["images"]) == 2 and r.json()["images_count"] == 3
    for bad in ("0", "201", "abc"):
        assert (
            await api.c.get(f"{DATASETS}/{ds['id']}", params={"max_images": bad})
        ).status_code == 400


async def test_clone_is_a_draft_copy_with_schema_and_images(api: Api) -> None:
    ds = await api.ready_dataset()
    r = await api.c.post(f"{DATASETS}/{ds['id']}/clone")
    assert r.status_code == 201
    clone = r.json()
    assert clone["status"] == "draft" and clone["id"] != ds["id"]
    assert clone["name"] == f"Copy of {ds['name']}"
    assert clone["project_id"] == ds["project_id"]
    assert clone["visual_schema"] == ds["visual_schema"]
    assert clone["images_count"] == 5 and len(clone["images"]) == 5
    # the clone is editable, the source stays frozen and unchanged
    assert (await api.upload(clone["id"])).status_code == 201
    source = (await api.c.get(f"{DATASETS}/{ds['id']}")).json()
    assert source["status"] == "completed" and source["images_count"] == 5
    named = await api.c.post(f"{DATASETS}/{ds['id']}/clone", json={"name": "variant"})
    assert named.json()["name"] == "variant"


async def test_delete_removes_dataset_and_images(api: Api) -> None:
    ds = await api.dataset()
    img = (await api.upload(ds["id"])).json()
    assert (await api.c.delete(f"{DATASETS}/{ds['id']}")).status_code == 204
    assert (await api.c.get(f"{DATASETS}/{ds['id']}")).status_code == 404
    assert (await api.c.get(f"{DATASETS}/{ds['id']}/images/{img['id']}")).status_code == 404


async def test_delete_blocked_while_a_model_trains_on_it(api: Api) -> None:
    model = await api.model()
    await api.start(model["id"])
    assert (await api.c.delete(f"{DATASETS}/{model['dataset_id']}")).status_code == 409
    await api.advance(30 * 24 * 3600)
    assert (await api.c.delete(f"{DATASETS}/{model['dataset_id']}")).status_code == 204


async def test_lists_by_project_with_model_flags(api: Api) -> None:
    ds = await api.ready_dataset()
    model = await api.model(ds["id"])
    await api.dataset(project_id=(await api.project())["id"])  # another project's dataset
    path = f"/v1/tailored-gen/projects/{ds['project_id']}/datasets"
    plain = (await api.c.get(path)).json()
    assert [d["id"] for d in plain] == [ds["id"]]
    assert "models" not in plain[0] and "model_ids" not in plain[0]
    flagged = (
        await api.c.get(path, params={"include_models": "true", "include_models_ids": "true"})
    ).json()
    assert flagged[0]["models"][0]["id"] == model["id"]
    assert [int(i) for i in flagged[0]["model_ids"]] == [model["id"]]
    assert (await api.c.get("/v1/tailored-gen/projects/5555/datasets")).status_code == 404


async def test_download_only_for_advanced_datasets(api: Api) -> None:
    basic = await api.ready_dataset()
    assert (await api.c.get(f"/v1/datasets/{basic['id']}/download")).status_code == 409


async def test_download_zip_holds_images_and_captions(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    await api.set_schema(ds["id"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for i in range(3):
            z.writestr(f"pic{i}.png", image_bytes(color=(i * 50, 0, 0)))
    r = await api.c.post(
        f"{DATASETS}/{ds['id']}/images/bulk-upload",
        files={"file": ("a.zip", archive.getvalue(), "application/zip")},
    )
    assert r.status_code == 202
    await api.advance(60)
    r = await api.c.get(f"/v1/datasets/{ds['id']}/download")
    assert r.status_code == 200
    body = r.json()
    data = (await api.fetch(body["download_url"])).content
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(z.namelist())
        assert names == ["pic0.png", "pic0.txt", "pic1.png", "pic1.txt", "pic2.png", "pic2.txt"]
        assert json.loads(z.read("pic1.txt"))  # the caption is a JSON structure
    captions = (await api.fetch(body["captions_url"])).json()
    assert set(captions) == {"pic0.png", "pic1.png", "pic2.png"}


async def test_regenerate_all_captions_is_async(api: Api) -> None:
    ds = await api.dataset()
    await api.set_schema(ds["id"], '{"style_medium": "a"}')
    ids = [
        (await api.upload(ds["id"], image_bytes(color=(i, 5, 5)))).json()["id"] for i in range(3)
    ]
    before = {
        i["id"]: i["caption"] for i in (await api.c.get(f"{DATASETS}/{ds['id']}/images")).json()
    }
    await api.c.put(f"{DATASETS}/{ds['id']}/images/{ids[0]}", json={"caption": '{"manual": true}'})
    await api.set_schema(ds["id"], '{"style_medium": "b"}')
    r = await api.c.put(f"{DATASETS}/{ds['id']}/images")
    assert r.status_code == 202 and r.json()["captions_update_status"] == "in_progress"
    again = await api.c.put(f"{DATASETS}/{ds['id']}/images")  # idempotent while running
    assert again.status_code == 202 and again.json()["captions_update_status"] == "in_progress"
    mid = (await api.c.get(f"{DATASETS}/{ds['id']}")).json()
    assert mid["captions_update_status"] == "in_progress"
    await api.advance(60)
    done = (await api.c.get(f"{DATASETS}/{ds['id']}")).json()
    assert done["captions_update_status"] == "completed"
    after = {i["id"]: i for i in done["images"]}
    assert all(i["caption_source"] == "automatic" for i in after.values())
    assert all(after[i]["caption"] != before[i] for i in ids)

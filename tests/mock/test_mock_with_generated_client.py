"""The documented lifecycle driven through the generated ``bria_tailored`` client.

A bug in either the client or the mock shows here: requests are built by the generated code and
responses parsed by its models (and every response is also checked against the spec).
"""

from __future__ import annotations

import json

import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.api.dataset import (
    bulk_upload_images,
    clone_dataset,
    create_dataset,
    get_bulk_upload_status,
    get_dataset_by_id,
    update_dataset,
    update_image_caption,
    upload_image,
)
from bria_tailored.api.image_generation import image_generate_tailored
from bria_tailored.api.model import (
    create_model,
    delete_checkpoint,
    get_model,
    list_checkpoints,
    start_training,
    stop_training,
)
from bria_tailored.api.project import create_project, delete_project, get_projects
from bria_tailored.api.status import get_status
from bria_tailored.models import (
    BulkUploadFile,
    Checkpoint,
    CheckpointList,
    Dataset,
    DatasetClone,
    DatasetCreate,
    DatasetStatus,
    DatasetUpdate,
    ErrorResponse,
    GenerationResponse,
    Image,
    ImageCaptionUpdate,
    ImageFileUpload,
    ImageGenerationRequest,
    IpMedium,
    IpType,
    MessageError,
    Model,
    ModelCreate,
    ModelStatus,
    Project,
    ProjectCreate,
    RequestState,
    RequestStatus,
    TrainingMode,
    TrainingRequest,
    UploadType,
    ValidationErrors,
)
from bria_tailored.types import File
from mock_helpers import Api, image_bytes, zip_bytes

pytestmark = pytest.mark.anyio


def _file(data: bytes, name: str = "a.png") -> File:
    import io

    return File(payload=io.BytesIO(data), file_name=name, mime_type="image/png")


async def _project(bria: AuthenticatedClient) -> Project:
    r = await create_project.asyncio_detailed(
        client=bria,
        body=ProjectCreate(
            project_name="Brand", ip_medium=IpMedium.ILLUSTRATION, ip_type=IpType.ICONS
        ),
    )
    assert r.status_code == 201 and isinstance(r.parsed, Project)
    return r.parsed


async def test_full_training_lifecycle(bria: AuthenticatedClient, api: Api) -> None:
    project = await _project(bria)
    r = await create_dataset.asyncio_detailed(
        client=bria, body=DatasetCreate(project_id=project.id, name="v1")
    )
    dataset = r.parsed
    assert isinstance(dataset, Dataset) and dataset.status == DatasetStatus.DRAFT
    schema = '{"style_medium": "flat illustration"}'
    r = await update_dataset.asyncio_detailed(
        dataset.id, client=bria, body=DatasetUpdate(visual_schema=schema)
    )
    assert r.status_code == 200
    image_ids = []
    for i in range(5):
        up = await upload_image.asyncio_detailed(
            dataset.id,
            client=bria,
            body=ImageFileUpload(file=_file(image_bytes(color=(i * 40, 0, 0)))),
        )
        assert up.status_code == 201, up.content
        assert isinstance(up.parsed, Image) and up.parsed.caption_source is not None
        image_ids.append(up.parsed.id)
    cap = await update_image_caption.asyncio_detailed(
        dataset.id,
        image_ids[0],
        client=bria,
        body=ImageCaptionUpdate(caption='{"subject": "icon"}'),
    )
    assert isinstance(cap.parsed, Image) and cap.parsed.caption == '{"subject": "icon"}'
    r = await update_dataset.asyncio_detailed(
        dataset.id, client=bria, body=DatasetUpdate(status=DatasetStatus.COMPLETED)
    )
    assert isinstance(r.parsed, Dataset) and r.parsed.status == DatasetStatus.COMPLETED
    frozen = await upload_image.asyncio_detailed(
        dataset.id, client=bria, body=ImageFileUpload(file=_file(image_bytes()))
    )
    assert frozen.status_code == 409 and isinstance(frozen.parsed, ErrorResponse)

    r = await create_model.asyncio_detailed(
        client=bria,
        body=ModelCreate(name="m", dataset_id=dataset.id, training_mode=TrainingMode.EXPERT),
    )
    model = r.parsed
    assert isinstance(model, Model) and model.status == ModelStatus.CREATED
    bad = await start_training.asyncio_detailed(
        model.id, client=bria, body=TrainingRequest(rank=1000)
    )
    assert bad.status_code == 400
    assert isinstance(bad.parsed, (ValidationErrors, MessageError))
    assert b"field_name" in bad.content and b"rank" in bad.content
    started = await start_training.asyncio_detailed(
        model.id,
        client=bria,
        body=TrainingRequest(total_training_steps=1000, checkpoint_interval=250),
    )
    assert isinstance(started.parsed, Model) and started.parsed.status == ModelStatus.INPROGRESS
    await api.advance(10 * 24 * 3600)
    done = await get_model.asyncio_detailed(model.id, client=bria)
    assert isinstance(done.parsed, Model) and done.parsed.status == ModelStatus.COMPLETED
    assert done.parsed.checkpoint_steps == [1000, 750, 500, 250]
    listing = await list_checkpoints.asyncio_detailed(model.id, client=bria)
    assert isinstance(listing.parsed, CheckpointList)
    assert [c.checkpoint_step for c in listing.parsed.checkpoints] == [250, 500, 750, 1000]
    assert all(isinstance(c, Checkpoint) for c in listing.parsed.checkpoints)
    kept = await delete_checkpoint.asyncio_detailed(model.id, 1000, client=bria)
    assert kept.status_code == 400 and isinstance(kept.parsed, str)
    assert (await delete_checkpoint.asyncio_detailed(model.id, 250, client=bria)).status_code == 204

    gen = await image_generate_tailored.asyncio_detailed(
        client=bria,
        body=ImageGenerationRequest(tailored_model_id=model.id, prompt="an icon of a cat"),
    )
    assert gen.status_code == 202
    assert not isinstance(gen.parsed, (ErrorResponse, str)) and gen.parsed is not None
    request_id = gen.parsed.request_id
    pending = await get_status.asyncio_detailed(request_id, client=bria)
    assert (
        isinstance(pending.parsed, RequestStatus)
        and pending.parsed.status == RequestState.IN_PROGRESS
    )
    await api.advance(60)
    complete = await get_status.asyncio_detailed(request_id, client=bria)
    assert (
        isinstance(complete.parsed, RequestStatus)
        and complete.parsed.status == RequestState.COMPLETED
    )
    assert complete.parsed.result.image_url  # type: ignore[union-attr]
    sync = await image_generate_tailored.asyncio_detailed(
        client=bria,
        body=ImageGenerationRequest(tailored_model_id=model.id, prompt="x", sync=True, seed=4),
    )
    assert isinstance(sync.parsed, GenerationResponse)
    assert sync.parsed.result.seed == 4  # type: ignore[union-attr]
    assert json.loads(sync.parsed.result.structured_prompt)  # type: ignore[union-attr, arg-type]

    blocked = await delete_project.asyncio_detailed(project.id, client=bria)
    assert blocked.status_code == 204  # training is over, so the project may go
    listed = await get_projects.asyncio_detailed(client=bria)
    assert listed.parsed == []


async def test_stop_and_clone_through_the_client(bria: AuthenticatedClient, api: Api) -> None:
    ds = await api.ready_dataset()
    model = await api.model(ds["id"])
    await start_training.asyncio_detailed(model["id"], client=bria, body=TrainingRequest())
    r = await stop_training.asyncio_detailed(model["id"], client=bria)
    assert r.status_code == 200
    await api.advance(600)
    stopped = await get_model.asyncio_detailed(model["id"], client=bria)
    assert isinstance(stopped.parsed, Model) and stopped.parsed.status == ModelStatus.STOPPED
    clone = await clone_dataset.asyncio_detailed(
        ds["id"], client=bria, body=DatasetClone(name="variant")
    )
    assert isinstance(clone.parsed, Dataset)
    assert clone.parsed.status == DatasetStatus.DRAFT and clone.parsed.images_count == 5
    full = await get_dataset_by_id.asyncio_detailed(clone.parsed.id, client=bria, max_images=2)
    assert isinstance(full.parsed, Dataset) and len(full.parsed.images) == 2  # type: ignore[arg-type]


async def test_bulk_upload_through_the_client(bria: AuthenticatedClient, api: Api) -> None:
    project = await _project(bria)
    r = await create_dataset.asyncio_detailed(
        client=bria,
        body=DatasetCreate(project_id=project.id, name="adv", upload_type=UploadType.ADVANCED),
    )
    assert isinstance(r.parsed, Dataset)
    archive = zip_bytes({"a.png": image_bytes(), "b.png": image_bytes(500, 500)})
    import io

    up = await bulk_upload_images.asyncio_detailed(
        r.parsed.id,
        client=bria,
        body=BulkUploadFile(
            file=File(payload=io.BytesIO(archive), file_name="a.zip", mime_type="application/zip")
        ),
    )
    assert up.status_code == 202
    await api.advance(60)
    status = await get_bulk_upload_status.asyncio_detailed(r.parsed.id, client=bria)
    assert status.parsed is not None and not isinstance(status.parsed, (str, ErrorResponse))
    assert status.parsed.done == 1 and status.parsed.failed == 1

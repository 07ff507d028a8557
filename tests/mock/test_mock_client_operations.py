"""Every operation the lifecycle tests do not reach, called through the generated client.

Together with test_mock_with_generated_client.py every operation are exercised by generated
request builders and parsed by generated models; the last test checks that coverage.
"""

from __future__ import annotations

import base64
import json

import pytest
from bria_mock.artefacts import write_safetensors
from bria_tailored import AuthenticatedClient
from bria_tailored.api.dataset import (
    delete_dataset,
    delete_image,
    download_dataset,
    generate_visual_schema,
    get_datasets,
    get_datasets_by_project,
    get_image,
    get_images,
    refine_json,
    regenerate_all_captions,
)
from bria_tailored.api.image_generation import structured_prompt_generate_tailored
from bria_tailored.api.model import (
    delete_model,
    download_tailored_model,
    get_checkpoint,
    get_models,
    get_models_by_project,
    update_model,
    upload_model,
)
from bria_tailored.api.project import get_project_by_id, update_project
from bria_tailored.api.video_generation import generate_video_from_tailored_image
from bria_tailored.models import (
    AsyncAccepted,
    Checkpoint,
    Dataset,
    ErrorResponse,
    GenerationResponse,
    Image,
    IpMedium,
    MessageError,
    Model,
    ModelDownload,
    ModelStatus,
    ModelUpdate,
    ModelUpload,
    Project,
    ProjectParameters,
    ProjectUpdate,
    RefinedPrompt,
    RefinePromptRequest,
    StructuredPromptRequest,
    VideoGenerationRequest,
    VisualSchema,
    VisualSchemaRequest,
)
from mock_helpers import Api, image_bytes

pytestmark = pytest.mark.anyio


async def test_project_and_dataset_reads(bria: AuthenticatedClient, api: Api) -> None:
    ds = await api.ready_dataset()
    project = await get_project_by_id.asyncio_detailed(ds["project_id"], client=bria)
    assert isinstance(project.parsed, Project) and project.parsed.id == ds["project_id"]
    updated = await update_project.asyncio_detailed(
        ds["project_id"], client=bria, body=ProjectUpdate(project_description="new words")
    )
    assert isinstance(updated.parsed, Project) and updated.parsed.project_description == "new words"
    listed = await get_datasets.asyncio_detailed(client=bria)
    assert isinstance(listed.parsed, list) and [d.id for d in listed.parsed] == [ds["id"]]
    by_project = await get_datasets_by_project.asyncio_detailed(
        ds["project_id"], client=bria, include_models=True
    )
    assert isinstance(by_project.parsed, list) and isinstance(by_project.parsed[0], Dataset)
    images = await get_images.asyncio_detailed(ds["id"], client=bria)
    assert isinstance(images.parsed, list) and len(images.parsed) == 5
    first = images.parsed[0]
    assert isinstance(first, Image)
    one = await get_image.asyncio_detailed(ds["id"], first.id, client=bria)
    assert isinstance(one.parsed, Image) and one.parsed.image_url
    refused = await delete_image.asyncio_detailed(ds["id"], first.id, client=bria)
    assert refused.status_code == 409 and isinstance(refused.parsed, ErrorResponse)
    not_advanced = await download_dataset.asyncio_detailed(ds["id"], client=bria)
    assert not_advanced.status_code == 409
    assert (await delete_dataset.asyncio_detailed(ds["id"], client=bria)).status_code == 204
    gone = await get_images.asyncio_detailed(ds["id"], client=bria)
    assert gone.status_code == 404 and isinstance(gone.parsed, ErrorResponse)


async def test_draft_dataset_tools(bria: AuthenticatedClient, api: Api) -> None:
    ds = await api.dataset()
    images = [
        base64.b64encode(image_bytes(300, 300, color=(i * 30, 9, 9))).decode() for i in range(5)
    ]
    schema = await generate_visual_schema.asyncio_detailed(
        client=bria, body=VisualSchemaRequest(images=images)
    )
    assert isinstance(schema.parsed, VisualSchema) and isinstance(schema.parsed.visual_schema, str)
    refined = await refine_json.asyncio_detailed(
        client=bria,
        body=RefinePromptRequest(
            dataset_id=ds["id"], structured_prompt=schema.parsed.visual_schema, instruction="warmer"
        ),
    )
    assert isinstance(refined.parsed, RefinedPrompt)
    assert json.loads(str(refined.parsed.structured_prompt))["refinements"] == ["warmer"]
    await api.set_schema(ds["id"], str(refined.parsed.structured_prompt))
    await api.upload(ds["id"])
    started = await regenerate_all_captions.asyncio_detailed(ds["id"], client=bria)
    assert started.status_code == 202 and isinstance(started.parsed, Dataset)


async def test_model_operations(bria: AuthenticatedClient, api: Api) -> None:
    model = await api.trained(total_training_steps=600, checkpoint_interval=300)
    renamed = await update_model.asyncio_detailed(
        model["id"], client=bria, body=ModelUpdate(name="renamed")
    )
    assert isinstance(renamed.parsed, Model) and renamed.parsed.name == "renamed"
    listed = await get_models.asyncio_detailed(client=bria, include_training_parameters=True)
    assert isinstance(listed.parsed, list) and listed.parsed[0].checkpoint_steps == [600, 300]
    in_project = await get_models_by_project.asyncio_detailed(model["project_id"], client=bria)
    assert isinstance(in_project.parsed, list) and [m.id for m in in_project.parsed] == [
        model["id"]
    ]
    checkpoint = await get_checkpoint.asyncio_detailed(model["id"], 300, client=bria)
    assert isinstance(checkpoint.parsed, Checkpoint) and checkpoint.parsed.checkpoint_step == 300
    missing = await get_checkpoint.asyncio_detailed(model["id"], 400, client=bria)
    assert missing.status_code == 404 and isinstance(missing.parsed, str)
    download = await download_tailored_model.asyncio_detailed(model["id"], client=bria)
    assert (
        isinstance(download.parsed, ModelDownload)
        and download.parsed.base_model_name == "BRIA-FIBO"
    )

    sp = await structured_prompt_generate_tailored.asyncio_detailed(
        client=bria,
        body=StructuredPromptRequest(tailored_model_id=model["id"], prompt="a fox", sync=True),
    )
    assert isinstance(sp.parsed, GenerationResponse) and sp.parsed.structured_prompt
    source = base64.b64encode(image_bytes(400, 300)).decode()
    video = await generate_video_from_tailored_image.asyncio_detailed(
        client=bria, body=VideoGenerationRequest(tailored_model_id=model["id"], image=source)
    )
    assert video.status_code == 202 and isinstance(video.parsed, AsyncAccepted)

    assert (await delete_model.asyncio_detailed(model["id"], client=bria)).status_code == 204
    again = await delete_model.asyncio_detailed(model["id"], client=bria)
    assert again.status_code == 404 and isinstance(again.parsed, (ErrorResponse, MessageError))


async def test_upload_model_through_the_client(bria: AuthenticatedClient, api: Api) -> None:
    data = write_safetensors("client", 4, {"format": "pt"})
    hosted = await api.c.post("/_mock/files", content=data, params={"filename": "lora.safetensors"})
    r = await upload_model.asyncio_detailed(
        client=bria,
        body=ModelUpload(
            model_url=hosted.json()["url"],
            model_name="mine",
            project_parameters=ProjectParameters(project_name="P", ip_medium=IpMedium.PHOTOGRAPHY),
        ),
    )
    assert isinstance(r.parsed, Model) and r.parsed.status == ModelStatus.SYNCING
    await api.advance(300)
    assert (await api.get_model(r.parsed.id))["status"] == "Completed"


def test_every_operation_is_reached_through_the_generated_client() -> None:
    import pathlib
    import re

    here = pathlib.Path(__file__).parent
    used: set[str] = set()
    for name in (
        "test_mock_with_generated_client.py",
        "test_mock_client_operations.py",
        "test_mock_v1_generation.py",
    ):
        used |= set(re.findall(r"\b([a-z_]+)\.asyncio_detailed", (here / name).read_text()))
    api_dir = pathlib.Path(__import__("bria_tailored").__file__).parent / "api"
    every = {p.stem for p in api_dir.glob("*/*.py") if p.stem != "__init__"}
    assert every - used == set()

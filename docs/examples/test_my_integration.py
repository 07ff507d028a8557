"""Testing your own Bria integration against the mock, with the fixtures bria-mock ships.

Nothing to configure: installing ``bria-mock`` registers the fixtures ``bria_mock``,
``bria_client``, ``bria_async_client``, ``bria_mock_server`` and ``bria_webhooks``. Copy this
file into your tests and replace the "application code" section with imports of your own code.
"""

from __future__ import annotations

import io
import os

import pytest
from bria_mock.testing import InProcessMock, LoopbackMock
from bria_mock.webhook_receiver import WebhookReceiver
from bria_tailored import AuthenticatedClient
from bria_tailored.api.dataset import create_dataset, update_dataset, upload_image
from bria_tailored.api.image_generation import image_generate_tailored
from bria_tailored.api.model import create_model, start_training
from bria_tailored.api.project import create_project, get_projects
from bria_tailored.models import (
    AsyncAccepted,
    Dataset,
    DatasetCreate,
    DatasetStatus,
    DatasetUpdate,
    Image,
    ImageFileUpload,
    ImageGenerationRequest,
    IpMedium,
    IpType,
    Model,
    ModelCreate,
    Project,
    ProjectCreate,
    TrainingMode,
    TrainingRequest,
)
from bria_tailored.runtime import (
    JobFailed,
    UnprocessableEntityError,
    expect,
    make_client,
    parse_webhook,
    raise_for_status,
    verify_webhook,
    wait_for_request,
    wait_for_training,
)
from bria_tailored.types import File
from PIL import Image as PILImage

# --- application code (yours would be imported instead) -------------------------------------


def png(shade: int) -> bytes:
    """A 1024x1024 PNG (Bria's minimum side); the shade keeps images distinct."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (1024, 1024), (shade, 90, 160)).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def prepare_dataset(client: AuthenticatedClient, images: list[bytes]) -> Dataset:
    """Project → dataset → visual schema → uploads → completed dataset."""
    project = expect(
        create_project.sync_detailed(
            client=client,
            body=ProjectCreate(
                project_name="Mascot", ip_medium=IpMedium.ILLUSTRATION, ip_type=IpType.ICONS
            ),
        ),
        Project,
    )
    dataset = expect(
        create_dataset.sync_detailed(
            client=client, body=DatasetCreate(project_id=project.id, name="v1")
        ),
        Dataset,
    )
    schema = '{"style_medium": "flat illustration"}'
    update_dataset.sync_detailed(
        dataset.id, client=client, body=DatasetUpdate(visual_schema=schema)
    )
    for n, data in enumerate(images):
        upload = ImageFileUpload(file=File(io.BytesIO(data), f"{n}.png", "image/png"))
        expect(upload_image.sync_detailed(dataset.id, client=client, body=upload), Image)
    return expect(
        update_dataset.sync_detailed(
            dataset.id, client=client, body=DatasetUpdate(status=DatasetStatus.COMPLETED)
        ),
        Dataset,
    )


def start_model(client: AuthenticatedClient, dataset_id: int) -> Model:
    model = expect(
        create_model.sync_detailed(
            client=client,
            body=ModelCreate(
                name="mascot-v1", dataset_id=dataset_id, training_mode=TrainingMode.FULLY_AUTOMATED
            ),
        ),
        Model,
    )
    return expect(
        start_training.sync_detailed(model.id, client=client, body=TrainingRequest()), Model
    )


def on_webhook(body: bytes, headers: dict[str, str], api_token: str) -> str:
    """Your webhook receiver: check the signature before reading anything, then act."""
    verify_webhook(body, headers, api_token)  # raises WebhookVerificationError if forged or old
    return str(parse_webhook(body).status)


async def count_projects(client: AuthenticatedClient) -> int:
    return len(expect(await get_projects.asyncio_detailed(client=client), list))


# --- tests ----------------------------------------------------------------------------------


def test_training_and_generation_end_to_end(
    bria_client: AuthenticatedClient, bria_mock: InProcessMock
) -> None:
    dataset = prepare_dataset(bria_client, [png(40 * n) for n in range(5)])
    model = start_model(bria_client, dataset.id)
    # Waiters take sleep/clock: on the mock's virtual clock, hours of training take no time.
    trained = wait_for_training(
        bria_client, model.id, sleep=bria_mock.sleep, clock=bria_mock.clock.now, poll_interval=600
    )
    assert str(trained.status) == "Completed"
    accepted = expect(
        image_generate_tailored.sync_detailed(
            client=bria_client,
            body=ImageGenerationRequest(tailored_model_id=model.id, prompt="the mascot waving"),
        ),
        AsyncAccepted,
    )
    output = wait_for_request(
        bria_client, accepted.request_id, sleep=bria_mock.sleep, clock=bria_mock.clock.now
    )
    assert output.image_url


def test_a_failed_training_reaches_your_error_handling(
    bria_client: AuthenticatedClient, bria_mock: InProcessMock
) -> None:
    dataset = prepare_dataset(bria_client, [png(10 * n) for n in range(5)])
    model = start_model(bria_client, dataset.id)
    bria_mock.clock.advance(60)
    bria_mock.fail_training(model.id, reason="GPU lost")
    with pytest.raises(JobFailed):
        wait_for_training(bria_client, model.id, sleep=bria_mock.sleep, clock=bria_mock.clock.now)


def test_content_moderation_refusal(
    bria_client: AuthenticatedClient, bria_mock: InProcessMock
) -> None:
    dataset = prepare_dataset(bria_client, [png(20 * n) for n in range(5)])
    model = start_model(bria_client, dataset.id)
    bria_mock.clock.advance(24 * 3600)
    refused = image_generate_tailored.sync_detailed(
        client=bria_client,
        body=ImageGenerationRequest(tailored_model_id=model.id, prompt=bria_mock.unsafe_prompt()),
    )
    with pytest.raises(UnprocessableEntityError, match="moderation"):
        raise_for_status(refused)


def test_rate_limits_are_retried_on_the_virtual_clock(
    bria_client: AuthenticatedClient, bria_mock: InProcessMock
) -> None:
    bria_mock.rate_limit(2, per_seconds=60)
    started = bria_mock.clock.now()
    for _ in range(3):  # the third request gets 429 + Retry-After; the client waits and retries
        raise_for_status(get_projects.sync_detailed(client=bria_client))
    assert bria_mock.clock.now() > started  # the wait was virtual
    bria_mock.rate_limit(None)


def test_reset_forgets_everything(
    bria_client: AuthenticatedClient, bria_mock: InProcessMock
) -> None:
    prepare_dataset(bria_client, [png(n) for n in range(5)])
    bria_mock.reset()
    assert get_projects.sync(client=bria_client) == []


@pytest.mark.anyio
async def test_async_code_uses_the_async_client(bria_async_client: AuthenticatedClient) -> None:
    assert await count_projects(bria_async_client) == 0
    await create_project.asyncio_detailed(
        client=bria_async_client,
        body=ProjectCreate(
            project_name="Async", ip_medium=IpMedium.PHOTOGRAPHY, ip_type=IpType.OTHER
        ),
    )
    assert await count_projects(bria_async_client) == 1


def test_code_that_builds_its_own_client_from_the_environment(
    bria_mock_server: LoopbackMock,
) -> None:
    # BRIA_BASE_URL and BRIA_API_TOKEN point at a real loopback server for this test.
    assert os.environ["BRIA_BASE_URL"] == bria_mock_server.base_url
    client = make_client()  # what your production code does
    prepare_dataset(client, [png(30 * n) for n in range(5)])
    assert len(expect(get_projects.sync_detailed(client=client), list)) == 1


def test_your_webhook_receiver_gets_signed_deliveries(
    bria_webhooks: WebhookReceiver, bria_mock_server: LoopbackMock
) -> None:
    # bria_webhooks comes first: its URL is then allowed as a webhook_url on the server.
    client = bria_mock_server.client()
    model = start_model(client, prepare_dataset(client, [png(20 * n) for n in range(5)]).id)
    bria_mock_server.clock.advance(10 * 24 * 3600)  # the training finishes
    accepted = raise_for_status(
        image_generate_tailored.sync_detailed(
            client=client,
            body=ImageGenerationRequest(
                tailored_model_id=model.id, prompt="the mascot", webhook_url=bria_webhooks.url
            ),
        )
    )
    bria_mock_server.clock.advance(60)  # the generation finishes; the server delivers
    request_id = str(accepted.parsed.request_id)  # type: ignore[union-attr]
    delivery = bria_webhooks.wait_for(request_id)
    assert on_webhook(delivery.body, delivery.headers, bria_mock_server.token) == "COMPLETED"

"""Only what the caller set is sent; unknown enum values and undeclared statuses never raise."""

from __future__ import annotations

import json
from http import HTTPStatus

import httpx
import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.api.dataset import get_bulk_upload_status, get_dataset_by_id
from bria_tailored.api.image_generation import image_generate_tailored
from bria_tailored.api.model import get_model, start_training
from bria_tailored.api.status import get_status
from bria_tailored.models import (
    BulkUploadStatus,
    CaptionSource,
    Dataset,
    ImageGenerationRequest,
    LrScheduler,
    Model,
    ModelStatus,
    RequestState,
    RequestStatus,
    TrainingRequest,
)
from bria_tailored.runtime import (
    InternalServerError,
    RetryPolicy,
    UnexpectedStatusError,
    error_class_for_status,
    make_client,
    raise_for_status,
    status_error_from_response,
)
from client_fakes import BASE_URL, FakeBria, reply

START = "/v1/tailored-gen/models/7/start_training"


def test_empty_training_request_sends_exactly_an_empty_object(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("POST", START, reply(200, {"id": 7, "status": "InProgress"}))
    response = start_training.sync_detailed(7, client=client, body=TrainingRequest())
    assert response.status_code == 200
    request = server.requests[0]
    assert request.content == b"{}"
    assert request.headers["content-type"] == "application/json"


def test_training_request_sends_only_the_fields_that_were_set(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("POST", START, reply(200, {"id": 7, "status": "InProgress"}))
    body = TrainingRequest(lr_scheduler=LrScheduler.CONSTANT, total_training_steps=900)
    start_training.sync_detailed(7, client=client, body=body)
    assert json.loads(server.requests[0].content) == {
        "lr_scheduler": "constant",
        "total_training_steps": 900,
    }


def test_generation_request_does_not_send_documented_defaults(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on(
        "POST", "/v2/image/generate/tailored", reply(202, {"request_id": "r", "status_url": "u"})
    )
    body = ImageGenerationRequest(tailored_model_id=7, prompt="a cat")
    image_generate_tailored.sync_detailed(client=client, body=body)
    assert json.loads(server.requests[0].content) == {"tailored_model_id": 7, "prompt": "a cat"}


def test_unknown_model_status_parses_as_an_unknown_member(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("GET", "/v1/tailored-gen/models/7", reply(200, {"id": 7, "status": "Queued"}))
    parsed = get_model.sync_detailed(7, client=client).parsed
    assert isinstance(parsed, Model)
    assert isinstance(parsed.status, ModelStatus)
    assert parsed.status == "Queued"
    assert parsed.status.is_known is False
    assert ModelStatus("Completed").is_known is True


def test_documented_case_variants_and_values_are_known_members(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    # upload_model's prose says "completed", its example "Completed"; bria-guide-v1.md lists
    # caption source "automatic/manual/unknown".
    server.on("GET", "/v1/tailored-gen/models/7", reply(200, {"id": 7, "status": "completed"}))
    parsed = get_model.sync(7, client=client)
    assert isinstance(parsed, Model)
    assert parsed.status is ModelStatus.COMPLETED
    assert CaptionSource("unknown").is_known is True
    assert CaptionSource("Manual") is CaptionSource.MANUAL


def test_unknown_values_in_other_enums_parse(server: FakeBria, client: AuthenticatedClient) -> None:
    server.on(
        "GET",
        "/v1/tailored-gen/datasets/3",
        reply(200, {"id": 3, "status": "archived", "captions_update_status": "queued"}),
    )
    server.on(
        "GET",
        "/v1/tailored-gen/datasets/3/images/bulk-upload/status",
        reply(200, {"status": "paused", "progress_percentage": 10}),
    )
    server.on("GET", "/v2/status/r", reply(200, {"request_id": "r", "status": "CANCELLED"}))

    dataset = get_dataset_by_id.sync(3, client=client)
    upload = get_bulk_upload_status.sync(3, client=client)
    status = get_status.sync("r", client=client)

    assert isinstance(dataset, Dataset) and str(dataset.captions_update_status) == "queued"
    assert isinstance(upload, BulkUploadStatus) and str(upload.status) == "paused"
    assert isinstance(status, RequestStatus) and str(status.status) == "CANCELLED"
    assert not status.status.is_known


def test_status_460_comes_back_as_a_plain_int_without_raising(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    body = {
        "error": {"code": 460, "message": "Failed to download image", "details": "timeout"},
        "request_id": "q",
    }
    server.on("POST", "/v2/image/generate/tailored", reply(460, body))
    response = image_generate_tailored.sync_detailed(
        client=client, body=ImageGenerationRequest(tailored_model_id=7, prompt="x")
    )
    assert response.status_code == 460
    assert not isinstance(response.status_code, HTTPStatus)
    assert response.parsed is None
    error = status_error_from_response(response)
    assert type(error) is UnexpectedStatusError
    assert error.status_code == 460
    assert "Failed to download image: timeout" in str(error)
    assert error.request_id == "q"


def test_status_506_is_a_server_error(server: FakeBria, client: AuthenticatedClient) -> None:
    server.on("GET", "/v1/tailored-gen/models/7", reply(506, {"message": "variant loop"}))
    response = get_model.sync_detailed(7, client=client)
    assert response.status_code == 506
    assert response.parsed is None
    assert error_class_for_status(506) is InternalServerError
    assert isinstance(status_error_from_response(response), InternalServerError)


@pytest.mark.parametrize(
    ("status", "content"),
    [
        (429, b""),  # a gateway's rate limit without Bria's envelope
        (500, b"<html><body>Internal Server Error</body></html>"),
        (404, b'{"message": "Not Found"}'),  # envelope missing, another documented shape
        (401, b'{"error": "invalid token"}'),
    ],
)
def test_declared_error_status_with_an_undeclared_body_does_not_raise(
    server: FakeBria, status: int, content: bytes
) -> None:
    server.on("GET", "/v1/tailored-gen/models/7", httpx.Response(status, content=content))
    client = make_client(
        "a-token-of-some-length",
        base_url=BASE_URL,
        transport=server.transport,
        retry=RetryPolicy.disabled(),
    )
    response = get_model.sync_detailed(7, client=client)
    assert response.status_code == status
    assert response.parsed is None
    with pytest.raises(error_class_for_status(status)):
        raise_for_status(response)


def test_a_documented_value_named_unknown_is_a_known_member() -> None:
    # The Status Service documents UNKNOWN as a real state; it must not look like an
    # undocumented value just because of its name.
    assert RequestState("UNKNOWN") is RequestState.UNKNOWN
    assert RequestState.UNKNOWN.is_known is True
    assert RequestState("PAUSED").is_known is False

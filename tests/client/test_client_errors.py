"""Typed errors by status, with the message taken from every documented error body shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.api.model import delete_model, get_model, start_training
from bria_tailored.models import Model, TrainingRequest
from bria_tailored.runtime import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    BriaError,
    ConflictError,
    InternalServerError,
    InvalidField,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    UnexpectedResponseError,
    UnexpectedStatusError,
    UnprocessableEntityError,
    UnsupportedMediaTypeError,
    expect,
    raise_for_status,
)
from client_fakes import FakeBria, reply

MODEL_PATH = "/v1/tailored-gen/models/7"


def envelope(code: int, message: str, details: str = "more") -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}, "request_id": "req-1"}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (412, PreconditionFailedError),
        (413, PayloadTooLargeError),
        (415, UnsupportedMediaTypeError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (418, UnexpectedStatusError),
        (460, UnexpectedStatusError),
    ],
)
def test_status_maps_to_its_error_class(status: int, expected: type[APIStatusError]) -> None:
    response = httpx.Response(status, json=envelope(status, "boom"))
    with pytest.raises(expected) as info:
        raise_for_status(response)
    assert type(info.value) is expected
    assert isinstance(info.value, APIStatusError)
    assert isinstance(info.value, BriaError)
    assert info.value.status_code == status


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_success_passes_through_unchanged(status: int) -> None:
    response = httpx.Response(status)
    assert raise_for_status(response) is response


def test_bria_envelope_gives_message_details_code_and_request_id() -> None:
    body = envelope(404, "Model not found", "model_id 7 does not exist")
    with pytest.raises(NotFoundError) as info:
        raise_for_status(httpx.Response(404, json=body))
    error = info.value
    assert error.message == (
        "HTTP 404 Not Found: Model not found: model_id 7 does not exist (request_id=req-1)"
    )
    assert (error.code, error.details, error.request_id) == (
        404,
        "model_id 7 does not exist",
        "req-1",
    )
    assert error.body == body


def test_json_string_body_of_403_is_the_message(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, reply(403, "Access denied: monthly quota exceeded"))
    response = get_model.sync_detailed(7, client=client)
    assert response.parsed == "Access denied: monthly quota exceeded"
    with pytest.raises(PermissionDeniedError) as info:
        raise_for_status(response)
    assert str(info.value) == "HTTP 403 Forbidden: Access denied: monthly quota exceeded"


def test_message_body_of_409_on_delete_model(server: FakeBria, client: AuthenticatedClient) -> None:
    server.on("DELETE", MODEL_PATH, reply(409, {"message": "Model is currently training"}))
    with pytest.raises(ConflictError, match="Model is currently training"):
        raise_for_status(delete_model.sync_detailed(7, client=client))


def test_field_errors_of_400_on_start_training(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    body = {
        "errors": [
            {
                "msg": "Input should be less than or equal to 5000",
                "field_name": "total_training_steps",
                "field_input": "1000000",
            },
            {"msg": "Only for expert mode", "field_name": "rank", "field_input": 64},
        ]
    }
    server.on("POST", f"{MODEL_PATH}/start_training", reply(400, body))
    response = start_training.sync_detailed(7, client=client, body=TrainingRequest(rank=64))
    with pytest.raises(BadRequestError) as info:
        raise_for_status(response)
    error = info.value
    assert error.field_errors == (
        InvalidField(
            "Input should be less than or equal to 5000", "total_training_steps", "1000000"
        ),
        InvalidField("Only for expert mode", "rank", 64),
    )
    assert "total_training_steps: Input should be less than or equal to 5000 (got '1000000')" in (
        error.message
    )
    assert "rank: Only for expert mode (got 64)" in error.message


def test_message_body_of_400_on_start_training(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    text = "Advanced training parameters are only supported when training_mode is set to 'expert'."
    server.on("POST", f"{MODEL_PATH}/start_training", reply(400, {"message": text}))
    response = start_training.sync_detailed(7, client=client, body=TrainingRequest(rank=64))
    with pytest.raises(BadRequestError) as info:
        raise_for_status(response)
    assert info.value.message == f"HTTP 400 Bad Request: {text}"
    assert info.value.field_errors == ()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "HTTP 502 Bad Gateway"),
        (b"<html>upstream down</html>", "HTTP 502 Bad Gateway: <html>upstream down</html>"),
        (b'{"unexpected": 1}', 'HTTP 502 Bad Gateway: {"unexpected": 1}'),
    ],
)
def test_undocumented_bodies_still_give_a_readable_message(content: bytes, expected: str) -> None:
    with pytest.raises(InternalServerError) as info:
        raise_for_status(httpx.Response(502, content=content))
    assert str(info.value) == expected


def test_huge_error_bodies_are_truncated_in_the_message() -> None:
    with pytest.raises(InternalServerError) as info:
        raise_for_status(httpx.Response(500, content=b"x" * 10_000))
    assert len(str(info.value)) < 600
    assert info.value.body == "x" * 10_000


def test_request_id_falls_back_to_the_header() -> None:
    response = httpx.Response(404, json={"message": "gone"}, headers={"X-Request-ID": "hdr-9"})
    with pytest.raises(NotFoundError) as info:
        raise_for_status(response)
    assert info.value.request_id == "hdr-9"


def test_rate_limit_error_exposes_retry_after() -> None:
    response = httpx.Response(429, json=envelope(429, "slow down"), headers={"Retry-After": "7"})
    with pytest.raises(RateLimitError) as info:
        raise_for_status(response)
    assert info.value.retry_after == 7.0


def test_repr_names_status_and_request_id() -> None:
    error = NotFoundError(404, envelope(404, "nope"))
    assert repr(error) == (
        "NotFoundError(status_code=404, request_id='req-1', "
        "message='HTTP 404 Not Found: nope: more (request_id=req-1)')"
    )


def test_expect_returns_the_typed_body(server: FakeBria, client: AuthenticatedClient) -> None:
    server.on("GET", MODEL_PATH, reply(200, {"id": 7, "status": "Completed"}))
    model = expect(get_model.sync_detailed(7, client=client), Model)
    assert model.id == 7


def test_expect_raises_the_typed_error_for_error_statuses(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, reply(404, envelope(404, "Model not found")))
    with pytest.raises(NotFoundError):
        expect(get_model.sync_detailed(7, client=client), Model)


def test_expect_rejects_a_success_body_of_the_wrong_type(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("GET", MODEL_PATH, reply(299, {"id": 7}))
    with pytest.raises(UnexpectedResponseError, match="did not parse as Model"):
        expect(get_model.sync_detailed(7, client=client), Model)

"""Generation answers in every shape Bria uses parse into one GenerationOutput."""

from __future__ import annotations

import httpx
import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.api.image_generation import image_generate_tailored
from bria_tailored.models import ImageGenerationRequest
from bria_tailored.runtime import (
    GenerationOutput,
    PermissionDeniedError,
    UnexpectedResponseError,
    parse_generation_response,
)
from client_fakes import FakeBria, reply

GENERATE = "/v2/image/generate/tailored"
SP = '{"short_description": "a cat"}'


def generate(client: AuthenticatedClient) -> GenerationOutput:
    body = ImageGenerationRequest(tailored_model_id=7, prompt="a cat", sync=True)
    return parse_generation_response(
        image_generate_tailored.sync_detailed(client=client, body=body)
    )


def test_sync_answer_in_the_bundle_shape(server: FakeBria, client: AuthenticatedClient) -> None:
    server.on(
        "POST", GENERATE, reply(200, {"image_url": "https://i/1.png", "structured_prompt": SP})
    )
    output = generate(client)
    assert output.done and not output.pending
    assert (output.image_url, output.structured_prompt) == ("https://i/1.png", SP)
    assert output.structured_prompt_data() == {"short_description": "a cat"}
    assert output.request_id is None


def test_sync_answer_in_the_result_object_shape(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    body = {
        "result": {"image_url": "https://i/2.png", "structured_prompt": SP, "seed": 42},
        "request_id": "r-2",
    }
    server.on("POST", GENERATE, reply(200, body))
    output = generate(client)
    assert output.done
    assert (output.image_url, output.seed, output.request_id) == ("https://i/2.png", 42, "r-2")
    assert output.raw == body


def test_both_shapes_give_equal_outputs_apart_from_raw_and_ids() -> None:
    flat = parse_generation_response({"image_url": "u", "structured_prompt": SP})
    nested = parse_generation_response({"result": {"image_url": "u", "structured_prompt": SP}})
    assert flat == nested


def test_async_acceptance_is_pending(server: FakeBria, client: AuthenticatedClient) -> None:
    server.on("POST", GENERATE, reply(202, {"request_id": "r-3", "status_url": "https://s/r-3"}))
    output = generate(client)
    assert output.pending and not output.done
    assert (output.request_id, output.status_url, output.url) == ("r-3", "https://s/r-3", None)


def test_status_service_answers() -> None:
    done = parse_generation_response(
        b'{"request_id": "r", "status": "COMPLETED", "result": {"video_url": "https://v"}}'
    )
    assert done.done and done.url == "https://v"
    failed = parse_generation_response(
        {
            "request_id": "r",
            "status": "ERROR",
            "error": {"code": 500, "message": "Internal Server Error", "details": "boom"},
        }
    )
    assert (failed.status, failed.error_code, failed.error_message, failed.error_details) == (
        "ERROR",
        500,
        "Internal Server Error",
        "boom",
    )
    assert not failed.done and not failed.pending


@pytest.mark.parametrize(
    ("seed", "expected"), [(7, 7), ("123456", 123456), ("abc", None), (True, None), (None, None)]
)
def test_seed_is_an_int_even_when_sent_as_a_string(seed: object, expected: int | None) -> None:
    assert parse_generation_response({"result": {"image_url": "u", "seed": seed}}).seed == expected


def test_structured_prompt_sent_as_an_object_is_kept_as_json_text() -> None:
    output = parse_generation_response({"result": {"structured_prompt": {"a": 1}}})
    assert output.structured_prompt == '{"a": 1}'
    assert output.structured_prompt_data() == {"a": 1}


def test_error_responses_raise_their_typed_error(
    server: FakeBria, client: AuthenticatedClient
) -> None:
    server.on("POST", GENERATE, reply(403, "Access denied: quota"))
    with pytest.raises(PermissionDeniedError, match="quota"):
        generate(client)


@pytest.mark.parametrize("content", [b"[1, 2]", b"not json", b'"text"'])
def test_non_object_bodies_are_refused_clearly(content: bytes) -> None:
    with pytest.raises(UnexpectedResponseError, match="must be a JSON object"):
        parse_generation_response(httpx.Response(200, content=content))

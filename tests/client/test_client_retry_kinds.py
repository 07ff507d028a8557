"""What may be sent again: job-starting PUTs are writes; a DELETE done by a lost attempt is done."""

from __future__ import annotations

import httpx
import pytest
from bria_tailored.api.dataset import regenerate_all_captions, update_dataset
from bria_tailored.api.model import delete_model
from bria_tailored.models import DatasetUpdate
from bria_tailored.runtime import (
    RequestKind,
    RetryPolicy,
    make_client,
    raise_for_status,
    request_kind,
)
from client_fakes import BASE_URL, TOKEN, FakeBria, FakeClock, client_for, reply

CAPTIONS = "/v1/tailored-gen/datasets/3/images"
DATASET = "/v1/tailored-gen/datasets/3"
MODEL = "/v1/tailored-gen/models/7"


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("GET", MODEL, RequestKind.READ),
        ("PUT", DATASET, RequestKind.READ),
        ("PUT", "/v1/tailored-gen/datasets/3/images/9", RequestKind.READ),
        ("PUT", CAPTIONS, RequestKind.WRITE),
        ("PUT", CAPTIONS + "/", RequestKind.WRITE),
        ("POST", MODEL + "/start_training", RequestKind.WRITE),
        ("DELETE", MODEL, RequestKind.DELETE),
    ],
)
def test_request_kinds(method: str, path: str, kind: RequestKind) -> None:
    assert request_kind(method, path) is kind


def test_caption_regeneration_put_is_not_retried_on_503(server: FakeBria, clock: FakeClock) -> None:
    server.on("PUT", CAPTIONS, reply(503), reply(202, {"id": 3}))
    response = regenerate_all_captions.sync_detailed(3, client=client_for(server, clock))
    assert response.status_code == 503
    assert server.calls("PUT", CAPTIONS) == 1


def test_caption_regeneration_put_is_not_retried_after_a_reset(
    server: FakeBria, clock: FakeClock
) -> None:
    server.on("PUT", CAPTIONS, httpx.ReadError("reset"), reply(202, {"id": 3}))
    with pytest.raises(httpx.TransportError):
        regenerate_all_captions.sync_detailed(3, client=client_for(server, clock))
    assert server.calls("PUT", CAPTIONS) == 1


def test_caption_regeneration_put_is_retried_on_429(server: FakeBria, clock: FakeClock) -> None:
    server.on("PUT", CAPTIONS, reply(429, headers={"Retry-After": "1"}), reply(202, {"id": 3}))
    response = regenerate_all_captions.sync_detailed(3, client=client_for(server, clock))
    assert response.status_code == 202
    assert server.calls("PUT", CAPTIONS) == 2


def test_overwriting_put_is_still_retried_like_a_read(server: FakeBria, clock: FakeClock) -> None:
    server.on("PUT", DATASET, reply(503), reply(200, {"id": 3, "name": "d"}))
    update_dataset.sync_detailed(3, client=client_for(server, clock), body=DatasetUpdate(name="d"))
    assert server.calls("PUT", DATASET) == 2


def test_delete_done_by_a_lost_attempt_is_reported_as_done(
    server: FakeBria, clock: FakeClock
) -> None:
    server.on("DELETE", MODEL, httpx.ReadError("connection reset"), reply(404, {"error": {}}))
    response = delete_model.sync_detailed(7, client=client_for(server, clock))
    assert response.status_code == 204
    assert "earlier attempt" in response.headers["x-bria-client-note"]
    raise_for_status(response)
    assert server.calls("DELETE", MODEL) == 2


def test_delete_404_without_a_lost_attempt_stays_404(server: FakeBria, clock: FakeClock) -> None:
    # Refused connection: the first attempt never reached the server, so 404 means "not there".
    server.on("DELETE", MODEL, httpx.ConnectError("refused"), reply(404, {"error": {}}))
    assert delete_model.sync_detailed(7, client=client_for(server, clock)).status_code == 404
    server2 = FakeBria().on("DELETE", MODEL, reply(404, {"error": {}}))
    assert delete_model.sync_detailed(7, client=client_for(server2, clock)).status_code == 404


def test_opt_in_treats_writes_as_reads(server: FakeBria, clock: FakeClock) -> None:
    server.on("PUT", CAPTIONS, reply(503), reply(202, {"id": 3}))
    client = make_client(
        TOKEN,
        base_url=BASE_URL,
        transport=server.transport,
        retry=RetryPolicy(
            retry_non_idempotent=True, sleep=clock.sleep, clock=clock.monotonic, random=lambda: 0
        ),
    )
    assert regenerate_all_captions.sync_detailed(3, client=client).status_code == 202

"""State transitions hold under concurrent requests.

Catalog entry state.serialized-transitions.
"""

from __future__ import annotations

import asyncio

import pytest
from bria_mock import MockConfig
from mock_helpers import TOKEN_A, Api, ClientFactory, image_bytes

pytestmark = pytest.mark.anyio

UPLOADERS = 8
ATTEMPTS_EACH = 30  # 240 attempts for 200 places


# Images are processed at 256 px here only to keep the run short; the cap logic is unchanged.
@pytest.fixture
def config() -> MockConfig:
    return MockConfig(target_side=256, min_upscale_side=64)


async def test_image_cap_holds_with_eight_concurrent_uploaders(client_for: ClientFactory) -> None:
    clients = [Api(client_for(TOKEN_A)) for _ in range(UPLOADERS)]
    ds = await clients[0].dataset()
    payloads = [
        image_bytes(256, 256, color=(i % 256, i // 256, 7))
        for i in range(UPLOADERS * ATTEMPTS_EACH)
    ]

    async def uploader(index: int) -> list[int]:
        statuses = []
        for attempt in range(ATTEMPTS_EACH):
            r = await clients[index].upload(ds["id"], payloads[index * ATTEMPTS_EACH + attempt])
            statuses.append(r.status_code)
        return statuses

    results = await asyncio.gather(*(uploader(i) for i in range(UPLOADERS)))
    flat = [s for statuses in results for s in statuses]
    assert set(flat) <= {201, 409}
    assert flat.count(201) == 200
    assert flat.count(409) == UPLOADERS * ATTEMPTS_EACH - 200
    dataset = (await clients[0].c.get(f"/v1/tailored-gen/datasets/{ds['id']}")).json()
    listed = (await clients[0].c.get(f"/v1/tailored-gen/datasets/{ds['id']}/images")).json()
    assert dataset["images_count"] == 200
    assert len(listed) == 200 and len({i["id"] for i in listed}) == 200


async def test_concurrent_training_starts_only_one_wins(
    api: Api, client_for: ClientFactory
) -> None:
    model = await api.model()
    racers = [Api(client_for(TOKEN_A)) for _ in range(8)]
    results = await asyncio.gather(*(r.start(model["id"]) for r in racers))
    assert sorted(r.status_code for r in results) == [200] + [409] * 7


async def test_concurrent_bulk_uploads_only_one_attempt(
    api: Api, client_for: ClientFactory
) -> None:
    from mock_helpers import zip_bytes

    ds = await api.dataset(upload_type="advanced")
    archive = zip_bytes({f"{i}.png": image_bytes(256, 256, color=(i, 1, 1)) for i in range(3)})
    racers = [Api(client_for(TOKEN_A)) for _ in range(8)]

    async def send(r: Api) -> int:
        response = await r.c.post(
            f"/v1/tailored-gen/datasets/{ds['id']}/images/bulk-upload",
            files={"file": ("a.zip", archive, "application/zip")},
        )
        return response.status_code

    statuses = await asyncio.gather(*(send(r) for r in racers))
    assert sorted(statuses) == [202] + [400] * 7

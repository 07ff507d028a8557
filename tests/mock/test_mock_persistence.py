"""``--state PATH``: SQLite persistence survives a restart (catalog entry state.persistence)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from bria_mock import MockConfig, create_app
from mock_helpers import BASE, TOKEN_A, Api, ResponseValidator, ValidatingTransport, decode

pytestmark = pytest.mark.anyio


def _api(app: object, validator: ResponseValidator) -> Api:
    transport = ValidatingTransport(httpx.ASGITransport(app=app), validator)  # type: ignore[arg-type]
    return Api(
        httpx.AsyncClient(transport=transport, base_url=BASE, headers={"api_token": TOKEN_A})
    )


async def test_state_survives_a_restart(tmp_path: Path, validator: ResponseValidator) -> None:
    state = str(tmp_path / "mock.db")
    first_app = create_app(MockConfig(state_path=state))
    api = _api(first_app, validator)
    model = await api.model(mode="expert")
    await api.start(model["id"], total_training_steps=1000, checkpoint_interval=500)
    await api.advance(500 * 10 + 5)  # the first checkpoint exists, training goes on
    images = (await api.c.get(f"/v1/tailored-gen/datasets/{model['dataset_id']}/images")).json()
    rid = await api.c.post(
        "/v2/image/generate/tailored", json={"tailored_model_id": model["id"], "prompt": "x"}
    )
    assert rid.status_code == 400  # not trained yet: nothing generated
    clock_before = (await api.c.get("/_mock/clock")).json()["epoch"]
    await api.c.aclose()
    first_app.state.mock.close()

    second_app = create_app(MockConfig(state_path=state))
    api = _api(second_app, validator)
    assert (await api.c.get("/_mock/clock")).json()["epoch"] >= clock_before
    again = await api.get_model(model["id"])
    assert again["status"] == "InProgress" and again["checkpoint_steps"] == [500]
    # signed URLs issued before the restart still work: the signing secret is persisted
    assert decode((await api.fetch(images[0]["image_url"])).content).size == (1024, 1024)
    # scheduled work carries on after the restart
    await api.advance(600 * 10)
    done = await api.get_model(model["id"])
    assert done["status"] == "Completed" and done["checkpoint_steps"] == [1000, 500]
    # new ids never reuse old ones
    project = await api.project()
    assert project["id"] > model["id"]
    await api.c.aclose()
    second_app.state.mock.close()


async def test_reset_clears_the_database(tmp_path: Path, validator: ResponseValidator) -> None:
    state = str(tmp_path / "mock.db")
    app = create_app(MockConfig(state_path=state))
    api = _api(app, validator)
    await api.project()
    await api.c.post("/_mock/reset")
    await api.c.aclose()
    app.state.mock.close()
    api = _api(create_app(MockConfig(state_path=state)), validator)
    assert (await api.c.get("/v1/tailored-gen/projects")).json() == []
    await api.c.aclose()


async def test_unwritable_state_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="cannot open state database"):
        create_app(MockConfig(state_path=str(tmp_path)))  # a directory, not a file

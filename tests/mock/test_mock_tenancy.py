"""Auth, organization isolation, quota and rate limit (catalog entries auth.*, limit.*)."""

from __future__ import annotations

import httpx
import pytest
from bria_mock import MockConfig
from mock_helpers import TOKEN_A, TOKEN_B, Api, ClientFactory
from starlette.applications import Starlette

pytestmark = pytest.mark.anyio

PROJECTS = "/v1/tailored-gen/projects"


@pytest.mark.parametrize("token", [None, ""])
async def test_missing_token_is_401(client_for: ClientFactory, token: str | None) -> None:
    client = client_for(token)
    r = await client.get(PROJECTS)
    assert r.status_code == 401
    assert "api_token" in r.json()["error"]["message"]
    r = await client.post(
        PROJECTS, json={"project_name": "x", "ip_medium": "photography", "ip_type": "other"}
    )
    assert r.status_code == 401


async def test_blank_token_is_401(app: Starlette) -> None:
    # a raw client: the response validator refuses to even look at a whitespace header value
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://mock"
    ) as c:
        r = await c.get(PROJECTS, headers={"api_token": "   "})
    assert r.status_code == 401


@pytest.mark.parametrize("config", [MockConfig(tokens=("good-token",))])
async def test_configured_tokens_only(client_for: ClientFactory, config: MockConfig) -> None:
    bad = await client_for("secret-guess").get(PROJECTS)
    assert bad.status_code == 401
    assert "secret-guess" not in bad.text  # the token is never echoed
    assert (await client_for("good-token").get(PROJECTS)).status_code == 200


async def test_other_organizations_resources_are_invisible(api: Api, other: Api) -> None:
    ds = await api.ready_dataset()
    model = await api.model(ds["id"])
    image = (await api.c.get(f"/v1/tailored-gen/datasets/{ds['id']}/images")).json()[0]
    assert (await other.c.get(PROJECTS)).json() == []
    assert (await other.c.get("/v1/tailored-gen/datasets")).json() == []
    assert (await other.c.get("/v1/tailored-gen/models")).json() == []
    for path in (
        f"{PROJECTS}/{ds['project_id']}",
        f"{PROJECTS}/{ds['project_id']}/datasets",
        f"{PROJECTS}/{ds['project_id']}/models",
        f"/v1/tailored-gen/datasets/{ds['id']}",
        f"/v1/tailored-gen/datasets/{ds['id']}/images",
        f"/v1/tailored-gen/datasets/{ds['id']}/images/{image['id']}",
        f"/v1/tailored-gen/models/{model['id']}",
        f"/v1/datasets/{ds['id']}/download",
    ):
        assert (await other.c.get(path)).status_code == 404, path
    assert (await other.c.delete(f"{PROJECTS}/{ds['project_id']}")).status_code == 404
    assert (await other.c.delete(f"/v1/tailored-gen/models/{model['id']}")).status_code == 404
    assert (await other.start(model["id"])).status_code == 404
    r = await other.c.post(
        "/v1/tailored-gen/models", json={"name": "steal", "dataset_id": ds["id"]}
    )
    assert r.status_code == 404
    # and nothing changed for the owner
    assert (await api.get_model(model["id"]))["status"] == "Created"
    assert (await api.c.get(PROJECTS)).json()[0]["id"] == ds["project_id"]


@pytest.mark.parametrize("config", [MockConfig(rate_limit=3, rate_window_seconds=60)])
async def test_rate_limit_answers_429_with_retry_after(
    api: Api, other: Api, config: MockConfig
) -> None:
    for _ in range(3):
        assert (await api.c.get(PROJECTS)).status_code == 200
    r = await api.c.get(PROJECTS)
    assert r.status_code == 429
    retry = int(r.headers["Retry-After"])
    assert 1 <= retry <= 60
    assert r.json()["error"]["code"] == 429
    assert (await other.c.get(PROJECTS)).status_code == 200  # limits are per organization
    await api.advance(retry)
    assert (await api.c.get(PROJECTS)).status_code == 200


@pytest.mark.parametrize("config", [MockConfig(quota_requests=2)])
async def test_quota_defaults_to_429(api: Api, config: MockConfig) -> None:
    await api.c.get(PROJECTS)
    await api.c.get(PROJECTS)
    r = await api.c.get(PROJECTS)
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert "Quota exceeded" in r.json()["error"]["message"]


@pytest.mark.parametrize("config", [MockConfig(quota_requests=1, quota_status=403)])
async def test_quota_as_documented_403_string(api: Api, config: MockConfig) -> None:
    await api.c.get(PROJECTS)
    r = await api.c.get(PROJECTS)
    assert r.status_code == 403
    assert isinstance(r.json(), str) and r.json().startswith("Quota exceeded")


async def test_tokens_are_distinct_organizations(client_for: ClientFactory) -> None:
    a, b = Api(client_for(TOKEN_A)), Api(client_for(TOKEN_B))
    await a.project(project_name="A")
    await b.project(project_name="B")
    assert [p["project_name"] for p in (await a.c.get(PROJECTS)).json()] == ["A"]
    assert [p["project_name"] for p in (await b.c.get(PROJECTS)).json()] == ["B"]

"""Client mistakes always get a 4xx whose message says what was wrong.

Catalog entries shape.* and limit.*.
"""

from __future__ import annotations

import pytest
from bria_mock import MockConfig
from mock_helpers import Api

pytestmark = pytest.mark.anyio

PROJECTS = "/v1/tailored-gen/projects"


async def test_malformed_json(api: Api) -> None:
    r = await api.c.post(
        PROJECTS, content=b'{"project_name": ', headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]["message"]


async def test_json_of_the_wrong_type(api: Api) -> None:
    r = await api.c.post(PROJECTS, json=["not", "an", "object"])
    assert r.status_code == 400 and "request body" in r.json()["error"]["message"]
    r = await api.c.post(
        PROJECTS, json={"project_name": 5, "ip_medium": "photography", "ip_type": "other"}
    )
    assert r.status_code == 400 and "project_name" in r.json()["error"]["message"]
    r = await api.c.post(
        PROJECTS, json={"project_name": "x", "ip_medium": "oil", "ip_type": "other"}
    )
    assert r.status_code == 400 and "ip_medium" in r.json()["error"]["message"]


async def test_wrong_content_type(api: Api) -> None:
    r = await api.c.post(
        PROJECTS, content=b"project_name=x", headers={"content-type": "text/plain"}
    )
    assert r.status_code == 400 and "application/json" in r.json()["error"]["message"]
    ds = await api.dataset()
    r = await api.c.post(
        f"/v1/tailored-gen/datasets/{ds['id']}/images",
        content=b"x",
        headers={"content-type": "image/png"},
    )
    assert r.status_code == 415


async def test_non_utf8_body(api: Api) -> None:
    r = await api.c.post(
        PROJECTS, content=b"\xff\xfe{}", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400


async def test_deeply_nested_json(api: Api) -> None:
    r = await api.c.post(
        PROJECTS,
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400


async def test_empty_body_where_one_is_required(api: Api) -> None:
    r = await api.c.post(PROJECTS)
    assert r.status_code == 400 and "required" in r.json()["error"]["message"]


@pytest.mark.parametrize("raw", ["abc", "1.5", "99999999999999999999999999", "0x10", "%20"])
async def test_malformed_or_huge_ids_are_bad_requests(api: Api, raw: str) -> None:
    r = await api.c.get(f"{PROJECTS}/{raw}")
    assert r.status_code == 400
    assert "project_id" in r.json()["error"]["message"]


async def test_well_formed_unknown_id_is_not_found(api: Api) -> None:
    r = await api.c.get(f"{PROJECTS}/-1")
    assert r.status_code == 404
    assert r.json()["error"]["message"]


async def test_huge_id_in_a_body(api: Api) -> None:
    r = await api.c.post("/v1/tailored-gen/datasets", json={"project_id": 10**30, "name": "x"})
    assert r.status_code in (400, 404)


async def test_unknown_path_and_wrong_method(api: Api) -> None:
    r = await api.c.get("/v1/tailored-gen/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == 404
    r = await api.c.patch(PROJECTS)
    assert r.status_code == 405 and "GET" in r.headers["allow"]


@pytest.mark.parametrize("config", [MockConfig(max_request_bytes=1000)])
async def test_oversized_body(api: Api, config: MockConfig) -> None:
    r = await api.c.post(
        PROJECTS, json={"project_name": "x" * 5000, "ip_medium": "photography", "ip_type": "other"}
    )
    assert r.status_code == 400 and "larger than" in r.json()["error"]["message"]


async def test_bad_query_parameter(api: Api) -> None:
    r = await api.c.get("/v1/tailored-gen/models", params={"include_training_parameters": "maybe"})
    assert r.status_code == 400 and "true or false" in r.json()["error"]["message"]


async def test_bad_multipart(api: Api) -> None:
    ds = await api.dataset()
    r = await api.c.post(
        f"/v1/tailored-gen/datasets/{ds['id']}/images",
        content=b"garbage",
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert r.status_code == 400


async def test_control_endpoint_input(api: Api) -> None:
    for body in ({}, {"seconds": -1}, {"seconds": "ten"}, {"seconds": float("inf")}):
        r = (
            await api.c.post("/_mock/clock/advance", json=body)
            if body.get("seconds") != float("inf")
            else await api.c.post("/_mock/clock/advance", content=b'{"seconds": 1e400}')
        )
        assert r.status_code == 400, body
    r = await api.c.post("/_mock/clock/advance", content=b"{nope")
    assert r.status_code == 400


@pytest.mark.parametrize(
    ("path", "status"),
    [("/v1/tailored-gen/projects/a%0Ab", 400), ("/v1/tailored-gen/projects/%0D", 400), ("/", 404)],
)
async def test_odd_paths_get_json_errors(api: Api, path: str, status: int) -> None:
    r = await api.c.get(path)
    assert r.status_code == status and r.headers["content-type"] == "application/json"
    assert r.json()["error"]["code"] == status


async def test_empty_trailing_id_does_not_reach_the_collection(api: Api) -> None:
    ds = await api.dataset()
    # an id that vanished (whitespace stripped by a client) must not reach another operation
    r = await api.c.delete(f"/v1/tailored-gen/datasets/{ds['id']}/images/")
    assert r.status_code == 404
    assert (await api.c.get(f"/v1/tailored-gen/datasets/{ds['id']}")).status_code == 200


async def test_json_null_body_is_not_an_empty_object(api: Api) -> None:
    r = await api.c.post(PROJECTS, content=b"null", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "null" in r.json()["error"]["message"]

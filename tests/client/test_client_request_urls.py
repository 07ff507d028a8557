"""Operations send their requests to the URL httpx itself would join from base_url and path.

The generated operations join their path to the client's parsed ``base_url`` themselves
(``types.request_url``) instead of letting httpx parse both again on every call; these tests hold
that shortcut to httpx's own result and to the fallback whenever the shortcut does not apply.
"""

from __future__ import annotations

import asyncio

import bria_tailored.types as bria_types
import httpx
import pytest
from bria_tailored.api.model import get_model
from bria_tailored.api.status import get_status
from bria_tailored.runtime import make_client
from bria_tailored.types import request_url
from client_fakes import TOKEN

BASES = [
    "https://engine.prod.bria-api.com",
    "https://engine.prod.bria-api.com/",
    "http://127.0.0.1:8080",
    "http://localhost:80/prefix",
    "http://user:secret@[::1]:9000/api/v0/",
    "https://BRIA.example:443/Mixed/Case",
    "https://bücher.example/api",
]
PATHS = [
    "/v1/tailored-gen/models/42",
    "/v2/status/abc-DEF_1.2~3",
    "/v1/tailored-gen/datasets/7/images/x%2Fy%20z%25",
    "/v1/a/!$&'()*+,;=:@/b",
    "/v1/a/%7e%7E",
    # Paths httpx re-escapes, normalizes or refuses: request_url leaves them to httpx.
    "/v1/a b",
    "/v1/über",
    "/v1/a/../b",
    "/v1/./b",
    "/v1/a/..",
    "/v1/a%zz",
    "/v1/a%",
    "/v1/a?x=1",
    "/v1/a#frag",
    '/v1/a"b<c>`{}|\\^',
    "//v1/a",
    "/",
    "",
    "v1/relative",
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("path", PATHS)
def test_request_url_is_the_url_httpx_joins(base: str, path: str) -> None:
    with httpx.Client(base_url=base) as http:
        try:
            expected = http.build_request("GET", path).url
        except httpx.InvalidURL:
            with pytest.raises(httpx.InvalidURL):
                http.build_request("GET", request_url(http.base_url, path))
            return
        got = http.build_request("GET", request_url(http.base_url, path)).url
    assert got == expected
    assert str(got) == str(expected)
    assert got.raw_path == expected.raw_path
    assert got.netloc == expected.netloc
    assert got.host == expected.host
    assert got.port == expected.port


@pytest.mark.parametrize(
    "path", ["/v1/tailored-gen/models/42", "/v2/status/abc-DEF_1.2~3", "/v1/x/a%2Fb%20c"]
)
def test_operation_paths_are_joined_without_httpx_parsing_them(path: str) -> None:
    base = httpx.Client(base_url="https://engine.prod.bria-api.com/api").base_url
    joined = request_url(base, path)
    assert isinstance(joined, httpx.URL)
    assert str(joined) == "https://engine.prod.bria-api.com/api" + path


@pytest.mark.parametrize(
    "base", ["https://engine.invalid/api?key=1", "https://engine.invalid/#top", "/relative/"]
)
def test_a_base_with_query_fragment_or_no_host_is_left_to_httpx(base: str) -> None:
    path = "/v1/tailored-gen/models/42"
    assert request_url(httpx.URL(base), path) == path


@pytest.mark.parametrize("path", ["/v1/a b", "/v1/a/../b", "/v1/a?x=1", "/v1/a%zz", "//v1"])
def test_paths_httpx_would_rewrite_are_left_to_httpx(path: str) -> None:
    assert request_url(httpx.URL("https://engine.invalid/"), path) == path


def test_operations_reach_the_quoted_path_under_the_base_path() -> None:
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        if "/v2" in request.url.path:
            return httpx.Response(200, json={"request_id": "x", "status": "IN_PROGRESS"})
        return httpx.Response(200, json={"id": 42, "name": "m"})

    transport = httpx.MockTransport(answer)
    client = make_client(TOKEN, base_url="https://engine.invalid/gateway", transport=transport)
    get_model.sync_detailed(42, client=client)
    get_status.sync_detailed("a/b c?d", client=client)
    asyncio.run(get_status.asyncio_detailed("..", client=client))
    assert [(str(url), url.raw_path) for url in seen] == [
        (
            "https://engine.invalid/gateway/v1/tailored-gen/models/42",
            b"/gateway/v1/tailored-gen/models/42",
        ),
        (
            "https://engine.invalid/gateway/v2/status/a%2Fb%20c%3Fd",
            b"/gateway/v2/status/a%2Fb%20c%3Fd",
        ),
        # httpx drops a ".." segment (with the one before it); the shortcut leaves that to httpx.
        ("https://engine.invalid/gateway/v2", b"/gateway/v2"),
    ]


def test_without_the_shortcut_operations_still_reach_the_same_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What an httpx whose URLs are built differently gets: every path goes through httpx's join.
    monkeypatch.setattr(bria_types, "_JOIN_IN_PLACE", False)
    path = "/v1/tailored-gen/models/42"
    assert request_url(httpx.URL("https://engine.invalid/"), path) == path
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"id": 42})

    client = make_client(
        TOKEN, base_url="https://engine.invalid/gateway", transport=httpx.MockTransport(answer)
    )
    assert get_model.sync_detailed(42, client=client).status_code == 200
    assert seen == ["https://engine.invalid/gateway/v1/tailored-gen/models/42"]

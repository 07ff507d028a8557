"""The token never shows: every way a client is built, every length, cut-offs, args, bodies."""

from __future__ import annotations

import json
import logging
import re

import attrs
import httpx
import pytest
from bria_tailored import AuthenticatedClient
from bria_tailored.api.model import get_model
from bria_tailored.runtime import (
    APIStatusError,
    InvalidTokenError,
    MissingTokenError,
    RetryPolicy,
    make_client,
    raise_for_status,
)
from bria_tailored.runtime._redact import redact
from client_fakes import BASE_URL, FakeBria, reply

MODEL = "/v1/tailored-gen/models/7"


def leaked(token: str, error: APIStatusError) -> list[str]:
    texts = [
        str(error),
        repr(error),
        error.message,
        *map(str, error.args),
        json.dumps(error.body),
        json.dumps(dict(error.headers)),
        str(error.details),
    ]
    if len(token) >= 8:
        return [t for t in texts if token in t]
    # A short token is masked where it stands alone ("k" stays inside "token").
    alone = re.compile(rf"(?<![\w-]){re.escape(token)}(?![\w-])")
    return [t for t in texts if alone.search(t)]


def echoing_server(token: str, *, pad: int = 0) -> FakeBria:
    body = {
        "error": {"code": 401, "message": "x" * pad + f"bad token {token} end", "details": token},
        "request_id": "q1",
        "echo": {"headers": {"api_token": token}, "list": [token]},
    }
    return FakeBria().on("GET", MODEL, reply(401, body, headers={"x-echo": token}))


def call(client: AuthenticatedClient) -> APIStatusError:
    with pytest.raises(APIStatusError) as info:
        raise_for_status(get_model.sync_detailed(7, client=client))
    return info.value


LONG = "tok-" + "Zq8" * 15


@pytest.mark.parametrize(
    "token", ["k", "k3y", "Ab9xQ", "Ab9xQ7Lm", LONG, "t" * 600], ids=lambda t: f"len{len(t)}"
)
def test_every_token_length_is_masked(token: str) -> None:
    server = echoing_server(token)
    client = make_client(token, base_url=BASE_URL, transport=server.transport)
    error = call(client)
    assert leaked(token, error) == []
    assert "[REDACTED]" in str(error)


@pytest.mark.parametrize("pad", range(470, 500, 3))
def test_a_token_straddling_the_message_cut_off_leaves_no_part(pad: int) -> None:
    server = echoing_server(LONG, pad=pad)
    error = call(make_client(LONG, base_url=BASE_URL, transport=server.transport))
    assert leaked(LONG, error) == []
    for size in (6, 10):
        assert LONG[:size] not in str(error)


def test_a_directly_built_client_is_masked_too() -> None:
    token = "direct-" + "Pq7" * 10
    server = echoing_server(token)
    client = AuthenticatedClient(
        base_url=BASE_URL, token=token, httpx_args={"transport": server.transport}
    )
    assert token not in repr(client)
    assert leaked(token, call(client)) == []


def test_an_evolved_client_registers_its_new_token() -> None:
    base = AuthenticatedClient(base_url=BASE_URL, token="first-" + "Aa1" * 5)
    token = "second-" + "Bb2" * 5
    server = echoing_server(token)
    evolved = attrs.evolve(base, token=token, httpx_args={"transport": server.transport})
    assert leaked(token, call(evolved)) == []


def test_short_tokens_are_masked_only_where_they_stand_alone() -> None:
    make_client("zq", base_url=BASE_URL)
    assert redact("api_token zq refused") == "api_token [REDACTED] refused"
    assert redact("lazquez") == "lazquez"


def test_token_absent_from_retry_logs(caplog: pytest.LogCaptureFixture) -> None:
    token = "logged-" + "Cc3" * 8
    caplog.set_level(logging.DEBUG)
    server = FakeBria().on("GET", MODEL, reply(503), reply(200, {"id": 7}))
    client = make_client(
        token,
        base_url=BASE_URL,
        transport=server.transport,
        retry=RetryPolicy(sleep=lambda s: None),
    )
    get_model.sync_detailed(7, client=client)
    assert "retrying GET" in caplog.text
    assert token not in caplog.text


@pytest.mark.parametrize("token", ["tök-en-with-umlaut", "key\u200bzero-width", "“quoted”"])
def test_a_non_ascii_token_is_refused_up_front(token: str) -> None:
    for build in (
        lambda: make_client(token),
        lambda: AuthenticatedClient(base_url=BASE_URL, token=token),
    ):
        with pytest.raises(InvalidTokenError, match="non-ASCII") as info:
            build()
        assert isinstance(info.value, MissingTokenError)
        texts = [str(info.value), repr(info.value), *map(str, info.value.args)]
        assert all(token not in t and token[:4] not in t for t in texts)


def test_a_non_ascii_token_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIA_API_TOKEN", "clé-secrète")
    with pytest.raises(InvalidTokenError, match="BRIA_API_TOKEN environment variable"):
        make_client()


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIA_BASE_URL", "http://127.0.0.1:8080/")
    assert make_client("t0ken-abc")._base_url == "http://127.0.0.1:8080"
    assert make_client("t0ken-abc", base_url="http://other:1")._base_url == "http://other:1"
    monkeypatch.setenv("BRIA_BASE_URL", "localhost:8080")
    with pytest.raises(ValueError, match="BRIA_BASE_URL"):
        make_client("t0ken-abc")
    monkeypatch.delenv("BRIA_BASE_URL")
    assert make_client("t0ken-abc")._base_url == "https://engine.prod.bria-api.com"


def test_base_url_env_reaches_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"id": 7})

    monkeypatch.setenv("BRIA_BASE_URL", "http://mock.local:9")
    client = make_client("t0ken-abc", transport=httpx.MockTransport(handler))
    get_model.sync_detailed(7, client=client)
    assert seen == ["http://mock.local:9/v1/tailored-gen/models/7"]

"""Building a ready-to-use client: token from the environment, timeouts, retries.

The generated :class:`~bria_tailored.AuthenticatedClient` already sends the token in the
``api_token`` header and keeps it out of its repr; :func:`make_client` adds the rest.
"""

from __future__ import annotations

import os
import urllib.request
from urllib.parse import urlsplit

import httpx

from ..client import AuthenticatedClient
from ._redact import register_secret
from .errors import MissingTokenError
from .retry import RetryPolicy, RetryTransport

__all__ = [
    "BASE_URL_ENV_VAR",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "TOKEN_ENV_VAR",
    "make_client",
    "resolve_token",
]

DEFAULT_BASE_URL = "https://engine.prod.bria-api.com"
TOKEN_ENV_VAR = "BRIA_API_TOKEN"
BASE_URL_ENV_VAR = "BRIA_BASE_URL"
# Synchronous generation holds the connection until the image exists, so reads get a long budget;
# a host that does not accept a connection within seconds is down.
DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=10.0)


def resolve_token(token: str | None = None) -> str:
    """``token`` if given, else ``$BRIA_API_TOKEN``; raises :class:`MissingTokenError` if neither.

    The error never includes the token (or any part of it).
    """
    source = "token argument"
    if token is None:
        token = os.environ.get(TOKEN_ENV_VAR)
        source = f"{TOKEN_ENV_VAR} environment variable"
        if token is None:
            raise MissingTokenError(
                f"no Bria API token: pass token=... to make_client() or set the {TOKEN_ENV_VAR} "
                "environment variable (API keys are at "
                "https://platform.bria.ai/organization-management/api-keys)"
            )
    token = token.strip()
    if not token:
        raise MissingTokenError(
            f"the Bria API token from the {source} is empty; set it to your API key"
        )
    if any(ch.isspace() or not ch.isprintable() for ch in token):
        raise MissingTokenError(
            f"the Bria API token from the {source} contains whitespace or control characters; "
            "copy the key again without line breaks or spaces"
        )
    return token


def make_client(
    token: str | None = None,
    *,
    base_url: str | None = None,
    timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
    retry: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | None = None,
    proxy: str | None = None,
    raise_on_unexpected_status: bool = False,
) -> AuthenticatedClient:
    """An :class:`~bria_tailored.AuthenticatedClient` for Bria's Tailored Generation API.

    The same client object serves the generated ``sync*`` and ``asyncio*`` functions::

        from bria_tailored.api.model import get_model
        from bria_tailored.runtime import make_client, raise_for_status

        client = make_client()                       # token from $BRIA_API_TOKEN
        model = raise_for_status(get_model.sync_detailed(42, client=client)).parsed

    Args:
        token: the API key; defaults to the ``BRIA_API_TOKEN`` environment variable.
        base_url: API root; operation paths already carry ``/v1`` or ``/v2``. Defaults to the
            ``BRIA_BASE_URL`` environment variable, else Bria's production engine.
        timeout: an ``httpx.Timeout`` or seconds for every phase; ``None`` waits forever.
        retry: the :class:`RetryPolicy` (default: 2 retries of idempotent requests on 429/503
            and connection errors, honouring ``Retry-After``). ``RetryPolicy.disabled()`` turns
            retrying off.
        transport / async_transport: inner httpx transports (tests pass ``httpx.MockTransport``).
        proxy: proxy URL for the default transports. When not given, the standard proxy
            environment variables are honoured as httpx itself would.
        raise_on_unexpected_status: passed to the generated client (raise ``UnexpectedStatus``
            for undeclared statuses instead of returning ``parsed=None``).
    """
    resolved = resolve_token(token)
    base_url = base_url or os.environ.get(BASE_URL_ENV_VAR) or DEFAULT_BASE_URL
    register_secret(resolved)
    if isinstance(timeout, int | float):
        timeout = httpx.Timeout(float(timeout))
    if transport is None and async_transport is None:
        proxy = proxy if proxy is not None else _environment_proxy(base_url)
        if proxy is not None:
            transport = httpx.HTTPTransport(proxy=proxy)
            async_transport = httpx.AsyncHTTPTransport(proxy=proxy)
    wrapped = RetryTransport(transport, async_transport=async_transport, policy=retry)
    return AuthenticatedClient(
        base_url=base_url.rstrip("/"),
        token=resolved,
        timeout=timeout,
        httpx_args={"transport": wrapped},
        raise_on_unexpected_status=raise_on_unexpected_status,
    )


def _environment_proxy(base_url: str) -> str | None:
    # httpx ignores proxy variables once a custom transport is given, so read them here.
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if host and urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(parts.scheme or "https")

"""Building a ready-to-use client: token and base URL from the environment, deadlines, retries.

The generated :class:`~bria_tailored.AuthenticatedClient` already sends the token in the
``api_token`` header, keeps it out of its repr and registers it for masking (through
:func:`register_token`); :func:`make_client` adds the rest.
"""

from __future__ import annotations

import os
import urllib.request
from urllib.parse import urlsplit

import httpx

from ..client import AuthenticatedClient
from ._redact import register_secret
from .errors import InvalidTokenError, MissingTokenError
from .retry import RetryPolicy, RetryTransport

__all__ = [
    "BASE_URL_ENV_VAR",
    "CONNECT_TIMEOUT",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "TOKEN_ENV_VAR",
    "make_client",
    "register_token",
    "resolve_base_url",
    "resolve_token",
]

DEFAULT_BASE_URL = "https://engine.prod.bria-api.com"
TOKEN_ENV_VAR = "BRIA_API_TOKEN"
BASE_URL_ENV_VAR = "BRIA_BASE_URL"
# Overall seconds per call, retries included. Synchronous generation holds the connection until
# the image exists, so calls get a long budget.
DEFAULT_TIMEOUT = 120.0
# A host that does not accept a connection within seconds is down.
CONNECT_TIMEOUT = 10.0


def register_token(token: str) -> None:
    """Check that ``token`` can be sent in a header and register it for masking.

    Called by the generated ``AuthenticatedClient`` on construction, so a client built directly
    (not through :func:`make_client`) is covered too.

    Raises:
        InvalidTokenError: the token holds non-ASCII, whitespace or control characters. The
            message never includes the token or any part of it.
    """
    if not token.isascii():
        raise InvalidTokenError(
            "the Bria API token contains non-ASCII characters, which cannot be sent in the "
            "api_token header; copy the key again from "
            "https://platform.bria.ai/organization-management/api-keys (look for typographic "
            "quotes or look-alike letters picked up on the way)"
        )
    if any(ch.isspace() or not ch.isprintable() for ch in token):
        raise InvalidTokenError(
            "the Bria API token contains whitespace or control characters; "
            "copy the key again without line breaks or spaces"
        )
    register_secret(token)


def resolve_base_url(base_url: str | None = None) -> str:
    """``base_url`` if given, else ``$BRIA_BASE_URL``, else Bria's production URL."""
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV_VAR, "").strip() or DEFAULT_BASE_URL
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"the Bria base URL {base_url!r} is not an http(s) URL; pass base_url= or set "
            f"{BASE_URL_ENV_VAR} to something like {DEFAULT_BASE_URL}"
        )
    return base_url.rstrip("/")


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
    try:
        register_token(token)
    except InvalidTokenError as exc:
        raise InvalidTokenError(
            exc.message.replace("the Bria API token", f"the {source}")
        ) from None
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
        base_url: API root; defaults to ``$BRIA_BASE_URL``, else Bria's production URL.
            Operation paths already carry ``/v1`` or ``/v2``.
        timeout: seconds: the overall deadline of every call, retries, ``Retry-After`` sleeps
            and slowly arriving bodies included (connecting gets at most 10 s of it). An
            ``httpx.Timeout`` instead sets httpx's per-phase limits only, with no overall
            deadline. ``None`` waits forever. A :func:`~.deadline.deadline` block or a waiter's
            ``timeout`` shortens it further.
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
    url = resolve_base_url(base_url)
    overall: float | None = None
    if isinstance(timeout, int | float):
        overall = float(timeout)
        if not (overall > 0 and overall < float("inf")):
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        timeout = httpx.Timeout(overall, connect=min(CONNECT_TIMEOUT, overall))
    if transport is None and async_transport is None:
        proxy = proxy if proxy is not None else _environment_proxy(url)
        if proxy is not None:
            transport = httpx.HTTPTransport(proxy=proxy)
            async_transport = httpx.AsyncHTTPTransport(proxy=proxy)
    wrapped = RetryTransport(
        transport, async_transport=async_transport, policy=retry, timeout=overall
    )
    return AuthenticatedClient(
        base_url=url,
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

"""Fetching ``image_url``, ``zip_url``, ``model_url`` and friends without becoming an open proxy.

URLs pointing at the mock itself (its signed ``/_mock/files/`` artefacts) are served from memory,
which also works in-process. Anything else must fall under a configured allow-list entry —
compared as parsed scheme, host, port and path prefix, never as strings, so
``http://127.0.0.1:5123`` does not admit port 51234 nor ``http://127.0.0.1:5123@evil/`` — and is
fetched within a total deadline and a size cap; every other host is refused with a message naming
the allow-list option. URLs are parsed by ``parse_url``, which never raises: a malformed port or
bracket is the client's mistake (400).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote_to_bytes, urlsplit

import anyio
import httpx

from .errors import ApiError
from .signing import FILES_PREFIX

InternalResolver = Callable[[str, str | None, str | None], tuple[str, bytes]]


# "Could not download the URL given in the request": 422, the status that
# tailored-generation.openapi.json gives for it (upload-image "moderation failure or invalid URL",
# upload_model "The provided URL ... invalid or inaccessible"). Bria's other APIs use 460, which
# no Tailored Generation document mentions; the client tolerates it, the mock does not send it.
COULD_NOT_DOWNLOAD = 422


class FetchError(ApiError):
    """A URL or inline file the mock cannot use: the request is refused with ``status``, or, on
    an operation that does not declare it, with the first of 400 and 422 it does (an error like
    any other: handlers let it through)."""

    def __init__(self, status: int, message: str) -> None:
        fallbacks = (400, 422) if status in (400, 413) else (422, 400)
        super().__init__((status, *fallbacks), message)
        self.status = status


@dataclass(frozen=True)
class ParsedUrl:
    scheme: str
    host: str
    port: int
    path: str
    query: str
    has_userinfo: bool

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    def under(self, prefix: ParsedUrl) -> bool:
        """Same scheme, host and port, and the path equal to or below the prefix's path."""
        if self.origin != prefix.origin or self.has_userinfo:
            return False
        base = prefix.path.rstrip("/")
        return self.path == base or self.path.startswith(base + "/") or not base


def parse_url(url: str) -> ParsedUrl | None:
    """An http(s) URL split into its parts, or None when it is not one (never raises)."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").lower()
    except ValueError:  # bad port, unbalanced brackets, ...
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return ParsedUrl(
        scheme=parts.scheme,
        host=host,
        port=port or (443 if parts.scheme == "https" else 80),
        path=parts.path or "/",
        query=parts.query,
        has_userinfo="@" in parts.netloc,
    )


def url_path(url: str) -> str:
    """The path of a URL for naming things (never raises)."""
    parsed = parse_url(url)
    return parsed.path if parsed is not None else ""


class Fetcher:
    def __init__(
        self,
        resolve_internal: InternalResolver,
        allow_prefixes: tuple[str, ...],
        timeout: float,
        public_base_url: str | None,
    ) -> None:
        self._resolve = resolve_internal
        self._allow = tuple(p for p in map(parse_url, allow_prefixes) if p is not None)
        self._timeout = timeout
        self._public = public_base_url

    async def fetch(self, url: str, *, base_url: str, max_bytes: int, what: str) -> bytes:
        if url.startswith("data:"):
            return _decode_data_url(url, max_bytes, what)
        parts = parse_url(url)
        if parts is None:
            raise FetchError(
                400, f"{what} must be a well-formed http(s) URL (host and port), got {url[:80]!r}"
            )
        own = {p.origin for p in (parse_url(base_url), parse_url(self._public or "")) if p}
        if parts.origin in own:
            return self._internal(parts.path, parts.query, max_bytes, what)
        if not any(parts.under(prefix) for prefix in self._allow):
            raise FetchError(
                COULD_NOT_DOWNLOAD,
                f"{what} host {parts.host!r} is not reachable from the mock: it only fetches "
                "its own /_mock/files/ URLs and URLs under --allow-url prefixes",
            )
        return await self._remote(url, max_bytes, what)

    def _internal(self, path: str, query: str, max_bytes: int, what: str) -> bytes:
        if not path.startswith(FILES_PREFIX):
            raise FetchError(
                COULD_NOT_DOWNLOAD, f"{what} points at the mock but not at a /_mock/files/ artefact"
            )
        params = parse_qs(query)
        expires = params.get("expires", [])
        signature = params.get("signature", [])
        try:
            _, data = self._resolve(
                path, expires[0] if expires else None, signature[0] if signature else None
            )
        except LookupError as exc:
            raise FetchError(
                COULD_NOT_DOWNLOAD, f"{what} could not be downloaded: {exc.args[0]}"
            ) from None
        if len(data) > max_bytes:
            raise FetchError(413, f"{what} points at {len(data)} bytes, more than {max_bytes}")
        return data

    async def _remote(self, url: str, max_bytes: int, what: str) -> bytes:
        # One deadline for the whole download: httpx's timeout is per read, so a server sending
        # a byte a second would otherwise hold the request for as long as it likes.
        try:
            with anyio.fail_after(self._timeout):
                return await self._download(url, max_bytes, what)
        except TimeoutError:
            raise FetchError(
                COULD_NOT_DOWNLOAD,
                f"{what} could not be downloaded: not complete within {self._timeout:g} s",
            ) from None

    async def _download(self, url: str, max_bytes: int, what: str) -> bytes:
        try:
            async with (
                httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as client,
                client.stream("GET", url) as response,
            ):
                if response.status_code != 200:
                    raise FetchError(
                        COULD_NOT_DOWNLOAD,
                        f"{what} could not be downloaded: HTTP {response.status_code}",
                    )
                declared = response.headers.get("content-length")
                if (
                    declared
                    and declared.isascii()
                    and declared.isdigit()
                    and int(declared) > max_bytes
                ):
                    raise FetchError(413, f"{what} is {declared} bytes, more than {max_bytes}")
                out = bytearray()
                async for chunk in response.aiter_bytes():
                    out += chunk
                    if len(out) > max_bytes:
                        raise FetchError(413, f"{what} is larger than {max_bytes} bytes")
                return bytes(out)
        except httpx.TimeoutException:
            raise FetchError(
                COULD_NOT_DOWNLOAD,
                f"{what} could not be downloaded: no answer within {self._timeout:g} s",
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                COULD_NOT_DOWNLOAD, f"{what} could not be downloaded: {type(exc).__name__}"
            ) from None


def _decode_data_url(url: str, max_bytes: int, what: str) -> bytes:
    header, _, payload = url.partition(",")
    if not _:
        raise FetchError(400, f"{what} is a malformed data: URL")
    is_b64 = header.endswith(";base64")
    data = decode_base64(payload, what) if is_b64 else unquote_to_bytes(payload)
    if len(data) > max_bytes:
        raise FetchError(413, f"{what} holds {len(data)} bytes, more than {max_bytes}")
    return data


def decode_base64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise FetchError(400, f"{what} is neither an http(s) URL nor valid base64") from None


async def fetch_image_ref(
    fetcher: Fetcher, ref: str, *, base_url: str, max_bytes: int, what: str
) -> bytes:
    """An image given as a URL, a data: URL or a bare base64 string (Bria accepts all three)."""
    if ref.startswith(("http://", "https://", "data:")):
        return await fetcher.fetch(ref, base_url=base_url, max_bytes=max_bytes, what=what)
    data = decode_base64(ref, what)
    if len(data) > max_bytes:
        raise FetchError(413, f"{what} holds {len(data)} bytes, more than {max_bytes}")
    return data

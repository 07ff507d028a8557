"""Reading a request body without ever holding more than the limit in memory.

The declared Content-Length is checked first, then the stream is counted as it arrives, so a
1 GiB body is refused after the first chunk past the limit instead of after it was all read.
Every endpoint that reads a body (the API and the ``/_mock`` control endpoints) uses this.
"""

from __future__ import annotations

from starlette.requests import Request

from .errors import ApiError


def too_large(limit: int) -> ApiError:
    return ApiError(
        (413, 400),
        f"the request body is larger than the mock's limit of {limit} bytes",
    )


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()) or len(declared) > 20:
            raise ApiError(400, "the Content-Length header is not a number")
        if int(declared) > limit:
            raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)

from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.visual_schema import VisualSchema
from ...models.visual_schema_request import VisualSchemaRequest
from ...types import (
    Response,
    carries_nothing,
    json_body,
    request_url,
    status_from_code,
)


def _get_kwargs(
    *,
    body: VisualSchemaRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tailored-gen/generate_visual_schema",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | VisualSchema | str | None:
    if response.status_code == 200:
        _response_200 = json_body(response.content)
        response_200 = VisualSchema.from_dict(_response_200)

        return response_200

    if response.status_code == 400:
        _response_400 = json_body(response.content)
        response_400 = ErrorResponse.from_dict(_response_400)

        return response_400

    if response.status_code == 401:
        _response_401 = json_body(response.content)
        response_401 = ErrorResponse.from_dict(_response_401)

        return response_401

    if response.status_code == 403:
        response_403 = cast(str, json_body(response.content))
        return response_403

    if response.status_code == 415:
        _response_415 = json_body(response.content)
        response_415 = ErrorResponse.from_dict(_response_415)

        return response_415

    if response.status_code == 422:
        _response_422 = json_body(response.content)
        response_422 = ErrorResponse.from_dict(_response_422)

        return response_422

    if response.status_code == 429:
        _response_429 = json_body(response.content)
        response_429 = ErrorResponse.from_dict(_response_429)

        return response_429

    if response.status_code == 500:
        _response_500 = json_body(response.content)
        response_500 = ErrorResponse.from_dict(_response_500)

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | VisualSchema | str]:
    parsed: ErrorResponse | VisualSchema | str | None
    if response.status_code < 400:
        # A success whose body is not the declared shape (empty, HTML, `[]` for an object, `{}`)
        # is Bria's or a proxy's fault, not the caller's: it raises the runtime's one typed
        # error instead of KeyError/ValueError/JSONDecodeError.
        try:
            parsed = _parse_response(client=client, response=response)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            from ...runtime.errors import UnexpectedResponseError

            raise UnexpectedResponseError.for_body(response, exc) from exc
        if hasattr(parsed, "additional_properties") and carries_nothing(parsed):
            from ...runtime.errors import UnexpectedResponseError

            raise UnexpectedResponseError.for_body(response, "an empty object")
        if isinstance(parsed, list) and not isinstance(json_body(response.content), list):
            # Iterating an object walks its keys: `{}` would pass for an empty list.
            from ...runtime.errors import UnexpectedResponseError

            raise UnexpectedResponseError.for_body(response, "an array was declared")
    else:
        # Error bodies come from gateways and proxies as often as from Bria; an unreadable one
        # must not hide the status, so it is left unparsed (the raw bytes stay in
        # Response.content).
        try:
            parsed = _parse_response(client=client, response=response)
        except (ValueError, TypeError, KeyError, AttributeError):
            parsed = None
    return Response(
        status_code=status_from_code(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: VisualSchemaRequest,
) -> Response[ErrorResponse | VisualSchema | str]:
    """Generate Visual Schema

     Generates a structured JSON visual schema (backbone) based on the provided sample images.

    The visual schema represents mutual characteristics (style, IP, colors, etc.) across training images
    and is used for:
    1. Caption generation during image upload.
    2. Prompt translation (user text → structured prompt) during generation.

    **Usage:**
    - Provide 5-10 representative images of your style/IP.
    - The returned `visual_schema` string must be added to your dataset using `PUT /tailored-
    gen/datasets/{dataset_id}`.

    This endpoint supports content moderation via an optional parameter.

    Args:
        body (VisualSchemaRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | VisualSchema | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    http = client.get_httpx_client()
    kwargs["url"] = request_url(http.base_url, kwargs["url"])
    response = http.request(**kwargs)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: VisualSchemaRequest,
) -> ErrorResponse | VisualSchema | str | None:
    """Generate Visual Schema

     Generates a structured JSON visual schema (backbone) based on the provided sample images.

    The visual schema represents mutual characteristics (style, IP, colors, etc.) across training images
    and is used for:
    1. Caption generation during image upload.
    2. Prompt translation (user text → structured prompt) during generation.

    **Usage:**
    - Provide 5-10 representative images of your style/IP.
    - The returned `visual_schema` string must be added to your dataset using `PUT /tailored-
    gen/datasets/{dataset_id}`.

    This endpoint supports content moderation via an optional parameter.

    Args:
        body (VisualSchemaRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | VisualSchema | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: VisualSchemaRequest,
) -> Response[ErrorResponse | VisualSchema | str]:
    """Generate Visual Schema

     Generates a structured JSON visual schema (backbone) based on the provided sample images.

    The visual schema represents mutual characteristics (style, IP, colors, etc.) across training images
    and is used for:
    1. Caption generation during image upload.
    2. Prompt translation (user text → structured prompt) during generation.

    **Usage:**
    - Provide 5-10 representative images of your style/IP.
    - The returned `visual_schema` string must be added to your dataset using `PUT /tailored-
    gen/datasets/{dataset_id}`.

    This endpoint supports content moderation via an optional parameter.

    Args:
        body (VisualSchemaRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | VisualSchema | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    http = client.get_async_httpx_client()
    kwargs["url"] = request_url(http.base_url, kwargs["url"])
    response = await http.request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: VisualSchemaRequest,
) -> ErrorResponse | VisualSchema | str | None:
    """Generate Visual Schema

     Generates a structured JSON visual schema (backbone) based on the provided sample images.

    The visual schema represents mutual characteristics (style, IP, colors, etc.) across training images
    and is used for:
    1. Caption generation during image upload.
    2. Prompt translation (user text → structured prompt) during generation.

    **Usage:**
    - Provide 5-10 representative images of your style/IP.
    - The returned `visual_schema` string must be added to your dataset using `PUT /tailored-
    gen/datasets/{dataset_id}`.

    This endpoint supports content moderation via an optional parameter.

    Args:
        body (VisualSchemaRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | VisualSchema | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

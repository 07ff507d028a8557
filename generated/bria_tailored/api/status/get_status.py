from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.request_status import RequestStatus
from ...models.status_not_found import StatusNotFound
from ...types import (
    Response,
    carries_nothing,
    json_body,
    request_url,
    status_from_code,
)


def _get_kwargs(
    request_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/status/{request_id}".format(
            request_id=request_id if type(request_id) is int else quote(str(request_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RequestStatus | StatusNotFound | str | None:
    if response.status_code == 200:
        _response_200 = json_body(response.content)
        response_200 = RequestStatus.from_dict(_response_200)

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

    if response.status_code == 404:
        _response_404 = json_body(response.content)
        response_404 = StatusNotFound.from_dict(_response_404)

        return response_404

    if response.status_code == 429:
        _response_429 = json_body(response.content)
        response_429 = ErrorResponse.from_dict(_response_429)

        return response_429

    if 500 <= response.status_code <= 599:
        _response_5xx = json_body(response.content)
        response_5xx = ErrorResponse.from_dict(_response_5xx)

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | RequestStatus | StatusNotFound | str]:
    parsed: ErrorResponse | RequestStatus | StatusNotFound | str | None
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
    request_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorResponse | RequestStatus | StatusNotFound | str]:
    """Get Request Status

     Retrieves the current status of an asynchronous request.

      **Behavior**
    - Under normal operation, this endpoint returns **`200 OK`**, regardless of whether the request is
    in progress, completed, or has failed at the job level.
    - The `status` field in the response (`IN_PROGRESS`, `COMPLETED`, `ERROR`, `UNKNOWN`) indicates the
    state of the job.
    - When the job fails (status=`ERROR`), details of the failure are provided in the `error` object,
    but the HTTP status remains `200`.
    - When `status=COMPLETED`, `result` includes `image_url` for images or `video_url` for videos, or
    structured_prompt based on the original endpoint.

    **Other Possible Responses**
    - **`404 NOT_FOUND`** – Returned when the specified `request_id` does not exist or has expired.
    - **`5XX`** – Returned when the Status Service itself experiences an internal error.
      For real-time updates, check [Bria's Status Page](https://status.bria.ai). You can also contact
    our [Support](mailto:support@bria.ai).

    - When `status=COMPLETED`, `result` may also include:
      - `seed` – Deterministic seed used for generation (if supported by the endpoint).
      - `prompt` – Original prompt provided by the user (if applicable).
      - `refined_prompt` – System-enhanced version of the input prompt (if applicable).
      - `structured_prompt` – The detailed JSON structured prompt used for V2 generation.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RequestStatus | StatusNotFound | str]
    """

    kwargs = _get_kwargs(
        request_id=request_id,
    )

    http = client.get_httpx_client()
    kwargs["url"] = request_url(http.base_url, kwargs["url"])
    response = http.request(**kwargs)

    return _build_response(client=client, response=response)


def sync(
    request_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorResponse | RequestStatus | StatusNotFound | str | None:
    """Get Request Status

     Retrieves the current status of an asynchronous request.

      **Behavior**
    - Under normal operation, this endpoint returns **`200 OK`**, regardless of whether the request is
    in progress, completed, or has failed at the job level.
    - The `status` field in the response (`IN_PROGRESS`, `COMPLETED`, `ERROR`, `UNKNOWN`) indicates the
    state of the job.
    - When the job fails (status=`ERROR`), details of the failure are provided in the `error` object,
    but the HTTP status remains `200`.
    - When `status=COMPLETED`, `result` includes `image_url` for images or `video_url` for videos, or
    structured_prompt based on the original endpoint.

    **Other Possible Responses**
    - **`404 NOT_FOUND`** – Returned when the specified `request_id` does not exist or has expired.
    - **`5XX`** – Returned when the Status Service itself experiences an internal error.
      For real-time updates, check [Bria's Status Page](https://status.bria.ai). You can also contact
    our [Support](mailto:support@bria.ai).

    - When `status=COMPLETED`, `result` may also include:
      - `seed` – Deterministic seed used for generation (if supported by the endpoint).
      - `prompt` – Original prompt provided by the user (if applicable).
      - `refined_prompt` – System-enhanced version of the input prompt (if applicable).
      - `structured_prompt` – The detailed JSON structured prompt used for V2 generation.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RequestStatus | StatusNotFound | str
    """

    return sync_detailed(
        request_id=request_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    request_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorResponse | RequestStatus | StatusNotFound | str]:
    """Get Request Status

     Retrieves the current status of an asynchronous request.

      **Behavior**
    - Under normal operation, this endpoint returns **`200 OK`**, regardless of whether the request is
    in progress, completed, or has failed at the job level.
    - The `status` field in the response (`IN_PROGRESS`, `COMPLETED`, `ERROR`, `UNKNOWN`) indicates the
    state of the job.
    - When the job fails (status=`ERROR`), details of the failure are provided in the `error` object,
    but the HTTP status remains `200`.
    - When `status=COMPLETED`, `result` includes `image_url` for images or `video_url` for videos, or
    structured_prompt based on the original endpoint.

    **Other Possible Responses**
    - **`404 NOT_FOUND`** – Returned when the specified `request_id` does not exist or has expired.
    - **`5XX`** – Returned when the Status Service itself experiences an internal error.
      For real-time updates, check [Bria's Status Page](https://status.bria.ai). You can also contact
    our [Support](mailto:support@bria.ai).

    - When `status=COMPLETED`, `result` may also include:
      - `seed` – Deterministic seed used for generation (if supported by the endpoint).
      - `prompt` – Original prompt provided by the user (if applicable).
      - `refined_prompt` – System-enhanced version of the input prompt (if applicable).
      - `structured_prompt` – The detailed JSON structured prompt used for V2 generation.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RequestStatus | StatusNotFound | str]
    """

    kwargs = _get_kwargs(
        request_id=request_id,
    )

    http = client.get_async_httpx_client()
    kwargs["url"] = request_url(http.base_url, kwargs["url"])
    response = await http.request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    request_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorResponse | RequestStatus | StatusNotFound | str | None:
    """Get Request Status

     Retrieves the current status of an asynchronous request.

      **Behavior**
    - Under normal operation, this endpoint returns **`200 OK`**, regardless of whether the request is
    in progress, completed, or has failed at the job level.
    - The `status` field in the response (`IN_PROGRESS`, `COMPLETED`, `ERROR`, `UNKNOWN`) indicates the
    state of the job.
    - When the job fails (status=`ERROR`), details of the failure are provided in the `error` object,
    but the HTTP status remains `200`.
    - When `status=COMPLETED`, `result` includes `image_url` for images or `video_url` for videos, or
    structured_prompt based on the original endpoint.

    **Other Possible Responses**
    - **`404 NOT_FOUND`** – Returned when the specified `request_id` does not exist or has expired.
    - **`5XX`** – Returned when the Status Service itself experiences an internal error.
      For real-time updates, check [Bria's Status Page](https://status.bria.ai). You can also contact
    our [Support](mailto:support@bria.ai).

    - When `status=COMPLETED`, `result` may also include:
      - `seed` – Deterministic seed used for generation (if supported by the endpoint).
      - `prompt` – Original prompt provided by the user (if applicable).
      - `refined_prompt` – System-enhanced version of the input prompt (if applicable).
      - `structured_prompt` – The detailed JSON structured prompt used for V2 generation.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RequestStatus | StatusNotFound | str
    """

    return (
        await asyncio_detailed(
            request_id=request_id,
            client=client,
        )
    ).parsed

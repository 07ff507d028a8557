from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bulk_upload_file import BulkUploadFile
from ...models.bulk_upload_url import BulkUploadUrl
from ...models.error_response import ErrorResponse
from ...types import (
    UNSET,
    Response,
    Unset,
    carries_nothing,
    json_body,
    request_url,
    status_from_code,
)


def _get_kwargs(
    dataset_id: int,
    *,
    body: BulkUploadUrl | BulkUploadFile | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tailored-gen/datasets/{dataset_id}/images/bulk-upload".format(
            dataset_id=dataset_id if type(dataset_id) is int else quote(str(dataset_id), safe=""),
        ),
    }

    if isinstance(body, BulkUploadUrl):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, BulkUploadFile):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorResponse | str | None:
    if response.status_code == 202:
        response_202 = cast(Any, None)
        return response_202

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
        response_404 = ErrorResponse.from_dict(_response_404)

        return response_404

    if response.status_code == 413:
        _response_413 = json_body(response.content)
        response_413 = ErrorResponse.from_dict(_response_413)

        return response_413

    if response.status_code == 422:
        _response_422 = json_body(response.content)
        response_422 = ErrorResponse.from_dict(_response_422)

        return response_422

    if response.status_code == 429:
        _response_429 = json_body(response.content)
        response_429 = ErrorResponse.from_dict(_response_429)

        return response_429

    if response.status_code == 460:
        _response_460 = json_body(response.content)
        response_460 = ErrorResponse.from_dict(_response_460)

        return response_460

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
) -> Response[Any | ErrorResponse | str]:
    parsed: Any | ErrorResponse | str | None
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
    dataset_id: int,
    *,
    client: AuthenticatedClient,
    body: BulkUploadUrl | BulkUploadFile | Unset = UNSET,
) -> Response[Any | ErrorResponse | str]:
    """Advanced Image Upload

     Efficiently upload a large volume of images (up to 5000) from a ZIP file to an advanced dataset.

    **Upload without Schema:** You can initiate a bulk upload even if `visual_schema` is null. Images
    will be uploaded but caption generation will be skipped. You must call **Regenerate All Captions**
    after defining the schema.

    **General:**
    * Asynchronous operation; status can be retrieved via `{dataset_id}/bulk-upload/status`.
    * Supported for 'advanced' upload type datasets only.
    * If the dataset is not empty, if another bulk upload is in progress, or if any previous bulk upload
    attempt took place, the request will fail.

    **Image Requirements:**
    * Supported formats: `jpg`, `jpeg`, `png`, `webp`.
    * Minimum dimensions: 1024 x 1024 pixels.
    * Total size limit: 5 GB zip file.

    Args:
        dataset_id (int):
        body (BulkUploadUrl):
        body (BulkUploadFile):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | str]
    """

    kwargs = _get_kwargs(
        dataset_id=dataset_id,
        body=body,
    )

    http = client.get_httpx_client()
    kwargs["url"] = request_url(http.base_url, kwargs["url"])
    response = http.request(**kwargs)

    return _build_response(client=client, response=response)


def sync(
    dataset_id: int,
    *,
    client: AuthenticatedClient,
    body: BulkUploadUrl | BulkUploadFile | Unset = UNSET,
) -> Any | ErrorResponse | str | None:
    """Advanced Image Upload

     Efficiently upload a large volume of images (up to 5000) from a ZIP file to an advanced dataset.

    **Upload without Schema:** You can initiate a bulk upload even if `visual_schema` is null. Images
    will be uploaded but caption generation will be skipped. You must call **Regenerate All Captions**
    after defining the schema.

    **General:**
    * Asynchronous operation; status can be retrieved via `{dataset_id}/bulk-upload/status`.
    * Supported for 'advanced' upload type datasets only.
    * If the dataset is not empty, if another bulk upload is in progress, or if any previous bulk upload
    attempt took place, the request will fail.

    **Image Requirements:**
    * Supported formats: `jpg`, `jpeg`, `png`, `webp`.
    * Minimum dimensions: 1024 x 1024 pixels.
    * Total size limit: 5 GB zip file.

    Args:
        dataset_id (int):
        body (BulkUploadUrl):
        body (BulkUploadFile):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | str
    """

    return sync_detailed(
        dataset_id=dataset_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    dataset_id: int,
    *,
    client: AuthenticatedClient,
    body: BulkUploadUrl | BulkUploadFile | Unset = UNSET,
) -> Response[Any | ErrorResponse | str]:
    """Advanced Image Upload

     Efficiently upload a large volume of images (up to 5000) from a ZIP file to an advanced dataset.

    **Upload without Schema:** You can initiate a bulk upload even if `visual_schema` is null. Images
    will be uploaded but caption generation will be skipped. You must call **Regenerate All Captions**
    after defining the schema.

    **General:**
    * Asynchronous operation; status can be retrieved via `{dataset_id}/bulk-upload/status`.
    * Supported for 'advanced' upload type datasets only.
    * If the dataset is not empty, if another bulk upload is in progress, or if any previous bulk upload
    attempt took place, the request will fail.

    **Image Requirements:**
    * Supported formats: `jpg`, `jpeg`, `png`, `webp`.
    * Minimum dimensions: 1024 x 1024 pixels.
    * Total size limit: 5 GB zip file.

    Args:
        dataset_id (int):
        body (BulkUploadUrl):
        body (BulkUploadFile):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | str]
    """

    kwargs = _get_kwargs(
        dataset_id=dataset_id,
        body=body,
    )

    http = client.get_async_httpx_client()
    kwargs["url"] = request_url(http.base_url, kwargs["url"])
    response = await http.request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    dataset_id: int,
    *,
    client: AuthenticatedClient,
    body: BulkUploadUrl | BulkUploadFile | Unset = UNSET,
) -> Any | ErrorResponse | str | None:
    """Advanced Image Upload

     Efficiently upload a large volume of images (up to 5000) from a ZIP file to an advanced dataset.

    **Upload without Schema:** You can initiate a bulk upload even if `visual_schema` is null. Images
    will be uploaded but caption generation will be skipped. You must call **Regenerate All Captions**
    after defining the schema.

    **General:**
    * Asynchronous operation; status can be retrieved via `{dataset_id}/bulk-upload/status`.
    * Supported for 'advanced' upload type datasets only.
    * If the dataset is not empty, if another bulk upload is in progress, or if any previous bulk upload
    attempt took place, the request will fail.

    **Image Requirements:**
    * Supported formats: `jpg`, `jpeg`, `png`, `webp`.
    * Minimum dimensions: 1024 x 1024 pixels.
    * Total size limit: 5 GB zip file.

    Args:
        dataset_id (int):
        body (BulkUploadUrl):
        body (BulkUploadFile):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | str
    """

    return (
        await asyncio_detailed(
            dataset_id=dataset_id,
            client=client,
            body=body,
        )
    ).parsed

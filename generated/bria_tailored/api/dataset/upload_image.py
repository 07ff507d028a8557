from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.image import Image
from ...models.image_file_upload import ImageFileUpload
from ...models.image_url_upload import ImageUrlUpload
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
    body: ImageUrlUpload | ImageFileUpload | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tailored-gen/datasets/{dataset_id}/images".format(
            dataset_id=dataset_id if type(dataset_id) is int else quote(str(dataset_id), safe=""),
        ),
    }

    if isinstance(body, ImageUrlUpload):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, ImageFileUpload):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | Image | str | None:
    if response.status_code == 201:
        _response_201 = json_body(response.content)
        response_201 = Image.from_dict(_response_201)

        return response_201

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

    if response.status_code == 409:
        _response_409 = json_body(response.content)
        response_409 = ErrorResponse.from_dict(_response_409)

        return response_409

    if response.status_code == 412:
        _response_412 = json_body(response.content)
        response_412 = ErrorResponse.from_dict(_response_412)

        return response_412

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
) -> Response[ErrorResponse | Image | str]:
    parsed: ErrorResponse | Image | str | None
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
    body: ImageUrlUpload | ImageFileUpload | Unset = UNSET,
) -> Response[ErrorResponse | Image | str]:
    """Upload Image Files

     Upload a new image to a dataset.

    **Image Requirements:**
    - Recommended minimum resolution: 1024x1024 pixels for best quality
      - By default, smaller images (down to 256x256) will be automatically upscaled
    (`increase_resolution=true`)
      - To strictly enforce the 1024x1024 minimum, set `increase_resolution=false`
    - Supported formats: jpg, jpeg, png, webp
    - Preferably use original high-quality assets

    **Dataset Guidelines:**
    - Recommended: 5-50 images for optimal results
    - Maximum supported: 200 images
    - Ensure consistency in style, structure, and visual elements
    - Balance diversity in content while maintaining consistency in key elements

    **For optimal training (especially for characters/objects):**
    - Subject should occupy most of the image area
    - Minimize unnecessary margins around the subject
    - Transparent backgrounds will be converted to black
    - For character datasets: include diverse poses, environments, attires, and interactions

    **Constraints:**
    - Can only be used by "basic" upload type datasets. Use `/datasets/{dataset_id}/images/bulk-upload`
    (bulk-upload-images) for advanced datasets.
    - Dataset must have at least 5 images
    - Dataset cannot exceed 200 images
    - Cannot upload to a completed dataset

    This API endpoint supports content moderation via an optional parameter.

    Args:
        dataset_id (int):
        body (ImageUrlUpload):
        body (ImageFileUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Image | str]
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
    body: ImageUrlUpload | ImageFileUpload | Unset = UNSET,
) -> ErrorResponse | Image | str | None:
    """Upload Image Files

     Upload a new image to a dataset.

    **Image Requirements:**
    - Recommended minimum resolution: 1024x1024 pixels for best quality
      - By default, smaller images (down to 256x256) will be automatically upscaled
    (`increase_resolution=true`)
      - To strictly enforce the 1024x1024 minimum, set `increase_resolution=false`
    - Supported formats: jpg, jpeg, png, webp
    - Preferably use original high-quality assets

    **Dataset Guidelines:**
    - Recommended: 5-50 images for optimal results
    - Maximum supported: 200 images
    - Ensure consistency in style, structure, and visual elements
    - Balance diversity in content while maintaining consistency in key elements

    **For optimal training (especially for characters/objects):**
    - Subject should occupy most of the image area
    - Minimize unnecessary margins around the subject
    - Transparent backgrounds will be converted to black
    - For character datasets: include diverse poses, environments, attires, and interactions

    **Constraints:**
    - Can only be used by "basic" upload type datasets. Use `/datasets/{dataset_id}/images/bulk-upload`
    (bulk-upload-images) for advanced datasets.
    - Dataset must have at least 5 images
    - Dataset cannot exceed 200 images
    - Cannot upload to a completed dataset

    This API endpoint supports content moderation via an optional parameter.

    Args:
        dataset_id (int):
        body (ImageUrlUpload):
        body (ImageFileUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Image | str
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
    body: ImageUrlUpload | ImageFileUpload | Unset = UNSET,
) -> Response[ErrorResponse | Image | str]:
    """Upload Image Files

     Upload a new image to a dataset.

    **Image Requirements:**
    - Recommended minimum resolution: 1024x1024 pixels for best quality
      - By default, smaller images (down to 256x256) will be automatically upscaled
    (`increase_resolution=true`)
      - To strictly enforce the 1024x1024 minimum, set `increase_resolution=false`
    - Supported formats: jpg, jpeg, png, webp
    - Preferably use original high-quality assets

    **Dataset Guidelines:**
    - Recommended: 5-50 images for optimal results
    - Maximum supported: 200 images
    - Ensure consistency in style, structure, and visual elements
    - Balance diversity in content while maintaining consistency in key elements

    **For optimal training (especially for characters/objects):**
    - Subject should occupy most of the image area
    - Minimize unnecessary margins around the subject
    - Transparent backgrounds will be converted to black
    - For character datasets: include diverse poses, environments, attires, and interactions

    **Constraints:**
    - Can only be used by "basic" upload type datasets. Use `/datasets/{dataset_id}/images/bulk-upload`
    (bulk-upload-images) for advanced datasets.
    - Dataset must have at least 5 images
    - Dataset cannot exceed 200 images
    - Cannot upload to a completed dataset

    This API endpoint supports content moderation via an optional parameter.

    Args:
        dataset_id (int):
        body (ImageUrlUpload):
        body (ImageFileUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Image | str]
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
    body: ImageUrlUpload | ImageFileUpload | Unset = UNSET,
) -> ErrorResponse | Image | str | None:
    """Upload Image Files

     Upload a new image to a dataset.

    **Image Requirements:**
    - Recommended minimum resolution: 1024x1024 pixels for best quality
      - By default, smaller images (down to 256x256) will be automatically upscaled
    (`increase_resolution=true`)
      - To strictly enforce the 1024x1024 minimum, set `increase_resolution=false`
    - Supported formats: jpg, jpeg, png, webp
    - Preferably use original high-quality assets

    **Dataset Guidelines:**
    - Recommended: 5-50 images for optimal results
    - Maximum supported: 200 images
    - Ensure consistency in style, structure, and visual elements
    - Balance diversity in content while maintaining consistency in key elements

    **For optimal training (especially for characters/objects):**
    - Subject should occupy most of the image area
    - Minimize unnecessary margins around the subject
    - Transparent backgrounds will be converted to black
    - For character datasets: include diverse poses, environments, attires, and interactions

    **Constraints:**
    - Can only be used by "basic" upload type datasets. Use `/datasets/{dataset_id}/images/bulk-upload`
    (bulk-upload-images) for advanced datasets.
    - Dataset must have at least 5 images
    - Dataset cannot exceed 200 images
    - Cannot upload to a completed dataset

    This API endpoint supports content moderation via an optional parameter.

    Args:
        dataset_id (int):
        body (ImageUrlUpload):
        body (ImageFileUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Image | str
    """

    return (
        await asyncio_detailed(
            dataset_id=dataset_id,
            client=client,
            body=body,
        )
    ).parsed

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.request_state import RequestState
from ..types import UNSET, Unset

T = TypeVar("T", bound="RequestStatus")


@_attrs_define
class RequestStatus:
    """The state of an asynchronous v2 request, as the Status Service reports it.

    Attributes:
        request_id (str):
        status (RequestState): IN_PROGRESS: accepted and being processed, keep polling. COMPLETED: `result` holds the
            output. ERROR: processing failed, `error` holds details, stop polling. UNKNOWN: unexpected internal error (an
            HTTP 500 in asynchronous form); contact support with the request_id.
        result (GenerationResult | Unset): The result of a finished generation request. Which fields are present depends
            on the operation: `image_url` for image generation, `video_url` for image-to-video, `structured_prompt` for
            structured prompt generation (status.openapi.yaml StatusSuccessResponse).
        error (ErrorObject | Unset):
    """

    request_id: str
    status: RequestState
    """ IN_PROGRESS: accepted and being processed, keep polling. COMPLETED: `result` holds the output. ERROR:
    processing failed, `error` holds details, stop polling. UNKNOWN: unexpected internal error (an HTTP 500 in
    asynchronous form); contact support with the request_id. """
    result: GenerationResult | Unset = UNSET
    """ The result of a finished generation request. Which fields are present depends on the operation: `image_url`
    for image generation, `video_url` for image-to-video, `structured_prompt` for structured prompt generation
    (status.openapi.yaml StatusSuccessResponse). """
    error: ErrorObject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        status = self.status.value

        result: dict[str, Any] | Unset = UNSET
        if not isinstance(self.result, Unset):
            result = self.result.to_dict()

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "status": status,
            }
        )
        if result is not UNSET:
            field_dict["result"] = result
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        request_id = d.pop("request_id")

        _status = d.pop("status")
        status = cast(
            RequestState,
            (RequestState._value2member_map_.get(_status) if type(_status) is str else None)
            or RequestState(_status),
        )

        _result = d.pop("result", UNSET)
        result: GenerationResult | Unset
        if _result is UNSET:
            result = UNSET
        else:
            result = GenerationResult.from_dict(_result)

        _error = d.pop("error", UNSET)
        error: ErrorObject | Unset
        if _error is UNSET:
            error = UNSET
        else:
            error = ErrorObject.from_dict(_error)

        request_status = cls(
            request_id=request_id,
            status=status,
            result=result,
            error=error,
        )

        request_status.additional_properties = d
        return request_status

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Referenced models, imported once this class exists (models refer to one another).
from ..models.error_object import ErrorObject  # noqa: E402
from ..models.generation_result import GenerationResult  # noqa: E402

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkUploadFailure")


@_attrs_define
class BulkUploadFailure:
    """A ``BulkUploadFailure`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        filename (str | Unset):
        error_code (int | Unset):
        error_message (str | Unset):
    """

    filename: str | Unset = UNSET
    error_code: int | Unset = UNSET
    error_message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filename = self.filename

        error_code = self.error_code

        error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if filename is not UNSET:
            field_dict["filename"] = filename
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if error_message is not UNSET:
            field_dict["error_message"] = error_message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        filename = d.pop("filename", UNSET)

        _error_code = d.pop("error_code", UNSET)
        error_code: int | Unset
        if _error_code is UNSET:
            error_code = UNSET
        else:
            error_code = _error_code if type(_error_code) is int else int(str(_error_code))

        error_message = d.pop("error_message", UNSET)

        bulk_upload_failure = cls(
            filename=filename,
            error_code=error_code,
            error_message=error_message,
        )

        bulk_upload_failure.additional_properties = d
        return bulk_upload_failure

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

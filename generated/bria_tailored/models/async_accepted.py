from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AsyncAccepted")


@_attrs_define
class AsyncAccepted:
    """A ``AsyncAccepted`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        request_id (str): The unique identifier for this asynchronous request.
        status_url (str): The URL to poll for the status of the generation job.
    """

    request_id: str
    """ The unique identifier for this asynchronous request. """
    status_url: str
    """ The URL to poll for the status of the generation job. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        status_url = self.status_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "status_url": status_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        request_id = d.pop("request_id")

        status_url = d.pop("status_url")

        async_accepted = cls(
            request_id=request_id,
            status_url=status_url,
        )

        async_accepted.additional_properties = d
        return async_accepted

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.not_found_state import NotFoundState

T = TypeVar("T", bound="StatusNotFound")


@_attrs_define
class StatusNotFound:
    """A ``StatusNotFound`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        status (NotFoundState):
    """

    status: NotFoundState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _status = d.pop("status")
        status = cast(
            NotFoundState,
            (NotFoundState._value2member_map_.get(_status) if type(_status) is str else None)
            or NotFoundState(_status),
        )

        status_not_found = cls(
            status=status,
        )

        status_not_found.additional_properties = d
        return status_not_found

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

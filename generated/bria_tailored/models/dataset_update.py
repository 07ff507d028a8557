from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dataset_status import DatasetStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="DatasetUpdate")


@_attrs_define
class DatasetUpdate:
    """A ``DatasetUpdate`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        name (str | Unset):
        visual_schema (str | Unset): A string containing the JSON structure from `/generate_visual_schema`. Can only be
            updated when status is `draft`.
        status (DatasetStatus | Unset):
    """

    name: str | Unset = UNSET
    visual_schema: str | Unset = UNSET
    """ A string containing the JSON structure from `/generate_visual_schema`. Can only be updated when status is
    `draft`. """
    status: DatasetStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        visual_schema = self.visual_schema

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if visual_schema is not UNSET:
            field_dict["visual_schema"] = visual_schema
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        visual_schema = d.pop("visual_schema", UNSET)

        _status = d.pop("status", UNSET)
        status: DatasetStatus | Unset
        if _status is UNSET:
            status = UNSET
        else:
            status = cast(
                DatasetStatus,
                (DatasetStatus._value2member_map_.get(_status) if type(_status) is str else None)
                or DatasetStatus(_status),
            )

        dataset_update = cls(
            name=name,
            visual_schema=visual_schema,
            status=status,
        )

        dataset_update.additional_properties = d
        return dataset_update

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

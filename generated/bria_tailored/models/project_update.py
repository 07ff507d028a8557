from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProjectUpdate")


@_attrs_define
class ProjectUpdate:
    """A ``ProjectUpdate`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        project_name (str | Unset):
        project_description (str | Unset):
        ip_name (str | Unset):
        ip_description (str | Unset):
    """

    project_name: str | Unset = UNSET
    project_description: str | Unset = UNSET
    ip_name: str | Unset = UNSET
    ip_description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_name = self.project_name

        project_description = self.project_description

        ip_name = self.ip_name

        ip_description = self.ip_description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if project_name is not UNSET:
            field_dict["project_name"] = project_name
        if project_description is not UNSET:
            field_dict["project_description"] = project_description
        if ip_name is not UNSET:
            field_dict["ip_name"] = ip_name
        if ip_description is not UNSET:
            field_dict["ip_description"] = ip_description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        project_name = d.pop("project_name", UNSET)

        project_description = d.pop("project_description", UNSET)

        ip_name = d.pop("ip_name", UNSET)

        ip_description = d.pop("ip_description", UNSET)

        project_update = cls(
            project_name=project_name,
            project_description=project_description,
            ip_name=ip_name,
            ip_description=ip_description,
        )

        project_update.additional_properties = d
        return project_update

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

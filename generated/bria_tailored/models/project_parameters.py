from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ip_medium import IpMedium
from ..models.ip_type import IpType
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProjectParameters")


@_attrs_define
class ProjectParameters:
    """A ``ProjectParameters`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        project_name (str | Unset): Name of the project.
        ip_medium (IpMedium | Unset):
        project_description (str | Unset): Description of the project.
        ip_type (IpType | Unset):
    """

    project_name: str | Unset = UNSET
    """ Name of the project. """
    ip_medium: IpMedium | Unset = UNSET
    project_description: str | Unset = UNSET
    """ Description of the project. """
    ip_type: IpType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_name = self.project_name

        ip_medium: str | Unset = UNSET
        if not isinstance(self.ip_medium, Unset):
            ip_medium = self.ip_medium.value

        project_description = self.project_description

        ip_type: str | Unset = UNSET
        if not isinstance(self.ip_type, Unset):
            ip_type = self.ip_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if project_name is not UNSET:
            field_dict["project_name"] = project_name
        if ip_medium is not UNSET:
            field_dict["ip_medium"] = ip_medium
        if project_description is not UNSET:
            field_dict["project_description"] = project_description
        if ip_type is not UNSET:
            field_dict["ip_type"] = ip_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        project_name = d.pop("project_name", UNSET)

        _ip_medium = d.pop("ip_medium", UNSET)
        ip_medium: IpMedium | Unset
        if _ip_medium is UNSET:
            ip_medium = UNSET
        else:
            ip_medium = cast(
                IpMedium,
                (IpMedium._value2member_map_.get(_ip_medium) if type(_ip_medium) is str else None)
                or IpMedium(_ip_medium),
            )

        project_description = d.pop("project_description", UNSET)

        _ip_type = d.pop("ip_type", UNSET)
        ip_type: IpType | Unset
        if _ip_type is UNSET:
            ip_type = UNSET
        else:
            ip_type = cast(
                IpType,
                (IpType._value2member_map_.get(_ip_type) if type(_ip_type) is str else None)
                or IpType(_ip_type),
            )

        project_parameters = cls(
            project_name=project_name,
            ip_medium=ip_medium,
            project_description=project_description,
            ip_type=ip_type,
        )

        project_parameters.additional_properties = d
        return project_parameters

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

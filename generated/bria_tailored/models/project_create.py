from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ip_medium import IpMedium
from ..models.ip_type import IpType
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProjectCreate")


@_attrs_define
class ProjectCreate:
    """A ``ProjectCreate`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        project_name (str): Name of the project (required)
        ip_medium (IpMedium):
        ip_type (IpType):
        project_description (str | Unset): Description of the project (optional)
        ip_name (str | Unset): Required only for defined_character IP type. The name of the character (1-3 words, e.g.,
            "Lora", "Captain Smith").
        ip_description (str | Unset): Required only for defined_character and object_variants IP types. A short phrase
            (up to 6 words) describing the most crucial distinguishing features (e.g., "a female character with purple
            hair").
    """

    project_name: str
    """ Name of the project (required) """
    ip_medium: IpMedium
    ip_type: IpType
    project_description: str | Unset = UNSET
    """ Description of the project (optional) """
    ip_name: str | Unset = UNSET
    """ Required only for defined_character IP type. The name of the character (1-3 words, e.g., "Lora", "Captain
    Smith"). """
    ip_description: str | Unset = UNSET
    """ Required only for defined_character and object_variants IP types. A short phrase (up to 6 words) describing
    the most crucial distinguishing features (e.g., "a female character with purple hair"). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_name = self.project_name

        ip_medium = self.ip_medium.value

        ip_type = self.ip_type.value

        project_description = self.project_description

        ip_name = self.ip_name

        ip_description = self.ip_description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "project_name": project_name,
                "ip_medium": ip_medium,
                "ip_type": ip_type,
            }
        )
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
        project_name = d.pop("project_name")

        _ip_medium = d.pop("ip_medium")
        ip_medium = cast(
            IpMedium,
            (IpMedium._value2member_map_.get(_ip_medium) if type(_ip_medium) is str else None)
            or IpMedium(_ip_medium),
        )

        _ip_type = d.pop("ip_type")
        ip_type = cast(
            IpType,
            (IpType._value2member_map_.get(_ip_type) if type(_ip_type) is str else None)
            or IpType(_ip_type),
        )

        project_description = d.pop("project_description", UNSET)

        ip_name = d.pop("ip_name", UNSET)

        ip_description = d.pop("ip_description", UNSET)

        project_create = cls(
            project_name=project_name,
            ip_medium=ip_medium,
            ip_type=ip_type,
            project_description=project_description,
            ip_name=ip_name,
            ip_description=ip_description,
        )

        project_create.additional_properties = d
        return project_create

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

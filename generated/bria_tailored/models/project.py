from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ip_medium import IpMedium
from ..models.ip_type import IpType
from ..models.project_status import ProjectStatus
from ..models.training_version import TrainingVersion
from ..types import UNSET, Unset

T = TypeVar("T", bound="Project")


@_attrs_define
class Project:
    """A ``Project`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        id (int): Unique identifier for the project
        project_name (str | Unset): Name of the project
        project_description (str | Unset): Description of the project
        ip_name (str | Unset): Name of the IP
        ip_description (str | Unset): Description of the IP
        ip_medium (IpMedium | Unset):
        ip_type (IpType | Unset):
        training_version (None | TrainingVersion | Unset): The training version family this project is locked to (e.g.,
            'fibo', 'max', or null if unlocked).
        status (ProjectStatus | Unset):
        created_at (datetime.datetime | Unset): Timestamp when the project was created
        updated_at (datetime.datetime | Unset):
    """

    id: int
    """ Unique identifier for the project """
    project_name: str | Unset = UNSET
    """ Name of the project """
    project_description: str | Unset = UNSET
    """ Description of the project """
    ip_name: str | Unset = UNSET
    """ Name of the IP """
    ip_description: str | Unset = UNSET
    """ Description of the IP """
    ip_medium: IpMedium | Unset = UNSET
    ip_type: IpType | Unset = UNSET
    training_version: None | TrainingVersion | Unset = UNSET
    """ The training version family this project is locked to (e.g., 'fibo', 'max', or null if unlocked). """
    status: ProjectStatus | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    """ Timestamp when the project was created """
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_name = self.project_name

        project_description = self.project_description

        ip_name = self.ip_name

        ip_description = self.ip_description

        ip_medium: str | Unset = UNSET
        if not isinstance(self.ip_medium, Unset):
            ip_medium = self.ip_medium.value

        ip_type: str | Unset = UNSET
        if not isinstance(self.ip_type, Unset):
            ip_type = self.ip_type.value

        training_version: None | str | Unset
        if isinstance(self.training_version, Unset):
            training_version = UNSET
        elif isinstance(self.training_version, TrainingVersion):
            training_version = self.training_version.value
        else:
            training_version = self.training_version

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if project_name is not UNSET:
            field_dict["project_name"] = project_name
        if project_description is not UNSET:
            field_dict["project_description"] = project_description
        if ip_name is not UNSET:
            field_dict["ip_name"] = ip_name
        if ip_description is not UNSET:
            field_dict["ip_description"] = ip_description
        if ip_medium is not UNSET:
            field_dict["ip_medium"] = ip_medium
        if ip_type is not UNSET:
            field_dict["ip_type"] = ip_type
        if training_version is not UNSET:
            field_dict["training_version"] = training_version
        if status is not UNSET:
            field_dict["status"] = status
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _id = d.pop("id")
        id = _id if type(_id) is int else int(str(_id))

        project_name = d.pop("project_name", UNSET)

        project_description = d.pop("project_description", UNSET)

        ip_name = d.pop("ip_name", UNSET)

        ip_description = d.pop("ip_description", UNSET)

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

        _training_version = d.pop("training_version", UNSET)
        training_version: None | TrainingVersion | Unset
        if _training_version is None or _training_version is UNSET:
            training_version = _training_version
        else:
            try:
                if not isinstance(_training_version, str):
                    raise TypeError()
                training_version_type_0 = cast(
                    TrainingVersion,
                    (
                        TrainingVersion._value2member_map_.get(_training_version)
                        if type(_training_version) is str
                        else None
                    )
                    or TrainingVersion(_training_version),
                )

                training_version = training_version_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                training_version = cast(None | TrainingVersion | Unset, _training_version)

        _status = d.pop("status", UNSET)
        status: ProjectStatus | Unset
        if _status is UNSET:
            status = UNSET
        else:
            status = cast(
                ProjectStatus,
                (ProjectStatus._value2member_map_.get(_status) if type(_status) is str else None)
                or ProjectStatus(_status),
            )

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if _created_at is UNSET:
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(
                _created_at
                if _created_at[-1:] in "Zz" or "+" in _created_at[10:] or "-" in _created_at[10:]
                else _created_at + "+00:00"
            )

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if _updated_at is UNSET:
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(
                _updated_at
                if _updated_at[-1:] in "Zz" or "+" in _updated_at[10:] or "-" in _updated_at[10:]
                else _updated_at + "+00:00"
            )

        project = cls(
            id=id,
            project_name=project_name,
            project_description=project_description,
            ip_name=ip_name,
            ip_description=ip_description,
            ip_medium=ip_medium,
            ip_type=ip_type,
            training_version=training_version,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
        )

        project.additional_properties = d
        return project

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

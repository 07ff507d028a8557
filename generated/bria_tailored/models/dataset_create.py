from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.upload_type import UploadType
from ..types import UNSET, Unset

T = TypeVar("T", bound="DatasetCreate")


@_attrs_define
class DatasetCreate:
    """A ``DatasetCreate`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        project_id (int): Associated project ID (required)
        name (str): Dataset name (required)
        upload_type (UploadType | Unset):
    """

    project_id: int
    """ Associated project ID (required) """
    name: str
    """ Dataset name (required) """
    upload_type: UploadType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_id = self.project_id

        name = self.name

        upload_type: str | Unset = UNSET
        if not isinstance(self.upload_type, Unset):
            upload_type = self.upload_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "project_id": project_id,
                "name": name,
            }
        )
        if upload_type is not UNSET:
            field_dict["upload_type"] = upload_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _project_id = d.pop("project_id")
        project_id = _project_id if type(_project_id) is int else int(str(_project_id))

        name = d.pop("name")

        _upload_type = d.pop("upload_type", UNSET)
        upload_type: UploadType | Unset
        if _upload_type is UNSET:
            upload_type = UNSET
        else:
            upload_type = cast(
                UploadType,
                (
                    UploadType._value2member_map_.get(_upload_type)
                    if type(_upload_type) is str
                    else None
                )
                or UploadType(_upload_type),
            )

        dataset_create = cls(
            project_id=project_id,
            name=name,
            upload_type=upload_type,
        )

        dataset_create.additional_properties = d
        return dataset_create

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

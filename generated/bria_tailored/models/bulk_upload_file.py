from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="BulkUploadFile")


@_attrs_define
class BulkUploadFile:
    """A ``BulkUploadFile`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        file (File): ZIP archive of images (jpg, jpeg, png, webp; each at least 1024x1024 px; up to 5000 images; 5 GB at
            most).
        content_moderation (bool | Unset): When enabled, applies content moderation to input visuals. Server default
            when omitted: `False`.
    """

    file: File
    """ ZIP archive of images (jpg, jpeg, png, webp; each at least 1024x1024 px; up to 5000 images; 5 GB at most).
    """
    content_moderation: bool | Unset = UNSET
    """ When enabled, applies content moderation to input visuals. Server default when omitted: `False`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        content_moderation = self.content_moderation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
            }
        )
        if content_moderation is not UNSET:
            field_dict["content_moderation"] = content_moderation

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        if not isinstance(self.content_moderation, Unset):
            files.append(
                ("content_moderation", (None, str(self.content_moderation).encode(), "text/plain"))
            )

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _file = d.pop("file")
        file = File(payload=BytesIO(_file))

        content_moderation = d.pop("content_moderation", UNSET)

        bulk_upload_file = cls(
            file=file,
            content_moderation=content_moderation,
        )

        bulk_upload_file.additional_properties = d
        return bulk_upload_file

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

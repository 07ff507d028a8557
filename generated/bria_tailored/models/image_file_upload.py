from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="ImageFileUpload")


@_attrs_define
class ImageFileUpload:
    """A ``ImageFileUpload`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        file (File): Image file to upload (jpg, jpeg, png or webp). At least 1024x1024 px, or at least 256x256 px when
            increase_resolution is true.
        image_name (str | Unset): Custom name for the image (optional)
        increase_resolution (bool | Unset): When enabled (default), input images smaller than 1024x1024 but larger than
            256x256 will be automatically upscaled. If false, images must be at least 1024x1024 pixels. Server default when
            omitted: `True`.
        content_moderation (bool | Unset): Applies content moderation to the image. Server default when omitted:
            `False`.
    """

    file: File
    """ Image file to upload (jpg, jpeg, png or webp). At least 1024x1024 px, or at least 256x256 px when
    increase_resolution is true. """
    image_name: str | Unset = UNSET
    """ Custom name for the image (optional) """
    increase_resolution: bool | Unset = UNSET
    """ When enabled (default), input images smaller than 1024x1024 but larger than 256x256 will be automatically
    upscaled. If false, images must be at least 1024x1024 pixels. Server default when omitted: `True`. """
    content_moderation: bool | Unset = UNSET
    """ Applies content moderation to the image. Server default when omitted: `False`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        image_name = self.image_name

        increase_resolution = self.increase_resolution

        content_moderation = self.content_moderation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
            }
        )
        if image_name is not UNSET:
            field_dict["image_name"] = image_name
        if increase_resolution is not UNSET:
            field_dict["increase_resolution"] = increase_resolution
        if content_moderation is not UNSET:
            field_dict["content_moderation"] = content_moderation

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        if not isinstance(self.image_name, Unset):
            files.append(("image_name", (None, str(self.image_name).encode(), "text/plain")))

        if not isinstance(self.increase_resolution, Unset):
            files.append(
                (
                    "increase_resolution",
                    (None, str(self.increase_resolution).encode(), "text/plain"),
                )
            )

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

        image_name = d.pop("image_name", UNSET)

        increase_resolution = d.pop("increase_resolution", UNSET)

        content_moderation = d.pop("content_moderation", UNSET)

        image_file_upload = cls(
            file=file,
            image_name=image_name,
            increase_resolution=increase_resolution,
            content_moderation=content_moderation,
        )

        image_file_upload.additional_properties = d
        return image_file_upload

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageUrlUpload")


@_attrs_define
class ImageUrlUpload:
    """A ``ImageUrlUpload`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        image_url (str): URL of image to upload (required if file not provided)
        image_name (str | Unset): Custom name for the image (optional)
        increase_resolution (bool | Unset): When enabled (default), input images smaller than 1024x1024 but larger than
            256x256 will be automatically upscaled.
            If false, images must be at least 1024x1024 pixels.

            Server default when omitted: `True`.
        content_moderation (bool | Unset): Server default when omitted: `False`.
    """

    image_url: str
    """ URL of image to upload (required if file not provided) """
    image_name: str | Unset = UNSET
    """ Custom name for the image (optional) """
    increase_resolution: bool | Unset = UNSET
    """ When enabled (default), input images smaller than 1024x1024 but larger than 256x256 will be automatically
    upscaled.
    If false, images must be at least 1024x1024 pixels.

    Server default when omitted: `True`. """
    content_moderation: bool | Unset = UNSET
    """ Server default when omitted: `False`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_url = self.image_url

        image_name = self.image_name

        increase_resolution = self.increase_resolution

        content_moderation = self.content_moderation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image_url": image_url,
            }
        )
        if image_name is not UNSET:
            field_dict["image_name"] = image_name
        if increase_resolution is not UNSET:
            field_dict["increase_resolution"] = increase_resolution
        if content_moderation is not UNSET:
            field_dict["content_moderation"] = content_moderation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_url = d.pop("image_url")

        image_name = d.pop("image_name", UNSET)

        increase_resolution = d.pop("increase_resolution", UNSET)

        content_moderation = d.pop("content_moderation", UNSET)

        image_url_upload = cls(
            image_url=image_url,
            image_name=image_name,
            increase_resolution=increase_resolution,
            content_moderation=content_moderation,
        )

        image_url_upload.additional_properties = d
        return image_url_upload

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

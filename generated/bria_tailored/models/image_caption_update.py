from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageCaptionUpdate")


@_attrs_define
class ImageCaptionUpdate:
    """A ``ImageCaptionUpdate`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        caption (str | Unset): New caption text as a string containing valid JSON structure.
        regenerate_caption (bool | Unset): When true, generates new caption automatically.

            Server default when omitted: `False`.
    """

    caption: str | Unset = UNSET
    """ New caption text as a string containing valid JSON structure. """
    regenerate_caption: bool | Unset = UNSET
    """ When true, generates new caption automatically.

    Server default when omitted: `False`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        caption = self.caption

        regenerate_caption = self.regenerate_caption

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if caption is not UNSET:
            field_dict["caption"] = caption
        if regenerate_caption is not UNSET:
            field_dict["regenerate_caption"] = regenerate_caption

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        caption = d.pop("caption", UNSET)

        regenerate_caption = d.pop("regenerate_caption", UNSET)

        image_caption_update = cls(
            caption=caption,
            regenerate_caption=regenerate_caption,
        )

        image_caption_update.additional_properties = d
        return image_caption_update

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

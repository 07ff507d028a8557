from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.caption_source import CaptionSource
from ..types import UNSET, Unset

T = TypeVar("T", bound="Image")


@_attrs_define
class Image:
    """A ``Image`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        id (int):
        dataset_id (int | Unset):
        caption (None | str | Unset): The generated caption. Null if uploaded without a visual schema.
        caption_source (CaptionSource | None | Unset):
        upload_source_url (None | str | Unset):
        image_name (str | Unset):
        image_url (str | Unset):
        thumbnail_url (str | Unset):
        created_at (datetime.datetime | Unset):
        updated_at (datetime.datetime | Unset):
    """

    id: int
    dataset_id: int | Unset = UNSET
    caption: None | str | Unset = UNSET
    """ The generated caption. Null if uploaded without a visual schema. """
    caption_source: CaptionSource | None | Unset = UNSET
    upload_source_url: None | str | Unset = UNSET
    image_name: str | Unset = UNSET
    image_url: str | Unset = UNSET
    thumbnail_url: str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        dataset_id = self.dataset_id

        caption: None | str | Unset
        if isinstance(self.caption, Unset):
            caption = UNSET
        else:
            caption = self.caption

        caption_source: None | str | Unset
        if isinstance(self.caption_source, Unset):
            caption_source = UNSET
        elif isinstance(self.caption_source, CaptionSource):
            caption_source = self.caption_source.value
        else:
            caption_source = self.caption_source

        upload_source_url: None | str | Unset
        if isinstance(self.upload_source_url, Unset):
            upload_source_url = UNSET
        else:
            upload_source_url = self.upload_source_url

        image_name = self.image_name

        image_url = self.image_url

        thumbnail_url = self.thumbnail_url

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
        if dataset_id is not UNSET:
            field_dict["dataset_id"] = dataset_id
        if caption is not UNSET:
            field_dict["caption"] = caption
        if caption_source is not UNSET:
            field_dict["caption_source"] = caption_source
        if upload_source_url is not UNSET:
            field_dict["upload_source_url"] = upload_source_url
        if image_name is not UNSET:
            field_dict["image_name"] = image_name
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if thumbnail_url is not UNSET:
            field_dict["thumbnail_url"] = thumbnail_url
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

        _dataset_id = d.pop("dataset_id", UNSET)
        dataset_id: int | Unset
        if _dataset_id is UNSET:
            dataset_id = UNSET
        else:
            dataset_id = _dataset_id if type(_dataset_id) is int else int(str(_dataset_id))

        caption: None | str | Unset = d.pop("caption", UNSET)

        _caption_source = d.pop("caption_source", UNSET)
        caption_source: CaptionSource | None | Unset
        if _caption_source is None or _caption_source is UNSET:
            caption_source = _caption_source
        else:
            try:
                if not isinstance(_caption_source, str):
                    raise TypeError()
                caption_source_type_0 = cast(
                    CaptionSource,
                    (
                        CaptionSource._value2member_map_.get(_caption_source)
                        if type(_caption_source) is str
                        else None
                    )
                    or CaptionSource(_caption_source),
                )

                caption_source = caption_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                caption_source = cast(CaptionSource | None | Unset, _caption_source)

        upload_source_url: None | str | Unset = d.pop("upload_source_url", UNSET)

        image_name = d.pop("image_name", UNSET)

        image_url = d.pop("image_url", UNSET)

        thumbnail_url = d.pop("thumbnail_url", UNSET)

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

        image = cls(
            id=id,
            dataset_id=dataset_id,
            caption=caption,
            caption_source=caption_source,
            upload_source_url=upload_source_url,
            image_name=image_name,
            image_url=image_url,
            thumbnail_url=thumbnail_url,
            created_at=created_at,
            updated_at=updated_at,
        )

        image.additional_properties = d
        return image

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DatasetDownload")


@_attrs_define
class DatasetDownload:
    """A ``DatasetDownload`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        download_url (str | Unset): A pre-signed URL for downloading the dataset.
        captions_url (str | Unset): A pre-signed URL for downloading the captions file, only returned for datasets where
            all captions are automatically generated.
    """

    download_url: str | Unset = UNSET
    """ A pre-signed URL for downloading the dataset. """
    captions_url: str | Unset = UNSET
    """ A pre-signed URL for downloading the captions file, only returned for datasets where all captions are
    automatically generated. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        download_url = self.download_url

        captions_url = self.captions_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if download_url is not UNSET:
            field_dict["download_url"] = download_url
        if captions_url is not UNSET:
            field_dict["captions_url"] = captions_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        download_url = d.pop("download_url", UNSET)

        captions_url = d.pop("captions_url", UNSET)

        dataset_download = cls(
            download_url=download_url,
            captions_url=captions_url,
        )

        dataset_download.additional_properties = d
        return dataset_download

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

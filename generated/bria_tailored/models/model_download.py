from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelDownload")


@_attrs_define
class ModelDownload:
    """A ``ModelDownload`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        download_url (str | Unset): A pre-signed URL allowing users to download the tailored model.
        base_model_name (str | Unset): The name of the base model used for training.
        base_model_card (str | Unset): URL to the Hugging Face model card of the respective base model.
    """

    download_url: str | Unset = UNSET
    """ A pre-signed URL allowing users to download the tailored model. """
    base_model_name: str | Unset = UNSET
    """ The name of the base model used for training. """
    base_model_card: str | Unset = UNSET
    """ URL to the Hugging Face model card of the respective base model. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        download_url = self.download_url

        base_model_name = self.base_model_name

        base_model_card = self.base_model_card

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if download_url is not UNSET:
            field_dict["download_url"] = download_url
        if base_model_name is not UNSET:
            field_dict["base_model_name"] = base_model_name
        if base_model_card is not UNSET:
            field_dict["base_model_card"] = base_model_card

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        download_url = d.pop("download_url", UNSET)

        base_model_name = d.pop("base_model_name", UNSET)

        base_model_card = d.pop("base_model_card", UNSET)

        model_download = cls(
            download_url=download_url,
            base_model_name=base_model_name,
            base_model_card=base_model_card,
        )

        model_download.additional_properties = d
        return model_download

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

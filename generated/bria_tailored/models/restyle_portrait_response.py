from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RestylePortraitResponse")


@_attrs_define
class RestylePortraitResponse:
    """A ``RestylePortraitResponse`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        image_res (str): URL of the restyled portrait (PNG).
    """

    image_res: str
    """ URL of the restyled portrait (PNG). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_res = self.image_res

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image_res": image_res,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_res = d.pop("image_res")

        restyle_portrait_response = cls(
            image_res=image_res,
        )

        restyle_portrait_response.additional_properties = d
        return restyle_portrait_response

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

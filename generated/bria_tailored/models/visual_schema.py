from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VisualSchema")


@_attrs_define
class VisualSchema:
    """A ``VisualSchema`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        visual_schema (str | Unset): A string containing the structured JSON visual schema.
    """

    visual_schema: str | Unset = UNSET
    """ A string containing the structured JSON visual schema. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        visual_schema = self.visual_schema

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if visual_schema is not UNSET:
            field_dict["visual_schema"] = visual_schema

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        visual_schema = d.pop("visual_schema", UNSET)

        visual_schema = cls(
            visual_schema=visual_schema,
        )

        visual_schema.additional_properties = d
        return visual_schema

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

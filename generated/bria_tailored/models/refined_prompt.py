from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RefinedPrompt")


@_attrs_define
class RefinedPrompt:
    """A ``RefinedPrompt`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        structured_prompt (str | Unset): The refined Structured Prompt string.
    """

    structured_prompt: str | Unset = UNSET
    """ The refined Structured Prompt string. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        structured_prompt = self.structured_prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if structured_prompt is not UNSET:
            field_dict["structured_prompt"] = structured_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        structured_prompt = d.pop("structured_prompt", UNSET)

        refined_prompt = cls(
            structured_prompt=structured_prompt,
        )

        refined_prompt.additional_properties = d
        return refined_prompt

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

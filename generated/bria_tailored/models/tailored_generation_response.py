from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TailoredGenerationResponse")


@_attrs_define
class TailoredGenerationResponse:
    """The images of a v1 generation: one entry per generated image (unsafe ones are filtered out when content moderation
    is on). With `sync=false` the URLs answer 404 until the image is ready.

        Attributes:
            result (list[TailoredGenerationOutput]):
            warning (str | Unset): Bria's IP warning, when the prompt references protected content.
    """

    result: list[TailoredGenerationOutput]
    warning: str | Unset = UNSET
    """ Bria's IP warning, when the prompt references protected content. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = []
        for result_item_data in self.result:
            result_item = result_item_data.to_dict()
            result.append(result_item)

        warning = self.warning

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if warning is not UNSET:
            field_dict["warning"] = warning

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = []
        _result = d.pop("result")
        for result_item_data in _result:
            result_item = TailoredGenerationOutput.from_dict(result_item_data)

            result.append(result_item)

        warning = d.pop("warning", UNSET)

        tailored_generation_response = cls(
            result=result,
            warning=warning,
        )

        tailored_generation_response.additional_properties = d
        return tailored_generation_response

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


# Referenced models, imported once this class exists (models refer to one another).
from ..models.tailored_generation_output import TailoredGenerationOutput  # noqa: E402

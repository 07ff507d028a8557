from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TailoredGenerationOutput")


@_attrs_define
class TailoredGenerationOutput:
    """A ``TailoredGenerationOutput`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        urls (list[str]): URL of the generated image (PNG; SVG for text-to-vector).
        seed (int | Unset): The seed that reproduces this image.
        uuid (str | Unset): Identifier of this generated image.
    """

    urls: list[str]
    """ URL of the generated image (PNG; SVG for text-to-vector). """
    seed: int | Unset = UNSET
    """ The seed that reproduces this image. """
    uuid: str | Unset = UNSET
    """ Identifier of this generated image. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        urls = self.urls

        seed = self.seed

        uuid = self.uuid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "urls": urls,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed
        if uuid is not UNSET:
            field_dict["uuid"] = uuid

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        urls = cast(list[str], d.pop("urls"))

        _seed = d.pop("seed", UNSET)
        seed: int | Unset
        if _seed is UNSET:
            seed = UNSET
        else:
            seed = _seed if type(_seed) is int else int(str(_seed))

        uuid = d.pop("uuid", UNSET)

        tailored_generation_output = cls(
            urls=urls,
            seed=seed,
            uuid=uuid,
        )

        tailored_generation_output.additional_properties = d
        return tailored_generation_output

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

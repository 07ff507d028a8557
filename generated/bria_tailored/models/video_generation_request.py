from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoGenerationRequest")


@_attrs_define
class VideoGenerationRequest:
    """A ``VideoGenerationRequest`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        tailored_model_id (int): The ID of the tailored model that generated the input image.
        image (str): Publicly accessible URL or base64 string of the source image.
        seed (int | Unset): Optional seed for reproducible results.
    """

    tailored_model_id: int
    """ The ID of the tailored model that generated the input image. """
    image: str
    """ Publicly accessible URL or base64 string of the source image. """
    seed: int | Unset = UNSET
    """ Optional seed for reproducible results. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tailored_model_id = self.tailored_model_id

        image = self.image

        seed = self.seed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tailored_model_id": tailored_model_id,
                "image": image,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tailored_model_id = int(str(d.pop("tailored_model_id")))

        image = d.pop("image")

        _seed = d.pop("seed", UNSET)
        seed: int | Unset
        if isinstance(_seed, Unset):
            seed = UNSET
        else:
            seed = int(str(_seed))

        video_generation_request = cls(
            tailored_model_id=tailored_model_id,
            image=image,
            seed=seed,
        )

        video_generation_request.additional_properties = d
        return video_generation_request

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerationResult")


@_attrs_define
class GenerationResult:
    """The result of a finished generation request. Which fields are present depends on the operation: `image_url` for
    image generation, `video_url` for image-to-video, `structured_prompt` for structured prompt generation
    (status.openapi.yaml StatusSuccessResponse).

        Attributes:
            image_url (str | Unset): URL of the generated image.
            video_url (str | Unset): URL of the generated video.
            structured_prompt (str | Unset): The detailed JSON structured prompt used for the V2 generation (returned only
                by V2 image generation and structured prompt generation endpoints).
            seed (int | Unset): Deterministic generation seed (returned only for endpoints that support reproducible
                outputs). Sending the same structured prompt and seed reproduces the image.
            prompt (str | Unset): Original prompt sent by the user (returned only if applicable).
            refined_prompt (str | Unset): Refined version of the input prompt (returned only if applicable and supported by
                the endpoint).
    """

    image_url: str | Unset = UNSET
    """ URL of the generated image. """
    video_url: str | Unset = UNSET
    """ URL of the generated video. """
    structured_prompt: str | Unset = UNSET
    """ The detailed JSON structured prompt used for the V2 generation (returned only by V2 image generation and
    structured prompt generation endpoints). """
    seed: int | Unset = UNSET
    """ Deterministic generation seed (returned only for endpoints that support reproducible outputs). Sending the
    same structured prompt and seed reproduces the image. """
    prompt: str | Unset = UNSET
    """ Original prompt sent by the user (returned only if applicable). """
    refined_prompt: str | Unset = UNSET
    """ Refined version of the input prompt (returned only if applicable and supported by the endpoint). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_url = self.image_url

        video_url = self.video_url

        structured_prompt = self.structured_prompt

        seed = self.seed

        prompt = self.prompt

        refined_prompt = self.refined_prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if video_url is not UNSET:
            field_dict["video_url"] = video_url
        if structured_prompt is not UNSET:
            field_dict["structured_prompt"] = structured_prompt
        if seed is not UNSET:
            field_dict["seed"] = seed
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if refined_prompt is not UNSET:
            field_dict["refined_prompt"] = refined_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_url = d.pop("image_url", UNSET)

        video_url = d.pop("video_url", UNSET)

        structured_prompt = d.pop("structured_prompt", UNSET)

        _seed = d.pop("seed", UNSET)
        seed: int | Unset
        if _seed is UNSET:
            seed = UNSET
        else:
            seed = _seed if type(_seed) is int else int(str(_seed))

        prompt = d.pop("prompt", UNSET)

        refined_prompt = d.pop("refined_prompt", UNSET)

        generation_result = cls(
            image_url=image_url,
            video_url=video_url,
            structured_prompt=structured_prompt,
            seed=seed,
            prompt=prompt,
            refined_prompt=refined_prompt,
        )

        generation_result.additional_properties = d
        return generation_result

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

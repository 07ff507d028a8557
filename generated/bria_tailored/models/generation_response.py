from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerationResponse")


@_attrs_define
class GenerationResponse:
    """Synchronous result (`sync=true`). tailored-generation.openapi.json documents it as top-level `image_url` /
    `structured_prompt`; Bria's Status Service docs (status.openapi.yaml) and SDK read the same data from a `result`
    object beside `request_id`. Both forms are declared so either parses; read `result` first and fall back to the top-
    level fields.

        Attributes:
            image_url (str | Unset):
            structured_prompt (str | Unset): The generated structured prompt JSON string.
            request_id (str | Unset): Identifier of the request (result-object form).
            result (GenerationResult | Unset): The result of a finished generation request. Which fields are present depends
                on the operation: `image_url` for image generation, `video_url` for image-to-video, `structured_prompt` for
                structured prompt generation (status.openapi.yaml StatusSuccessResponse).
    """

    image_url: str | Unset = UNSET
    structured_prompt: str | Unset = UNSET
    """ The generated structured prompt JSON string. """
    request_id: str | Unset = UNSET
    """ Identifier of the request (result-object form). """
    result: GenerationResult | Unset = UNSET
    """ The result of a finished generation request. Which fields are present depends on the operation: `image_url`
    for image generation, `video_url` for image-to-video, `structured_prompt` for structured prompt generation
    (status.openapi.yaml StatusSuccessResponse). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_url = self.image_url

        structured_prompt = self.structured_prompt

        request_id = self.request_id

        result: dict[str, Any] | Unset = UNSET
        if not isinstance(self.result, Unset):
            result = self.result.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if structured_prompt is not UNSET:
            field_dict["structured_prompt"] = structured_prompt
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if result is not UNSET:
            field_dict["result"] = result

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_url = d.pop("image_url", UNSET)

        structured_prompt = d.pop("structured_prompt", UNSET)

        request_id = d.pop("request_id", UNSET)

        _result = d.pop("result", UNSET)
        result: GenerationResult | Unset
        if _result is UNSET:
            result = UNSET
        else:
            result = GenerationResult.from_dict(_result)

        generation_response = cls(
            image_url=image_url,
            structured_prompt=structured_prompt,
            request_id=request_id,
            result=result,
        )

        generation_response.additional_properties = d
        return generation_response

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
from ..models.generation_result import GenerationResult  # noqa: E402

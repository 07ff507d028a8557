from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReimagineTailoredRequest")


@_attrs_define
class ReimagineTailoredRequest:
    """Generate with a tailored model (named in the path) that keeps the structure of a reference image. Send the structure
    image as `structure_image_file` or `structure_image_url`.

        Attributes:
            prompt (str | Unset): The prompt you would like to use to generate images.
            structure_image_file (str | Unset): The structure reference image, base64-encoded.
            structure_image_url (str | Unset): A publicly available URL of the structure reference image.
            structure_ref_influence (float | Unset): How much the reference image's structure shapes the output (0 to 1).
            tailored_model_influence (float | Unset): The influence of the tailored model on the generation.
            num_results (int | Unset): How many images to generate. With `fast=false` only 1 or 2 are supported.
            sync (bool | Unset): true: the response comes when the images are ready; false: at once, with URLs to poll.
            seed (int | Unset): The same seed, prompt and parameters give the same images.
            steps_num (int | Unset): The number of iterations the model goes through to refine the images.
            fast (bool | Unset): Fast generation mode; with `fast=false` only `num_results` 1 or 2.
            include_generation_prefix (bool | Unset): Prepend the model's generation prefix to the prompt.
            content_moderation (bool | Unset): Moderate the structure image (blocked: 422) and filter unsafe generated
                images out.
    """

    prompt: str | Unset = UNSET
    """ The prompt you would like to use to generate images. """
    structure_image_file: str | Unset = UNSET
    """ The structure reference image, base64-encoded. """
    structure_image_url: str | Unset = UNSET
    """ A publicly available URL of the structure reference image. """
    structure_ref_influence: float | Unset = UNSET
    """ How much the reference image's structure shapes the output (0 to 1). """
    tailored_model_influence: float | Unset = UNSET
    """ The influence of the tailored model on the generation. """
    num_results: int | Unset = UNSET
    """ How many images to generate. With `fast=false` only 1 or 2 are supported. """
    sync: bool | Unset = UNSET
    """ true: the response comes when the images are ready; false: at once, with URLs to poll. """
    seed: int | Unset = UNSET
    """ The same seed, prompt and parameters give the same images. """
    steps_num: int | Unset = UNSET
    """ The number of iterations the model goes through to refine the images. """
    fast: bool | Unset = UNSET
    """ Fast generation mode; with `fast=false` only `num_results` 1 or 2. """
    include_generation_prefix: bool | Unset = UNSET
    """ Prepend the model's generation prefix to the prompt. """
    content_moderation: bool | Unset = UNSET
    """ Moderate the structure image (blocked: 422) and filter unsafe generated images out. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        structure_image_file = self.structure_image_file

        structure_image_url = self.structure_image_url

        structure_ref_influence = self.structure_ref_influence

        tailored_model_influence = self.tailored_model_influence

        num_results = self.num_results

        sync = self.sync

        seed = self.seed

        steps_num = self.steps_num

        fast = self.fast

        include_generation_prefix = self.include_generation_prefix

        content_moderation = self.content_moderation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if structure_image_file is not UNSET:
            field_dict["structure_image_file"] = structure_image_file
        if structure_image_url is not UNSET:
            field_dict["structure_image_url"] = structure_image_url
        if structure_ref_influence is not UNSET:
            field_dict["structure_ref_influence"] = structure_ref_influence
        if tailored_model_influence is not UNSET:
            field_dict["tailored_model_influence"] = tailored_model_influence
        if num_results is not UNSET:
            field_dict["num_results"] = num_results
        if sync is not UNSET:
            field_dict["sync"] = sync
        if seed is not UNSET:
            field_dict["seed"] = seed
        if steps_num is not UNSET:
            field_dict["steps_num"] = steps_num
        if fast is not UNSET:
            field_dict["fast"] = fast
        if include_generation_prefix is not UNSET:
            field_dict["include_generation_prefix"] = include_generation_prefix
        if content_moderation is not UNSET:
            field_dict["content_moderation"] = content_moderation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt", UNSET)

        structure_image_file = d.pop("structure_image_file", UNSET)

        structure_image_url = d.pop("structure_image_url", UNSET)

        structure_ref_influence = d.pop("structure_ref_influence", UNSET)

        tailored_model_influence = d.pop("tailored_model_influence", UNSET)

        _num_results = d.pop("num_results", UNSET)
        num_results: int | Unset
        if _num_results is UNSET:
            num_results = UNSET
        else:
            num_results = _num_results if type(_num_results) is int else int(str(_num_results))

        sync = d.pop("sync", UNSET)

        _seed = d.pop("seed", UNSET)
        seed: int | Unset
        if _seed is UNSET:
            seed = UNSET
        else:
            seed = _seed if type(_seed) is int else int(str(_seed))

        _steps_num = d.pop("steps_num", UNSET)
        steps_num: int | Unset
        if _steps_num is UNSET:
            steps_num = UNSET
        else:
            steps_num = _steps_num if type(_steps_num) is int else int(str(_steps_num))

        fast = d.pop("fast", UNSET)

        include_generation_prefix = d.pop("include_generation_prefix", UNSET)

        content_moderation = d.pop("content_moderation", UNSET)

        reimagine_tailored_request = cls(
            prompt=prompt,
            structure_image_file=structure_image_file,
            structure_image_url=structure_image_url,
            structure_ref_influence=structure_ref_influence,
            tailored_model_influence=tailored_model_influence,
            num_results=num_results,
            sync=sync,
            seed=seed,
            steps_num=steps_num,
            fast=fast,
            include_generation_prefix=include_generation_prefix,
            content_moderation=content_moderation,
        )

        reimagine_tailored_request.additional_properties = d
        return reimagine_tailored_request

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

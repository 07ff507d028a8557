from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.aspect_ratio import AspectRatio
from ..models.guidance_method import GuidanceMethod
from ..models.image_prompt_mode import ImagePromptMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="TailoredImageRequest")


@_attrs_define
class TailoredImageRequest:
    """Generate images (or vector graphics) with a tailored model; the model, and optionally its checkpoint, are named in
    the path.

        Attributes:
            prompt (str | Unset): The prompt you would like to use to generate images. Bria currently supports prompts in
                English only.
            num_results (int | Unset): How many images to generate. With `fast=false` only 1 or 2 are supported.
            aspect_ratio (AspectRatio | Unset):
            sync (bool | Unset): true: the response comes when the images are ready. false: the response comes at once with
                the URLs of images still being generated; poll the URLs until they are ready. With `fast=false`, sync=false is
                recommended.
            seed (int | Unset): The same seed, prompt and parameters give the same images.
            model_influence (float | Unset): The influence of the tailored model on the generation.
            negative_prompt (str | Unset): Concepts to keep out of the images.
            fast (bool | Unset): Fast generation mode; with `fast=false` only `num_results` 1 or 2.
            steps_num (int | Unset): The number of iterations the model goes through to refine the images.
            include_generation_prefix (bool | Unset): Prepend the model's generation prefix to the prompt.
            content_moderation (bool | Unset): Moderate the input images (the first blocked one fails the whole request with
                422) and filter unsafe generated images out of the result.
            guidance_method_1 (GuidanceMethod | Unset): A ControlNet: canny (edges), depth (spatial arrangement), recoloring
                (grayscale geometry), color_grid (a 16x16 colour grid).
            guidance_method_1_scale (float | Unset): The impact of guidance method 1 on the generation (0.0 to 1.0).
            guidance_method_1_image_file (str | Unset): The base64-encoded input image of guidance method 1.
            guidance_method_2 (GuidanceMethod | Unset): A ControlNet: canny (edges), depth (spatial arrangement), recoloring
                (grayscale geometry), color_grid (a 16x16 colour grid).
            guidance_method_2_scale (float | Unset): The impact of guidance method 2 on the generation (0.0 to 1.0).
            guidance_method_2_image_file (str | Unset): The base64-encoded input image of guidance method 2; it must have
                the aspect ratio of guidance method 1's image. guidance_method_2 requires guidance_method_1.
            image_prompt_mode (ImagePromptMode | Unset): regular: the image's content, style and palette guide the
                generation; style_only: only its high-level style and palette.
            image_prompt_scale (float | Unset): The impact of the image prompt on the generation (0.0 to 1.0).
            image_prompt_file (str | Unset): The base64-encoded image used as image prompt.
            image_prompt_urls (list[str] | Unset): Publicly accessible URLs of images used as image prompt.
    """

    prompt: str | Unset = UNSET
    """ The prompt you would like to use to generate images. Bria currently supports prompts in English only. """
    num_results: int | Unset = UNSET
    """ How many images to generate. With `fast=false` only 1 or 2 are supported. """
    aspect_ratio: AspectRatio | Unset = UNSET
    sync: bool | Unset = UNSET
    """ true: the response comes when the images are ready. false: the response comes at once with the URLs of
    images still being generated; poll the URLs until they are ready. With `fast=false`, sync=false is recommended.
    """
    seed: int | Unset = UNSET
    """ The same seed, prompt and parameters give the same images. """
    model_influence: float | Unset = UNSET
    """ The influence of the tailored model on the generation. """
    negative_prompt: str | Unset = UNSET
    """ Concepts to keep out of the images. """
    fast: bool | Unset = UNSET
    """ Fast generation mode; with `fast=false` only `num_results` 1 or 2. """
    steps_num: int | Unset = UNSET
    """ The number of iterations the model goes through to refine the images. """
    include_generation_prefix: bool | Unset = UNSET
    """ Prepend the model's generation prefix to the prompt. """
    content_moderation: bool | Unset = UNSET
    """ Moderate the input images (the first blocked one fails the whole request with 422) and filter unsafe
    generated images out of the result. """
    guidance_method_1: GuidanceMethod | Unset = UNSET
    """ A ControlNet: canny (edges), depth (spatial arrangement), recoloring (grayscale geometry), color_grid (a
    16x16 colour grid). """
    guidance_method_1_scale: float | Unset = UNSET
    """ The impact of guidance method 1 on the generation (0.0 to 1.0). """
    guidance_method_1_image_file: str | Unset = UNSET
    """ The base64-encoded input image of guidance method 1. """
    guidance_method_2: GuidanceMethod | Unset = UNSET
    """ A ControlNet: canny (edges), depth (spatial arrangement), recoloring (grayscale geometry), color_grid (a
    16x16 colour grid). """
    guidance_method_2_scale: float | Unset = UNSET
    """ The impact of guidance method 2 on the generation (0.0 to 1.0). """
    guidance_method_2_image_file: str | Unset = UNSET
    """ The base64-encoded input image of guidance method 2; it must have the aspect ratio of guidance method 1's
    image. guidance_method_2 requires guidance_method_1. """
    image_prompt_mode: ImagePromptMode | Unset = UNSET
    """ regular: the image's content, style and palette guide the generation; style_only: only its high-level style
    and palette. """
    image_prompt_scale: float | Unset = UNSET
    """ The impact of the image prompt on the generation (0.0 to 1.0). """
    image_prompt_file: str | Unset = UNSET
    """ The base64-encoded image used as image prompt. """
    image_prompt_urls: list[str] | Unset = UNSET
    """ Publicly accessible URLs of images used as image prompt. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        num_results = self.num_results

        aspect_ratio: str | Unset = UNSET
        if not isinstance(self.aspect_ratio, Unset):
            aspect_ratio = self.aspect_ratio.value

        sync = self.sync

        seed = self.seed

        model_influence = self.model_influence

        negative_prompt = self.negative_prompt

        fast = self.fast

        steps_num = self.steps_num

        include_generation_prefix = self.include_generation_prefix

        content_moderation = self.content_moderation

        guidance_method_1: str | Unset = UNSET
        if not isinstance(self.guidance_method_1, Unset):
            guidance_method_1 = self.guidance_method_1.value

        guidance_method_1_scale = self.guidance_method_1_scale

        guidance_method_1_image_file = self.guidance_method_1_image_file

        guidance_method_2: str | Unset = UNSET
        if not isinstance(self.guidance_method_2, Unset):
            guidance_method_2 = self.guidance_method_2.value

        guidance_method_2_scale = self.guidance_method_2_scale

        guidance_method_2_image_file = self.guidance_method_2_image_file

        image_prompt_mode: str | Unset = UNSET
        if not isinstance(self.image_prompt_mode, Unset):
            image_prompt_mode = self.image_prompt_mode.value

        image_prompt_scale = self.image_prompt_scale

        image_prompt_file = self.image_prompt_file

        image_prompt_urls: list[str] | Unset = UNSET
        if not isinstance(self.image_prompt_urls, Unset):
            image_prompt_urls = self.image_prompt_urls

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if num_results is not UNSET:
            field_dict["num_results"] = num_results
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if sync is not UNSET:
            field_dict["sync"] = sync
        if seed is not UNSET:
            field_dict["seed"] = seed
        if model_influence is not UNSET:
            field_dict["model_influence"] = model_influence
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if fast is not UNSET:
            field_dict["fast"] = fast
        if steps_num is not UNSET:
            field_dict["steps_num"] = steps_num
        if include_generation_prefix is not UNSET:
            field_dict["include_generation_prefix"] = include_generation_prefix
        if content_moderation is not UNSET:
            field_dict["content_moderation"] = content_moderation
        if guidance_method_1 is not UNSET:
            field_dict["guidance_method_1"] = guidance_method_1
        if guidance_method_1_scale is not UNSET:
            field_dict["guidance_method_1_scale"] = guidance_method_1_scale
        if guidance_method_1_image_file is not UNSET:
            field_dict["guidance_method_1_image_file"] = guidance_method_1_image_file
        if guidance_method_2 is not UNSET:
            field_dict["guidance_method_2"] = guidance_method_2
        if guidance_method_2_scale is not UNSET:
            field_dict["guidance_method_2_scale"] = guidance_method_2_scale
        if guidance_method_2_image_file is not UNSET:
            field_dict["guidance_method_2_image_file"] = guidance_method_2_image_file
        if image_prompt_mode is not UNSET:
            field_dict["image_prompt_mode"] = image_prompt_mode
        if image_prompt_scale is not UNSET:
            field_dict["image_prompt_scale"] = image_prompt_scale
        if image_prompt_file is not UNSET:
            field_dict["image_prompt_file"] = image_prompt_file
        if image_prompt_urls is not UNSET:
            field_dict["image_prompt_urls"] = image_prompt_urls

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt", UNSET)

        _num_results = d.pop("num_results", UNSET)
        num_results: int | Unset
        if _num_results is UNSET:
            num_results = UNSET
        else:
            num_results = _num_results if type(_num_results) is int else int(str(_num_results))

        _aspect_ratio = d.pop("aspect_ratio", UNSET)
        aspect_ratio: AspectRatio | Unset
        if _aspect_ratio is UNSET:
            aspect_ratio = UNSET
        else:
            aspect_ratio = cast(
                AspectRatio,
                (
                    AspectRatio._value2member_map_.get(_aspect_ratio)
                    if type(_aspect_ratio) is str
                    else None
                )
                or AspectRatio(_aspect_ratio),
            )

        sync = d.pop("sync", UNSET)

        _seed = d.pop("seed", UNSET)
        seed: int | Unset
        if _seed is UNSET:
            seed = UNSET
        else:
            seed = _seed if type(_seed) is int else int(str(_seed))

        model_influence = d.pop("model_influence", UNSET)

        negative_prompt = d.pop("negative_prompt", UNSET)

        fast = d.pop("fast", UNSET)

        _steps_num = d.pop("steps_num", UNSET)
        steps_num: int | Unset
        if _steps_num is UNSET:
            steps_num = UNSET
        else:
            steps_num = _steps_num if type(_steps_num) is int else int(str(_steps_num))

        include_generation_prefix = d.pop("include_generation_prefix", UNSET)

        content_moderation = d.pop("content_moderation", UNSET)

        _guidance_method_1 = d.pop("guidance_method_1", UNSET)
        guidance_method_1: GuidanceMethod | Unset
        if _guidance_method_1 is UNSET:
            guidance_method_1 = UNSET
        else:
            guidance_method_1 = cast(
                GuidanceMethod,
                (
                    GuidanceMethod._value2member_map_.get(_guidance_method_1)
                    if type(_guidance_method_1) is str
                    else None
                )
                or GuidanceMethod(_guidance_method_1),
            )

        guidance_method_1_scale = d.pop("guidance_method_1_scale", UNSET)

        guidance_method_1_image_file = d.pop("guidance_method_1_image_file", UNSET)

        _guidance_method_2 = d.pop("guidance_method_2", UNSET)
        guidance_method_2: GuidanceMethod | Unset
        if _guidance_method_2 is UNSET:
            guidance_method_2 = UNSET
        else:
            guidance_method_2 = cast(
                GuidanceMethod,
                (
                    GuidanceMethod._value2member_map_.get(_guidance_method_2)
                    if type(_guidance_method_2) is str
                    else None
                )
                or GuidanceMethod(_guidance_method_2),
            )

        guidance_method_2_scale = d.pop("guidance_method_2_scale", UNSET)

        guidance_method_2_image_file = d.pop("guidance_method_2_image_file", UNSET)

        _image_prompt_mode = d.pop("image_prompt_mode", UNSET)
        image_prompt_mode: ImagePromptMode | Unset
        if _image_prompt_mode is UNSET:
            image_prompt_mode = UNSET
        else:
            image_prompt_mode = cast(
                ImagePromptMode,
                (
                    ImagePromptMode._value2member_map_.get(_image_prompt_mode)
                    if type(_image_prompt_mode) is str
                    else None
                )
                or ImagePromptMode(_image_prompt_mode),
            )

        image_prompt_scale = d.pop("image_prompt_scale", UNSET)

        image_prompt_file = d.pop("image_prompt_file", UNSET)

        image_prompt_urls = cast(list[str], d.pop("image_prompt_urls", UNSET))

        tailored_image_request = cls(
            prompt=prompt,
            num_results=num_results,
            aspect_ratio=aspect_ratio,
            sync=sync,
            seed=seed,
            model_influence=model_influence,
            negative_prompt=negative_prompt,
            fast=fast,
            steps_num=steps_num,
            include_generation_prefix=include_generation_prefix,
            content_moderation=content_moderation,
            guidance_method_1=guidance_method_1,
            guidance_method_1_scale=guidance_method_1_scale,
            guidance_method_1_image_file=guidance_method_1_image_file,
            guidance_method_2=guidance_method_2,
            guidance_method_2_scale=guidance_method_2_scale,
            guidance_method_2_image_file=guidance_method_2_image_file,
            image_prompt_mode=image_prompt_mode,
            image_prompt_scale=image_prompt_scale,
            image_prompt_file=image_prompt_file,
            image_prompt_urls=image_prompt_urls,
        )

        tailored_image_request.additional_properties = d
        return tailored_image_request

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

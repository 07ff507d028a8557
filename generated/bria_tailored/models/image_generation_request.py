from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.aspect_ratio import AspectRatio
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageGenerationRequest")


@_attrs_define
class ImageGenerationRequest:
    """A ``ImageGenerationRequest`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        tailored_model_id (int): The ID of the tailored model.
        tailored_model_influence (float | Unset): Controls the strength of the tailored model's influence (0.0 - 1.5).

            Server default when omitted: `1`.
        prompt (str | Unset): Text-based instruction for generation or refinement.
        structured_prompt (str | Unset): A string containing the structured prompt in JSON format for precise
            recreation/refinement.
        negative_prompt (str | Unset): Concepts to exclude from the generated image.
        guidance_scale (int | Unset): Adherence to the prompt (3-5).

            Server default when omitted: `5`.
        aspect_ratio (AspectRatio | Unset):
        steps_num (int | Unset): Server default when omitted: `50`.
        seed (int | Unset): Seed for deterministic generation.
        sync (bool | Unset): If false, returns a 202 and status URL. If true, returns 200 with result.

            Server default when omitted: `False`.
        prompt_content_moderation (bool | Unset): Server default when omitted: `True`.
        visual_output_content_moderation (bool | Unset): Server default when omitted: `True`.
        webhook_url (str | Unset): With `sync=false`: a URL Bria POSTs the job's final status to (the body of GET
            /v2/status/{request_id}: request_id, status, result or error) once the job is COMPLETED or ERROR, instead of
            being polled. Each delivery is signed: headers `Bria-Webhook-Id` (the request_id), `Bria-Webhook-Timestamp`
            (Unix seconds) and `Bria-Webhook-Signature` (`v1=` base64 of HMAC-SHA256 over "{id}.{timestamp}.{raw body}",
            keyed with HMAC-SHA256(your api_token, "bria-webhook-signing-v1")); check it with
            `bria_tailored.runtime.verify_webhook`. Answer 2xx within 10 seconds.
    """

    tailored_model_id: int
    """ The ID of the tailored model. """
    tailored_model_influence: float | Unset = UNSET
    """ Controls the strength of the tailored model's influence (0.0 - 1.5).

    Server default when omitted: `1`. """
    prompt: str | Unset = UNSET
    """ Text-based instruction for generation or refinement. """
    structured_prompt: str | Unset = UNSET
    """ A string containing the structured prompt in JSON format for precise recreation/refinement. """
    negative_prompt: str | Unset = UNSET
    """ Concepts to exclude from the generated image. """
    guidance_scale: int | Unset = UNSET
    """ Adherence to the prompt (3-5).

    Server default when omitted: `5`. """
    aspect_ratio: AspectRatio | Unset = UNSET
    steps_num: int | Unset = UNSET
    """ Server default when omitted: `50`. """
    seed: int | Unset = UNSET
    """ Seed for deterministic generation. """
    sync: bool | Unset = UNSET
    """ If false, returns a 202 and status URL. If true, returns 200 with result.

    Server default when omitted: `False`. """
    prompt_content_moderation: bool | Unset = UNSET
    """ Server default when omitted: `True`. """
    visual_output_content_moderation: bool | Unset = UNSET
    """ Server default when omitted: `True`. """
    webhook_url: str | Unset = UNSET
    """ With `sync=false`: a URL Bria POSTs the job's final status to (the body of GET /v2/status/{request_id}:
    request_id, status, result or error) once the job is COMPLETED or ERROR, instead of being polled. Each delivery
    is signed: headers `Bria-Webhook-Id` (the request_id), `Bria-Webhook-Timestamp` (Unix seconds) and `Bria-
    Webhook-Signature` (`v1=` base64 of HMAC-SHA256 over "{id}.{timestamp}.{raw body}", keyed with HMAC-SHA256(your
    api_token, "bria-webhook-signing-v1")); check it with `bria_tailored.runtime.verify_webhook`. Answer 2xx within
    10 seconds. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tailored_model_id = self.tailored_model_id

        tailored_model_influence = self.tailored_model_influence

        prompt = self.prompt

        structured_prompt = self.structured_prompt

        negative_prompt = self.negative_prompt

        guidance_scale = self.guidance_scale

        aspect_ratio: str | Unset = UNSET
        if not isinstance(self.aspect_ratio, Unset):
            aspect_ratio = self.aspect_ratio.value

        steps_num = self.steps_num

        seed = self.seed

        sync = self.sync

        prompt_content_moderation = self.prompt_content_moderation

        visual_output_content_moderation = self.visual_output_content_moderation

        webhook_url = self.webhook_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tailored_model_id": tailored_model_id,
            }
        )
        if tailored_model_influence is not UNSET:
            field_dict["tailored_model_influence"] = tailored_model_influence
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if structured_prompt is not UNSET:
            field_dict["structured_prompt"] = structured_prompt
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if guidance_scale is not UNSET:
            field_dict["guidance_scale"] = guidance_scale
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if steps_num is not UNSET:
            field_dict["steps_num"] = steps_num
        if seed is not UNSET:
            field_dict["seed"] = seed
        if sync is not UNSET:
            field_dict["sync"] = sync
        if prompt_content_moderation is not UNSET:
            field_dict["prompt_content_moderation"] = prompt_content_moderation
        if visual_output_content_moderation is not UNSET:
            field_dict["visual_output_content_moderation"] = visual_output_content_moderation
        if webhook_url is not UNSET:
            field_dict["webhook_url"] = webhook_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _tailored_model_id = d.pop("tailored_model_id")
        tailored_model_id = (
            _tailored_model_id if type(_tailored_model_id) is int else int(str(_tailored_model_id))
        )

        tailored_model_influence = d.pop("tailored_model_influence", UNSET)

        prompt = d.pop("prompt", UNSET)

        structured_prompt = d.pop("structured_prompt", UNSET)

        negative_prompt = d.pop("negative_prompt", UNSET)

        _guidance_scale = d.pop("guidance_scale", UNSET)
        guidance_scale: int | Unset
        if _guidance_scale is UNSET:
            guidance_scale = UNSET
        else:
            guidance_scale = (
                _guidance_scale if type(_guidance_scale) is int else int(str(_guidance_scale))
            )

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

        _steps_num = d.pop("steps_num", UNSET)
        steps_num: int | Unset
        if _steps_num is UNSET:
            steps_num = UNSET
        else:
            steps_num = _steps_num if type(_steps_num) is int else int(str(_steps_num))

        _seed = d.pop("seed", UNSET)
        seed: int | Unset
        if _seed is UNSET:
            seed = UNSET
        else:
            seed = _seed if type(_seed) is int else int(str(_seed))

        sync = d.pop("sync", UNSET)

        prompt_content_moderation = d.pop("prompt_content_moderation", UNSET)

        visual_output_content_moderation = d.pop("visual_output_content_moderation", UNSET)

        webhook_url = d.pop("webhook_url", UNSET)

        image_generation_request = cls(
            tailored_model_id=tailored_model_id,
            tailored_model_influence=tailored_model_influence,
            prompt=prompt,
            structured_prompt=structured_prompt,
            negative_prompt=negative_prompt,
            guidance_scale=guidance_scale,
            aspect_ratio=aspect_ratio,
            steps_num=steps_num,
            seed=seed,
            sync=sync,
            prompt_content_moderation=prompt_content_moderation,
            visual_output_content_moderation=visual_output_content_moderation,
            webhook_url=webhook_url,
        )

        image_generation_request.additional_properties = d
        return image_generation_request

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

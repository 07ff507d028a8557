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
        webhook_url (str | Unset): With `sync=false`: a URL Bria POSTs the job's final status to (the body of GET
            /v2/status/{request_id}: request_id, status, result or error) once the job is COMPLETED or ERROR, instead of
            being polled. Each delivery is signed: headers `Bria-Webhook-Id` (the request_id), `Bria-Webhook-Timestamp`
            (Unix seconds) and `Bria-Webhook-Signature` (`v1=` base64 of HMAC-SHA256 over "{id}.{timestamp}.{raw body}",
            keyed with HMAC-SHA256(your api_token, "bria-webhook-signing-v1")); check it with
            `bria_tailored.runtime.verify_webhook`. Answer 2xx within 10 seconds.
    """

    tailored_model_id: int
    """ The ID of the tailored model that generated the input image. """
    image: str
    """ Publicly accessible URL or base64 string of the source image. """
    seed: int | Unset = UNSET
    """ Optional seed for reproducible results. """
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

        image = self.image

        seed = self.seed

        webhook_url = self.webhook_url

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

        image = d.pop("image")

        _seed = d.pop("seed", UNSET)
        seed: int | Unset
        if _seed is UNSET:
            seed = UNSET
        else:
            seed = _seed if type(_seed) is int else int(str(_seed))

        webhook_url = d.pop("webhook_url", UNSET)

        video_generation_request = cls(
            tailored_model_id=tailored_model_id,
            image=image,
            seed=seed,
            webhook_url=webhook_url,
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

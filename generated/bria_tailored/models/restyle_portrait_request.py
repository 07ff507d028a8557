from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RestylePortraitRequest")


@_attrs_define
class RestylePortraitRequest:
    """Restyle a portrait with a tailored model and keep the person's identity. Send the portrait as `id_image_url` or
    `id_image_file` (if both are sent, the URL is used).

        Attributes:
            tailored_model_id (int): The tailored model: trained with the Light version, in Expert mode on Bria 2.3, or
                uploaded and based on Bria 2.3.
            id_image_url (str | Unset): A publicly available URL of the ID reference image (jpeg, jpg, png, webp).
            id_image_file (str | Unset): The ID reference image, base64-encoded; used when id_image_url is absent.
            tailored_model_influence (float | Unset): The influence of the tailored model; lower it when the training data
                was minimal or less diverse.
            id_strength (float | Unset): How strongly the person's identity is kept.
            seed (int | Unset): The same seed and inputs give the same image.
            steps_num (int | Unset): The number of iterations the model goes through to refine the image.
            enhance_image (bool | Unset): Richer details, sharper textures; slightly slower.
            content_moderation (bool | Unset): Moderate the input image (blocked: 422) and the generated output.
    """

    tailored_model_id: int
    """ The tailored model: trained with the Light version, in Expert mode on Bria 2.3, or uploaded and based on
    Bria 2.3. """
    id_image_url: str | Unset = UNSET
    """ A publicly available URL of the ID reference image (jpeg, jpg, png, webp). """
    id_image_file: str | Unset = UNSET
    """ The ID reference image, base64-encoded; used when id_image_url is absent. """
    tailored_model_influence: float | Unset = UNSET
    """ The influence of the tailored model; lower it when the training data was minimal or less diverse. """
    id_strength: float | Unset = UNSET
    """ How strongly the person's identity is kept. """
    seed: int | Unset = UNSET
    """ The same seed and inputs give the same image. """
    steps_num: int | Unset = UNSET
    """ The number of iterations the model goes through to refine the image. """
    enhance_image: bool | Unset = UNSET
    """ Richer details, sharper textures; slightly slower. """
    content_moderation: bool | Unset = UNSET
    """ Moderate the input image (blocked: 422) and the generated output. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tailored_model_id = self.tailored_model_id

        id_image_url = self.id_image_url

        id_image_file = self.id_image_file

        tailored_model_influence = self.tailored_model_influence

        id_strength = self.id_strength

        seed = self.seed

        steps_num = self.steps_num

        enhance_image = self.enhance_image

        content_moderation = self.content_moderation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tailored_model_id": tailored_model_id,
            }
        )
        if id_image_url is not UNSET:
            field_dict["id_image_url"] = id_image_url
        if id_image_file is not UNSET:
            field_dict["id_image_file"] = id_image_file
        if tailored_model_influence is not UNSET:
            field_dict["tailored_model_influence"] = tailored_model_influence
        if id_strength is not UNSET:
            field_dict["id_strength"] = id_strength
        if seed is not UNSET:
            field_dict["seed"] = seed
        if steps_num is not UNSET:
            field_dict["steps_num"] = steps_num
        if enhance_image is not UNSET:
            field_dict["enhance_image"] = enhance_image
        if content_moderation is not UNSET:
            field_dict["content_moderation"] = content_moderation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _tailored_model_id = d.pop("tailored_model_id")
        tailored_model_id = (
            _tailored_model_id if type(_tailored_model_id) is int else int(str(_tailored_model_id))
        )

        id_image_url = d.pop("id_image_url", UNSET)

        id_image_file = d.pop("id_image_file", UNSET)

        tailored_model_influence = d.pop("tailored_model_influence", UNSET)

        id_strength = d.pop("id_strength", UNSET)

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

        enhance_image = d.pop("enhance_image", UNSET)

        content_moderation = d.pop("content_moderation", UNSET)

        restyle_portrait_request = cls(
            tailored_model_id=tailored_model_id,
            id_image_url=id_image_url,
            id_image_file=id_image_file,
            tailored_model_influence=tailored_model_influence,
            id_strength=id_strength,
            seed=seed,
            steps_num=steps_num,
            enhance_image=enhance_image,
            content_moderation=content_moderation,
        )

        restyle_portrait_request.additional_properties = d
        return restyle_portrait_request

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ip_medium import IpMedium
from ..models.prefix_ip_type import PrefixIpType
from ..types import UNSET, Unset

T = TypeVar("T", bound="GeneratePrefixRequest")


@_attrs_define
class GeneratePrefixRequest:
    """Sample images for a caption prefix: `image_urls` or `images` (1-6, not both; exactly 6 when 6 or more exist gives
    the best results).

        Attributes:
            ip_type (PrefixIpType): The IP types a caption prefix can be generated for (a subset of IpType), as given when
                creating the project.
            image_urls (list[str] | Unset): 1-6 image URLs. Either image_urls or images, not both.
            images (list[str] | Unset): 1-6 base64-encoded images. Either image_urls or images, not both.
            ip_medium (IpMedium | Unset):
            ip_name (str | Unset): Name of the IP; relevant only when ip_type is defined_character.
            content_moderation (bool | Unset): Moderate the input images; the first blocked one fails the request (422).
    """

    ip_type: PrefixIpType
    """ The IP types a caption prefix can be generated for (a subset of IpType), as given when creating the project.
    """
    image_urls: list[str] | Unset = UNSET
    """ 1-6 image URLs. Either image_urls or images, not both. """
    images: list[str] | Unset = UNSET
    """ 1-6 base64-encoded images. Either image_urls or images, not both. """
    ip_medium: IpMedium | Unset = UNSET
    ip_name: str | Unset = UNSET
    """ Name of the IP; relevant only when ip_type is defined_character. """
    content_moderation: bool | Unset = UNSET
    """ Moderate the input images; the first blocked one fails the request (422). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ip_type = self.ip_type.value

        image_urls: list[str] | Unset = UNSET
        if not isinstance(self.image_urls, Unset):
            image_urls = self.image_urls

        images: list[str] | Unset = UNSET
        if not isinstance(self.images, Unset):
            images = self.images

        ip_medium: str | Unset = UNSET
        if not isinstance(self.ip_medium, Unset):
            ip_medium = self.ip_medium.value

        ip_name = self.ip_name

        content_moderation = self.content_moderation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ip_type": ip_type,
            }
        )
        if image_urls is not UNSET:
            field_dict["image_urls"] = image_urls
        if images is not UNSET:
            field_dict["images"] = images
        if ip_medium is not UNSET:
            field_dict["ip_medium"] = ip_medium
        if ip_name is not UNSET:
            field_dict["ip_name"] = ip_name
        if content_moderation is not UNSET:
            field_dict["content_moderation"] = content_moderation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _ip_type = d.pop("ip_type")
        ip_type = cast(
            PrefixIpType,
            (PrefixIpType._value2member_map_.get(_ip_type) if type(_ip_type) is str else None)
            or PrefixIpType(_ip_type),
        )

        image_urls = cast(list[str], d.pop("image_urls", UNSET))

        images = cast(list[str], d.pop("images", UNSET))

        _ip_medium = d.pop("ip_medium", UNSET)
        ip_medium: IpMedium | Unset
        if _ip_medium is UNSET:
            ip_medium = UNSET
        else:
            ip_medium = cast(
                IpMedium,
                (IpMedium._value2member_map_.get(_ip_medium) if type(_ip_medium) is str else None)
                or IpMedium(_ip_medium),
            )

        ip_name = d.pop("ip_name", UNSET)

        content_moderation = d.pop("content_moderation", UNSET)

        generate_prefix_request = cls(
            ip_type=ip_type,
            image_urls=image_urls,
            images=images,
            ip_medium=ip_medium,
            ip_name=ip_name,
            content_moderation=content_moderation,
        )

        generate_prefix_request.additional_properties = d
        return generate_prefix_request

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.training_mode import TrainingMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelCreate")


@_attrs_define
class ModelCreate:
    """A ``ModelCreate`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        name (str): Name of the model (required)
        dataset_id (int): ID of the dataset to use (required)
        training_mode (TrainingMode | Unset):
        description (str | Unset): Description of the model (optional)
    """

    name: str
    """ Name of the model (required) """
    dataset_id: int
    """ ID of the dataset to use (required) """
    training_mode: TrainingMode | Unset = UNSET
    description: str | Unset = UNSET
    """ Description of the model (optional) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        dataset_id = self.dataset_id

        training_mode: str | Unset = UNSET
        if not isinstance(self.training_mode, Unset):
            training_mode = self.training_mode.value

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "dataset_id": dataset_id,
            }
        )
        if training_mode is not UNSET:
            field_dict["training_mode"] = training_mode
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        _dataset_id = d.pop("dataset_id")
        dataset_id = _dataset_id if type(_dataset_id) is int else int(str(_dataset_id))

        _training_mode = d.pop("training_mode", UNSET)
        training_mode: TrainingMode | Unset
        if _training_mode is UNSET:
            training_mode = UNSET
        else:
            training_mode = cast(
                TrainingMode,
                (
                    TrainingMode._value2member_map_.get(_training_mode)
                    if type(_training_mode) is str
                    else None
                )
                or TrainingMode(_training_mode),
            )

        description = d.pop("description", UNSET)

        model_create = cls(
            name=name,
            dataset_id=dataset_id,
            training_mode=training_mode,
            description=description,
        )

        model_create.additional_properties = d
        return model_create

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

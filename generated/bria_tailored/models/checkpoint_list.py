from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CheckpointList")


@_attrs_define
class CheckpointList:
    """A ``CheckpointList`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        checkpoints (list[Checkpoint] | Unset): A list of all available checkpoints for the model.
        active_model_version (str | Unset): The training step number of the checkpoint currently selected for inference.
    """

    checkpoints: list[Checkpoint] | Unset = UNSET
    """ A list of all available checkpoints for the model. """
    active_model_version: str | Unset = UNSET
    """ The training step number of the checkpoint currently selected for inference. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checkpoints: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.checkpoints, Unset):
            checkpoints = []
            for checkpoints_item_data in self.checkpoints:
                checkpoints_item = checkpoints_item_data.to_dict()
                checkpoints.append(checkpoints_item)

        active_model_version = self.active_model_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if checkpoints is not UNSET:
            field_dict["checkpoints"] = checkpoints
        if active_model_version is not UNSET:
            field_dict["active_model_version"] = active_model_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _checkpoints = d.pop("checkpoints", UNSET)
        checkpoints: list[Checkpoint] | Unset = UNSET
        if _checkpoints is not UNSET:
            checkpoints = []
            for checkpoints_item_data in _checkpoints:
                checkpoints_item = Checkpoint.from_dict(checkpoints_item_data)

                checkpoints.append(checkpoints_item)

        active_model_version = d.pop("active_model_version", UNSET)

        checkpoint_list = cls(
            checkpoints=checkpoints,
            active_model_version=active_model_version,
        )

        checkpoint_list.additional_properties = d
        return checkpoint_list

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
from ..models.checkpoint import Checkpoint  # noqa: E402

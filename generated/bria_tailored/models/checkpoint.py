from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Checkpoint")


@_attrs_define
class Checkpoint:
    """A ``Checkpoint`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        checkpoint_step (int | Unset): The training step at which the checkpoint was saved.
        training_job_id (int | Unset): The ID of the training job associated with the checkpoint.
        created_at (datetime.datetime | Unset): Timestamp of checkpoint creation.
    """

    checkpoint_step: int | Unset = UNSET
    """ The training step at which the checkpoint was saved. """
    training_job_id: int | Unset = UNSET
    """ The ID of the training job associated with the checkpoint. """
    created_at: datetime.datetime | Unset = UNSET
    """ Timestamp of checkpoint creation. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checkpoint_step = self.checkpoint_step

        training_job_id = self.training_job_id

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if checkpoint_step is not UNSET:
            field_dict["checkpoint_step"] = checkpoint_step
        if training_job_id is not UNSET:
            field_dict["training_job_id"] = training_job_id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _checkpoint_step = d.pop("checkpoint_step", UNSET)
        checkpoint_step: int | Unset
        if _checkpoint_step is UNSET:
            checkpoint_step = UNSET
        else:
            checkpoint_step = (
                _checkpoint_step if type(_checkpoint_step) is int else int(str(_checkpoint_step))
            )

        _training_job_id = d.pop("training_job_id", UNSET)
        training_job_id: int | Unset
        if _training_job_id is UNSET:
            training_job_id = UNSET
        else:
            training_job_id = (
                _training_job_id if type(_training_job_id) is int else int(str(_training_job_id))
            )

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if _created_at is UNSET:
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(
                _created_at
                if _created_at[-1:] in "Zz" or "+" in _created_at[10:] or "-" in _created_at[10:]
                else _created_at + "+00:00"
            )

        checkpoint = cls(
            checkpoint_step=checkpoint_step,
            training_job_id=training_job_id,
            created_at=created_at,
        )

        checkpoint.additional_properties = d
        return checkpoint

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

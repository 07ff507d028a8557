from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lr_scheduler import LrScheduler
from ..types import UNSET, Unset

T = TypeVar("T", bound="TrainingParameters")


@_attrs_define
class TrainingParameters:
    """A ``TrainingParameters`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        learning_rate (float | Unset):
        lr_scheduler (LrScheduler | Unset):
        rank (int | Unset):
        total_training_steps (int | Unset):
        checkpoint_interval (int | Unset):
        lr_warmup_steps (int | None | Unset): Number of warmup steps used. Value is an integer if `lr_scheduler` is
            `constant_with_warmup`, otherwise `null`.
    """

    learning_rate: float | Unset = UNSET
    lr_scheduler: LrScheduler | Unset = UNSET
    rank: int | Unset = UNSET
    total_training_steps: int | Unset = UNSET
    checkpoint_interval: int | Unset = UNSET
    lr_warmup_steps: int | None | Unset = UNSET
    """ Number of warmup steps used. Value is an integer if `lr_scheduler` is `constant_with_warmup`, otherwise
    `null`.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        learning_rate = self.learning_rate

        lr_scheduler: str | Unset = UNSET
        if not isinstance(self.lr_scheduler, Unset):
            lr_scheduler = self.lr_scheduler.value

        rank = self.rank

        total_training_steps = self.total_training_steps

        checkpoint_interval = self.checkpoint_interval

        lr_warmup_steps: int | None | Unset
        if isinstance(self.lr_warmup_steps, Unset):
            lr_warmup_steps = UNSET
        else:
            lr_warmup_steps = self.lr_warmup_steps

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if learning_rate is not UNSET:
            field_dict["learning_rate"] = learning_rate
        if lr_scheduler is not UNSET:
            field_dict["lr_scheduler"] = lr_scheduler
        if rank is not UNSET:
            field_dict["rank"] = rank
        if total_training_steps is not UNSET:
            field_dict["total_training_steps"] = total_training_steps
        if checkpoint_interval is not UNSET:
            field_dict["checkpoint_interval"] = checkpoint_interval
        if lr_warmup_steps is not UNSET:
            field_dict["lr_warmup_steps"] = lr_warmup_steps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        learning_rate = d.pop("learning_rate", UNSET)

        _lr_scheduler = d.pop("lr_scheduler", UNSET)
        lr_scheduler: LrScheduler | Unset
        if _lr_scheduler is UNSET:
            lr_scheduler = UNSET
        else:
            lr_scheduler = cast(
                LrScheduler,
                (
                    LrScheduler._value2member_map_.get(_lr_scheduler)
                    if type(_lr_scheduler) is str
                    else None
                )
                or LrScheduler(_lr_scheduler),
            )

        _rank = d.pop("rank", UNSET)
        rank: int | Unset
        if _rank is UNSET:
            rank = UNSET
        else:
            rank = _rank if type(_rank) is int else int(str(_rank))

        _total_training_steps = d.pop("total_training_steps", UNSET)
        total_training_steps: int | Unset
        if _total_training_steps is UNSET:
            total_training_steps = UNSET
        else:
            total_training_steps = (
                _total_training_steps
                if type(_total_training_steps) is int
                else int(str(_total_training_steps))
            )

        _checkpoint_interval = d.pop("checkpoint_interval", UNSET)
        checkpoint_interval: int | Unset
        if _checkpoint_interval is UNSET:
            checkpoint_interval = UNSET
        else:
            checkpoint_interval = (
                _checkpoint_interval
                if type(_checkpoint_interval) is int
                else int(str(_checkpoint_interval))
            )

        _lr_warmup_steps = d.pop("lr_warmup_steps", UNSET)
        lr_warmup_steps: int | None | Unset
        if _lr_warmup_steps is None or _lr_warmup_steps is UNSET:
            lr_warmup_steps = _lr_warmup_steps
        else:
            try:
                if not isinstance(_lr_warmup_steps, (int, str)):
                    raise TypeError()
                lr_warmup_steps_type_0 = (
                    _lr_warmup_steps
                    if type(_lr_warmup_steps) is int
                    else int(str(_lr_warmup_steps))
                )

                lr_warmup_steps = lr_warmup_steps_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                lr_warmup_steps = cast(int | None | Unset, _lr_warmup_steps)

        training_parameters = cls(
            learning_rate=learning_rate,
            lr_scheduler=lr_scheduler,
            rank=rank,
            total_training_steps=total_training_steps,
            checkpoint_interval=checkpoint_interval,
            lr_warmup_steps=lr_warmup_steps,
        )

        training_parameters.additional_properties = d
        return training_parameters

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lr_scheduler import LrScheduler
from ..types import UNSET, Unset

T = TypeVar("T", bound="TrainingRequest")


@_attrs_define
class TrainingRequest:
    """Training parameters; every field is optional and only what is set is sent. Send an empty body (`{}`) to let Bria
    choose: a fully automated model refuses any of these fields with 400. Server defaults when omitted, by the model's
    training version: FIBO (`fibo`) rank 128, learning_rate 0.0001, lr_scheduler constant_with_warmup,
    total_training_steps 750, checkpoint_interval 500, lr_warmup_steps 100; legacy (`max`, `light`, `3.2`, `2.3`) the
    same except lr_scheduler constant and total_training_steps 1500.

        Attributes:
            lr_scheduler (LrScheduler | Unset):
            learning_rate (float | Unset): The initial learning rate. Default is 0.0001.
            total_training_steps (int | Unset): The total number of training optimization steps. Expert mode only. Server
                default when omitted depends on the model's training version: FIBO (`fibo`) 750; legacy (`max`, `light`, `3.2`,
                `2.3`) 1500.
            rank (int | Unset): The rank (latent dimension). Default is 128.
            checkpoint_interval (int | Unset): The interval (in steps) at which model checkpoints are saved. Default is 500.
            lr_warmup_steps (int | Unset): Number of warmup steps for the learning rate scheduler.
                Relevant only when `lr_scheduler` is set to `constant_with_warmup`.

                Server default when omitted: `100`.
    """

    lr_scheduler: LrScheduler | Unset = UNSET
    learning_rate: float | Unset = UNSET
    """ The initial learning rate. Default is 0.0001. """
    total_training_steps: int | Unset = UNSET
    """ The total number of training optimization steps. Expert mode only. Server default when omitted depends on
    the model's training version: FIBO (`fibo`) 750; legacy (`max`, `light`, `3.2`, `2.3`) 1500. """
    rank: int | Unset = UNSET
    """ The rank (latent dimension). Default is 128. """
    checkpoint_interval: int | Unset = UNSET
    """ The interval (in steps) at which model checkpoints are saved. Default is 500. """
    lr_warmup_steps: int | Unset = UNSET
    """ Number of warmup steps for the learning rate scheduler.
    Relevant only when `lr_scheduler` is set to `constant_with_warmup`.

    Server default when omitted: `100`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lr_scheduler: str | Unset = UNSET
        if not isinstance(self.lr_scheduler, Unset):
            lr_scheduler = self.lr_scheduler.value

        learning_rate = self.learning_rate

        total_training_steps = self.total_training_steps

        rank = self.rank

        checkpoint_interval = self.checkpoint_interval

        lr_warmup_steps = self.lr_warmup_steps

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if lr_scheduler is not UNSET:
            field_dict["lr_scheduler"] = lr_scheduler
        if learning_rate is not UNSET:
            field_dict["learning_rate"] = learning_rate
        if total_training_steps is not UNSET:
            field_dict["total_training_steps"] = total_training_steps
        if rank is not UNSET:
            field_dict["rank"] = rank
        if checkpoint_interval is not UNSET:
            field_dict["checkpoint_interval"] = checkpoint_interval
        if lr_warmup_steps is not UNSET:
            field_dict["lr_warmup_steps"] = lr_warmup_steps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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

        learning_rate = d.pop("learning_rate", UNSET)

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

        _rank = d.pop("rank", UNSET)
        rank: int | Unset
        if _rank is UNSET:
            rank = UNSET
        else:
            rank = _rank if type(_rank) is int else int(str(_rank))

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
        lr_warmup_steps: int | Unset
        if _lr_warmup_steps is UNSET:
            lr_warmup_steps = UNSET
        else:
            lr_warmup_steps = (
                _lr_warmup_steps if type(_lr_warmup_steps) is int else int(str(_lr_warmup_steps))
            )

        training_request = cls(
            lr_scheduler=lr_scheduler,
            learning_rate=learning_rate,
            total_training_steps=total_training_steps,
            rank=rank,
            checkpoint_interval=checkpoint_interval,
            lr_warmup_steps=lr_warmup_steps,
        )

        training_request.additional_properties = d
        return training_request

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

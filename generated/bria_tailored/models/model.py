from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_status import ModelStatus
from ..models.training_mode import TrainingMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="Model")


@_attrs_define
class Model:
    """A ``Model`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        id (int): Unique identifier for the model.
        name (str | Unset): Name of the model.
        description (str | Unset): Description of the model.
        status (ModelStatus | Unset):
        training_mode (TrainingMode | Unset):
        project_id (int | Unset): ID of the project this model belongs to.
        dataset_id (int | Unset): ID of the dataset used for training.
        created_at (datetime.datetime | Unset): Timestamp when the model was created.
        updated_at (datetime.datetime | Unset): Timestamp when the model was last updated.
        active_model_version (str | Unset): The active version (checkpoint) of the model. Becomes relevant after
            training has completed.
        training_parameters (TrainingParameters | Unset):
        checkpoint_steps (list[int] | Unset): A list of checkpoint steps for the model. Only included when
            `include_training_parameters=true`
        custom_metadata (str | Unset): Custom metadata associated with the model.
        training_version (None | str | Unset): The training version of the model (bria-start-training.md start-training
            response).
        generation_prefix (None | str | Unset): Text automatically prepended to prompts. For fibo models: null. For
            legacy models: the dataset's caption_prefix (bria-start-training.md).
    """

    id: int
    """ Unique identifier for the model. """
    name: str | Unset = UNSET
    """ Name of the model. """
    description: str | Unset = UNSET
    """ Description of the model. """
    status: ModelStatus | Unset = UNSET
    training_mode: TrainingMode | Unset = UNSET
    project_id: int | Unset = UNSET
    """ ID of the project this model belongs to. """
    dataset_id: int | Unset = UNSET
    """ ID of the dataset used for training. """
    created_at: datetime.datetime | Unset = UNSET
    """ Timestamp when the model was created. """
    updated_at: datetime.datetime | Unset = UNSET
    """ Timestamp when the model was last updated. """
    active_model_version: str | Unset = UNSET
    """ The active version (checkpoint) of the model. Becomes relevant after training has completed. """
    training_parameters: TrainingParameters | Unset = UNSET
    checkpoint_steps: list[int] | Unset = UNSET
    """ A list of checkpoint steps for the model. Only included when `include_training_parameters=true` """
    custom_metadata: str | Unset = UNSET
    """ Custom metadata associated with the model. """
    training_version: None | str | Unset = UNSET
    """ The training version of the model (bria-start-training.md start-training response). """
    generation_prefix: None | str | Unset = UNSET
    """ Text automatically prepended to prompts. For fibo models: null. For legacy models: the dataset's
    caption_prefix (bria-start-training.md). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description = self.description

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        training_mode: str | Unset = UNSET
        if not isinstance(self.training_mode, Unset):
            training_mode = self.training_mode.value

        project_id = self.project_id

        dataset_id = self.dataset_id

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        active_model_version = self.active_model_version

        training_parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.training_parameters, Unset):
            training_parameters = self.training_parameters.to_dict()

        checkpoint_steps: list[int] | Unset = UNSET
        if not isinstance(self.checkpoint_steps, Unset):
            checkpoint_steps = self.checkpoint_steps

        custom_metadata = self.custom_metadata

        training_version: None | str | Unset
        if isinstance(self.training_version, Unset):
            training_version = UNSET
        else:
            training_version = self.training_version

        generation_prefix: None | str | Unset
        if isinstance(self.generation_prefix, Unset):
            generation_prefix = UNSET
        else:
            generation_prefix = self.generation_prefix

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if status is not UNSET:
            field_dict["status"] = status
        if training_mode is not UNSET:
            field_dict["training_mode"] = training_mode
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if dataset_id is not UNSET:
            field_dict["dataset_id"] = dataset_id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if active_model_version is not UNSET:
            field_dict["active_model_version"] = active_model_version
        if training_parameters is not UNSET:
            field_dict["training_parameters"] = training_parameters
        if checkpoint_steps is not UNSET:
            field_dict["checkpoint_steps"] = checkpoint_steps
        if custom_metadata is not UNSET:
            field_dict["custom_metadata"] = custom_metadata
        if training_version is not UNSET:
            field_dict["training_version"] = training_version
        if generation_prefix is not UNSET:
            field_dict["generation_prefix"] = generation_prefix

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _id = d.pop("id")
        id = _id if type(_id) is int else int(str(_id))

        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        _status = d.pop("status", UNSET)
        status: ModelStatus | Unset
        if _status is UNSET:
            status = UNSET
        else:
            status = cast(
                ModelStatus,
                (ModelStatus._value2member_map_.get(_status) if type(_status) is str else None)
                or ModelStatus(_status),
            )

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

        _project_id = d.pop("project_id", UNSET)
        project_id: int | Unset
        if _project_id is UNSET:
            project_id = UNSET
        else:
            project_id = _project_id if type(_project_id) is int else int(str(_project_id))

        _dataset_id = d.pop("dataset_id", UNSET)
        dataset_id: int | Unset
        if _dataset_id is UNSET:
            dataset_id = UNSET
        else:
            dataset_id = _dataset_id if type(_dataset_id) is int else int(str(_dataset_id))

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

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if _updated_at is UNSET:
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(
                _updated_at
                if _updated_at[-1:] in "Zz" or "+" in _updated_at[10:] or "-" in _updated_at[10:]
                else _updated_at + "+00:00"
            )

        active_model_version = d.pop("active_model_version", UNSET)

        _training_parameters = d.pop("training_parameters", UNSET)
        training_parameters: TrainingParameters | Unset
        if _training_parameters is UNSET:
            training_parameters = UNSET
        else:
            training_parameters = TrainingParameters.from_dict(_training_parameters)

        _checkpoint_steps = d.pop("checkpoint_steps", UNSET)
        checkpoint_steps: list[int] | Unset = UNSET
        if _checkpoint_steps is not UNSET:
            checkpoint_steps = []
            for checkpoint_steps_item_data in _checkpoint_steps:
                checkpoint_steps_item = (
                    checkpoint_steps_item_data
                    if type(checkpoint_steps_item_data) is int
                    else int(str(checkpoint_steps_item_data))
                )

                checkpoint_steps.append(checkpoint_steps_item)

        custom_metadata = d.pop("custom_metadata", UNSET)

        training_version: None | str | Unset = d.pop("training_version", UNSET)

        generation_prefix: None | str | Unset = d.pop("generation_prefix", UNSET)

        model = cls(
            id=id,
            name=name,
            description=description,
            status=status,
            training_mode=training_mode,
            project_id=project_id,
            dataset_id=dataset_id,
            created_at=created_at,
            updated_at=updated_at,
            active_model_version=active_model_version,
            training_parameters=training_parameters,
            checkpoint_steps=checkpoint_steps,
            custom_metadata=custom_metadata,
            training_version=training_version,
            generation_prefix=generation_prefix,
        )

        model.additional_properties = d
        return model

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
from ..models.training_parameters import TrainingParameters  # noqa: E402

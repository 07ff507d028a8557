from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.captions_update_status import CaptionsUpdateStatus
from ..models.dataset_status import DatasetStatus
from ..models.upload_type import UploadType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Dataset")


@_attrs_define
class Dataset:
    """A ``Dataset`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        id (int):
        project_id (int | Unset):
        name (str | Unset):
        visual_schema (None | str | Unset): A string containing the JSON structure representing the visual backbone.
            Must be generated via `/generate_visual_schema`.
        status (DatasetStatus | Unset):
        captions_update_status (CaptionsUpdateStatus | Unset):
        upload_type (UploadType | Unset):
        created_at (datetime.datetime | Unset):
        updated_at (datetime.datetime | Unset):
        images_count (int | Unset):
        models (list[Model] | Unset): Only included when include_models=true
        model_ids (list[int] | Unset): Only included when include_models_ids=true
        images (list[Image] | Unset): Array of images in the dataset (up to 200, controlled by max_images)
    """

    id: int
    project_id: int | Unset = UNSET
    name: str | Unset = UNSET
    visual_schema: None | str | Unset = UNSET
    """ A string containing the JSON structure representing the visual backbone. Must be generated via
    `/generate_visual_schema`. """
    status: DatasetStatus | Unset = UNSET
    captions_update_status: CaptionsUpdateStatus | Unset = UNSET
    upload_type: UploadType | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    images_count: int | Unset = UNSET
    models: list[Model] | Unset = UNSET
    """ Only included when include_models=true """
    model_ids: list[int] | Unset = UNSET
    """ Only included when include_models_ids=true """
    images: list[Image] | Unset = UNSET
    """ Array of images in the dataset (up to 200, controlled by max_images) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id = self.project_id

        name = self.name

        visual_schema: None | str | Unset
        if isinstance(self.visual_schema, Unset):
            visual_schema = UNSET
        else:
            visual_schema = self.visual_schema

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        captions_update_status: str | Unset = UNSET
        if not isinstance(self.captions_update_status, Unset):
            captions_update_status = self.captions_update_status.value

        upload_type: str | Unset = UNSET
        if not isinstance(self.upload_type, Unset):
            upload_type = self.upload_type.value

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        images_count = self.images_count

        models: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.models, Unset):
            models = []
            for models_item_data in self.models:
                models_item = models_item_data.to_dict()
                models.append(models_item)

        model_ids: list[int] | Unset = UNSET
        if not isinstance(self.model_ids, Unset):
            model_ids = self.model_ids

        images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.images, Unset):
            images = []
            for images_item_data in self.images:
                images_item = images_item_data.to_dict()
                images.append(images_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if name is not UNSET:
            field_dict["name"] = name
        if visual_schema is not UNSET:
            field_dict["visual_schema"] = visual_schema
        if status is not UNSET:
            field_dict["status"] = status
        if captions_update_status is not UNSET:
            field_dict["captions_update_status"] = captions_update_status
        if upload_type is not UNSET:
            field_dict["upload_type"] = upload_type
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if images_count is not UNSET:
            field_dict["images_count"] = images_count
        if models is not UNSET:
            field_dict["models"] = models
        if model_ids is not UNSET:
            field_dict["model_ids"] = model_ids
        if images is not UNSET:
            field_dict["images"] = images

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _id = d.pop("id")
        id = _id if type(_id) is int else int(str(_id))

        _project_id = d.pop("project_id", UNSET)
        project_id: int | Unset
        if _project_id is UNSET:
            project_id = UNSET
        else:
            project_id = _project_id if type(_project_id) is int else int(str(_project_id))

        name = d.pop("name", UNSET)

        visual_schema: None | str | Unset = d.pop("visual_schema", UNSET)

        _status = d.pop("status", UNSET)
        status: DatasetStatus | Unset
        if _status is UNSET:
            status = UNSET
        else:
            status = cast(
                DatasetStatus,
                (DatasetStatus._value2member_map_.get(_status) if type(_status) is str else None)
                or DatasetStatus(_status),
            )

        _captions_update_status = d.pop("captions_update_status", UNSET)
        captions_update_status: CaptionsUpdateStatus | Unset
        if _captions_update_status is UNSET:
            captions_update_status = UNSET
        else:
            captions_update_status = cast(
                CaptionsUpdateStatus,
                (
                    CaptionsUpdateStatus._value2member_map_.get(_captions_update_status)
                    if type(_captions_update_status) is str
                    else None
                )
                or CaptionsUpdateStatus(_captions_update_status),
            )

        _upload_type = d.pop("upload_type", UNSET)
        upload_type: UploadType | Unset
        if _upload_type is UNSET:
            upload_type = UNSET
        else:
            upload_type = cast(
                UploadType,
                (
                    UploadType._value2member_map_.get(_upload_type)
                    if type(_upload_type) is str
                    else None
                )
                or UploadType(_upload_type),
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

        _images_count = d.pop("images_count", UNSET)
        images_count: int | Unset
        if _images_count is UNSET:
            images_count = UNSET
        else:
            images_count = _images_count if type(_images_count) is int else int(str(_images_count))

        _models = d.pop("models", UNSET)
        models: list[Model] | Unset = UNSET
        if _models is not UNSET:
            models = []
            for models_item_data in _models:
                models_item = Model.from_dict(models_item_data)

                models.append(models_item)

        _model_ids = d.pop("model_ids", UNSET)
        model_ids: list[int] | Unset = UNSET
        if _model_ids is not UNSET:
            model_ids = []
            for model_ids_item_data in _model_ids:
                model_ids_item = (
                    model_ids_item_data
                    if type(model_ids_item_data) is int
                    else int(str(model_ids_item_data))
                )

                model_ids.append(model_ids_item)

        _images = d.pop("images", UNSET)
        images: list[Image] | Unset = UNSET
        if _images is not UNSET:
            images = []
            for images_item_data in _images:
                images_item = Image.from_dict(images_item_data)

                images.append(images_item)

        dataset = cls(
            id=id,
            project_id=project_id,
            name=name,
            visual_schema=visual_schema,
            status=status,
            captions_update_status=captions_update_status,
            upload_type=upload_type,
            created_at=created_at,
            updated_at=updated_at,
            images_count=images_count,
            models=models,
            model_ids=model_ids,
            images=images,
        )

        dataset.additional_properties = d
        return dataset

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
from ..models.image import Image  # noqa: E402
from ..models.model import Model  # noqa: E402

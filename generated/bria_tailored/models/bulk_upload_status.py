from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bulk_upload_state import BulkUploadState
from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkUploadStatus")


@_attrs_define
class BulkUploadStatus:
    """A ``BulkUploadStatus`` as sent to or returned by Bria's Tailored Generation API.

    Attributes:
        status (BulkUploadState | Unset):
        progress_percentage (int | Unset):
        total_processed (int | Unset):
        done (int | Unset):
        failed (int | Unset):
        failed_images (list[BulkUploadFailure] | Unset):
    """

    status: BulkUploadState | Unset = UNSET
    progress_percentage: int | Unset = UNSET
    total_processed: int | Unset = UNSET
    done: int | Unset = UNSET
    failed: int | Unset = UNSET
    failed_images: list[BulkUploadFailure] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        progress_percentage = self.progress_percentage

        total_processed = self.total_processed

        done = self.done

        failed = self.failed

        failed_images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failed_images, Unset):
            failed_images = []
            for failed_images_item_data in self.failed_images:
                failed_images_item = failed_images_item_data.to_dict()
                failed_images.append(failed_images_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if progress_percentage is not UNSET:
            field_dict["progress_percentage"] = progress_percentage
        if total_processed is not UNSET:
            field_dict["total_processed"] = total_processed
        if done is not UNSET:
            field_dict["done"] = done
        if failed is not UNSET:
            field_dict["failed"] = failed
        if failed_images is not UNSET:
            field_dict["failed_images"] = failed_images

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: BulkUploadState | Unset
        if _status is UNSET:
            status = UNSET
        else:
            status = cast(
                BulkUploadState,
                (BulkUploadState._value2member_map_.get(_status) if type(_status) is str else None)
                or BulkUploadState(_status),
            )

        _progress_percentage = d.pop("progress_percentage", UNSET)
        progress_percentage: int | Unset
        if _progress_percentage is UNSET:
            progress_percentage = UNSET
        else:
            progress_percentage = (
                _progress_percentage
                if type(_progress_percentage) is int
                else int(str(_progress_percentage))
            )

        _total_processed = d.pop("total_processed", UNSET)
        total_processed: int | Unset
        if _total_processed is UNSET:
            total_processed = UNSET
        else:
            total_processed = (
                _total_processed if type(_total_processed) is int else int(str(_total_processed))
            )

        _done = d.pop("done", UNSET)
        done: int | Unset
        if _done is UNSET:
            done = UNSET
        else:
            done = _done if type(_done) is int else int(str(_done))

        _failed = d.pop("failed", UNSET)
        failed: int | Unset
        if _failed is UNSET:
            failed = UNSET
        else:
            failed = _failed if type(_failed) is int else int(str(_failed))

        _failed_images = d.pop("failed_images", UNSET)
        failed_images: list[BulkUploadFailure] | Unset = UNSET
        if _failed_images is not UNSET:
            failed_images = []
            for failed_images_item_data in _failed_images:
                failed_images_item = BulkUploadFailure.from_dict(failed_images_item_data)

                failed_images.append(failed_images_item)

        bulk_upload_status = cls(
            status=status,
            progress_percentage=progress_percentage,
            total_processed=total_processed,
            done=done,
            failed=failed,
            failed_images=failed_images,
        )

        bulk_upload_status.additional_properties = d
        return bulk_upload_status

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
from ..models.bulk_upload_failure import BulkUploadFailure  # noqa: E402

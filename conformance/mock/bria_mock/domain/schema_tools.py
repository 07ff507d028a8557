"""Refining a structured prompt against a dataset (the visual schema itself is drawn from the
images: ``captions.py``).

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
schema-tools.refine-draft-only.
"""

from __future__ import annotations

from ..errors import ApiError
from .datasets import Dataset, DatasetStatus


def refine_draft_only(ds: Dataset) -> None:
    if ds.status != DatasetStatus.DRAFT:
        raise ApiError(
            (409, 400), f"dataset {ds.id} is {ds.status}; refinement needs a draft dataset"
        )

"""One module per API resource; importing them registers their operation handlers."""

from . import (
    bulk_upload,
    checkpoints,
    datasets,
    generation,
    images,
    models,
    projects,
    status,
    v1_generation,
    visual_schema,
)

__all__ = [
    "bulk_upload",
    "checkpoints",
    "datasets",
    "generation",
    "images",
    "models",
    "projects",
    "status",
    "v1_generation",
    "visual_schema",
]

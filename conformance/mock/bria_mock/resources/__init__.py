"""One module per API resource: each parses its operations' requests, calls the domain and
returns the view. Importing this package registers every handler in ``HANDLERS``; no handler
module imports another."""

from ..context import HANDLERS
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
    "HANDLERS",
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

"""The mock's domain: one module per resource with its records, the enums of its statuses, its
rules and the scheduled work it handles.

A rule is a function named after the catalog entry it enforces (``dataset.no-reopen`` is
``datasets.no_reopen``) that raises ``ApiError`` when a request breaks it; the module docstring
lists the entry ids it holds. ``events`` registers the scheduled work, ``access`` scopes lookups
to an organization, ``cascades`` deletes a record with everything that belongs to it and
``views`` renders records as the JSON the normalized spec documents (the ``documented`` profile
then rewrites that on its way out, see ``profiles.py``). Handlers in ``resources/`` parse the
request, call these and return the view; nothing here imports a handler module.
"""

# importing the modules registers their record tables and scheduled work
from . import (
    access,
    bulk,
    cascades,
    datasets,
    events,
    generation,
    images,
    models,
    projects,
    schema_tools,
    training,
    v1_generation,
    views,
    webhooks,
)

__all__ = [
    "access",
    "bulk",
    "cascades",
    "datasets",
    "events",
    "generation",
    "images",
    "models",
    "projects",
    "schema_tools",
    "training",
    "v1_generation",
    "views",
    "webhooks",
]

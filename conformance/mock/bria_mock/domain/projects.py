"""Projects: the IP definition every dataset and model belongs to.

The spec validation has already checked required fields, types and the ``ip_medium``/``ip_type``
enums of create-project before a handler runs; upload-model's ``project_parameters`` is a free
object in the spec, so its fields are checked here too (``new_project``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from ..config import MockConfig
from ..errors import ApiError
from ..records import Stored
from ..state import Transaction
from . import access


class ProjectStatus(StrEnum):
    ACTIVE = "active"


IP_MEDIUMS = ("photography", "illustration")
IP_TYPES = (
    "multi_object_set",
    "object_variants",
    "icons",
    "defined_character",
    "character_variants",
    "stylized_scene",
    "other",
)
ILLUSTRATION_ONLY = ("object_variants", "multi_object_set", "icons", "character_variants")
UPDATABLE = ("project_name", "project_description", "ip_name", "ip_description")


@dataclass
class Project(Stored):
    KIND: ClassVar[str] = "project"
    id: int
    org: str
    project_name: str
    project_description: str
    ip_name: str
    ip_description: str
    ip_medium: str
    ip_type: str
    created_at: float
    updated_at: float
    training_version: str | None = None
    status: ProjectStatus = ProjectStatus.ACTIVE

    def __post_init__(self) -> None:
        self.status = ProjectStatus(self.status)


@dataclass(frozen=True)
class NewProject:
    project_name: str
    project_description: str
    ip_name: str
    ip_description: str
    ip_medium: str
    ip_type: str


@dataclass(frozen=True, kw_only=True)
class ProjectFields:
    """A create-project request, or upload-model's ``project_parameters`` (whose ip_name and
    ip_description the spec does not declare: ``models.uploaded_project`` checks those). The
    spec gives each field as a string; ``required_fields`` checks presence and the enums."""

    project_name: str | None = None
    project_description: str | None = None
    ip_name: str | None = None
    ip_description: str | None = None
    ip_medium: str | None = None
    ip_type: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProjectPath:
    """The project a path names (also the project of a dataset or model list)."""

    project_id: int


@dataclass(frozen=True, kw_only=True)
class ProjectChanges:
    """An update-project request; ``given`` tells the fields sent from those left out."""

    project_name: str | None = None
    project_description: str | None = None
    ip_name: str | None = None
    ip_description: str | None = None
    given: frozenset[str] = frozenset()


def owned(tx: Transaction, org: str, project_id: int) -> Project:
    return access.org_isolated_access(tx, Project, project_id, org, "Project")


def all_owned(tx: Transaction, org: str) -> list[Project]:
    return access.org_scoped_lists(tx, Project, org)


def text(value: object, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"{key} must be a string")
    return value


# --- rules ---


def required_fields(fields: ProjectFields) -> tuple[str, str, str]:
    """The project's name, medium and IP type, each present and one of its values."""
    name = (text(fields.project_name, "project_name") or "").strip()
    if not name:
        raise ApiError(400, "project_name is required")
    medium = fields.ip_medium
    if medium is None:
        raise ApiError(400, "ip_medium is required (photography or illustration)")
    if medium not in IP_MEDIUMS:
        raise ApiError(400, f"ip_medium must be one of {', '.join(IP_MEDIUMS)}, got {medium!r}")
    ip_type = fields.ip_type
    if ip_type is None:
        raise ApiError(400, "ip_type is required")
    if ip_type not in IP_TYPES:
        raise ApiError(400, f"ip_type must be one of {', '.join(IP_TYPES)}, got {ip_type!r}")
    return name, str(medium), str(ip_type)


def illustration_only_ip_types(ip_type: str, medium: str) -> None:
    if ip_type in ILLUSTRATION_ONLY and medium != "illustration":
        raise ApiError(
            400, f"ip_type {ip_type} is only available with ip_medium=illustration, not {medium}"
        )


def ip_text_required(ip_type: str, ip_name: str, ip_description: str) -> None:
    if ip_type == "defined_character" and not ip_name:
        raise ApiError(400, "ip_name is required for the defined_character IP type")
    if ip_type in ("defined_character", "object_variants") and not ip_description:
        raise ApiError(400, f"ip_description is required for the {ip_type} IP type")


def ip_text_words(ip_name: str, ip_description: str, config: MockConfig) -> None:
    if not config.strict_ip_text:
        return
    if ip_name and not 1 <= len(ip_name.split()) <= 3:
        raise ApiError(400, "ip_name must be 1-3 words (e.g. 'Lora', 'Captain Smith')")
    if ip_description and len(ip_description.split()) > 6:
        raise ApiError(400, "ip_description must be a short phrase of up to 6 words")


def new_project(fields: ProjectFields, config: MockConfig) -> NewProject:
    name, medium, ip_type = required_fields(fields)
    illustration_only_ip_types(ip_type, medium)
    ip_name = text(fields.ip_name, "ip_name") or ""
    ip_description = text(fields.ip_description, "ip_description") or ""
    ip_text_required(ip_type, ip_name.strip(), ip_description.strip())
    ip_text_words(ip_name.strip(), ip_description.strip(), config)
    return NewProject(
        project_name=name,
        project_description=text(fields.project_description, "project_description") or "",
        ip_name=ip_name,
        ip_description=ip_description,
        ip_medium=medium,
        ip_type=ip_type,
    )


def created_active(tx: Transaction, org: str, fields: NewProject) -> Project:
    """A new project, active."""
    return tx.put(
        Project(
            id=tx.new_id(),
            org=org,
            project_name=fields.project_name,
            project_description=fields.project_description,
            ip_name=fields.ip_name,
            ip_description=fields.ip_description,
            ip_medium=fields.ip_medium,
            ip_type=fields.ip_type,
            created_at=tx.now,
            updated_at=tx.now,
        )
    )


def changes(request: ProjectChanges) -> dict[str, str]:
    """The updatable fields a request gives (project.update-persists)."""
    given = {
        key: text(getattr(request, key), key) or "" for key in UPDATABLE if key in request.given
    }
    if "project_name" in given and not given["project_name"].strip():
        raise ApiError(400, "project_name cannot be empty")
    return given


def update_persists(
    tx: Transaction, project: Project, given: dict[str, str], config: MockConfig
) -> None:
    ip_text_words(given.get("ip_name", "").strip(), given.get("ip_description", "").strip(), config)
    for key, value in given.items():
        setattr(project, key, value)
    project.updated_at = tx.now
    tx.put(project)

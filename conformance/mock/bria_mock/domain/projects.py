"""Creating a project: the checks the spec cannot express, shared by create-project and
upload-model's ``project_parameters``.

The spec validation has already checked required fields, types and the ``ip_medium``/``ip_type``
enums of create-project before a handler runs; upload-model's ``project_parameters`` is a free
object in the spec, so its fields are checked here (``new_project``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import MockConfig
from ..errors import ApiError
from ..records import Project
from ..state import Transaction

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


@dataclass(frozen=True)
class NewProject:
    project_name: str
    project_description: str
    ip_name: str
    ip_description: str
    ip_medium: str
    ip_type: str


def text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"{key} must be a string")
    return value


def check_ip_fields(
    body: dict[str, Any], ip_type: str, config: MockConfig, *, updating: bool = False
) -> None:
    ip_name = (text(body, "ip_name") or "").strip()
    ip_description = (text(body, "ip_description") or "").strip()
    if not updating:
        if ip_type == "defined_character" and not ip_name:
            raise ApiError(400, "ip_name is required for the defined_character IP type")
        if ip_type in ("defined_character", "object_variants") and not ip_description:
            raise ApiError(400, f"ip_description is required for the {ip_type} IP type")
    if config.strict_ip_text:
        if ip_name and not 1 <= len(ip_name.split()) <= 3:
            raise ApiError(400, "ip_name must be 1-3 words (e.g. 'Lora', 'Captain Smith')")
        if ip_description and len(ip_description.split()) > 6:
            raise ApiError(400, "ip_description must be a short phrase of up to 6 words")


def new_project(body: dict[str, Any], config: MockConfig) -> NewProject:
    name = (text(body, "project_name") or "").strip()
    if not name:
        raise ApiError(400, "project_name is required")
    medium = body.get("ip_medium")
    if medium is None:
        raise ApiError(400, "ip_medium is required (photography or illustration)")
    if medium not in IP_MEDIUMS:
        raise ApiError(400, f"ip_medium must be one of {', '.join(IP_MEDIUMS)}, got {medium!r}")
    ip_type = body.get("ip_type")
    if ip_type is None:
        raise ApiError(400, "ip_type is required")
    if ip_type not in IP_TYPES:
        raise ApiError(400, f"ip_type must be one of {', '.join(IP_TYPES)}, got {ip_type!r}")
    if ip_type in ILLUSTRATION_ONLY and medium != "illustration":
        raise ApiError(
            400, f"ip_type {ip_type} is only available with ip_medium=illustration, not {medium}"
        )
    check_ip_fields(body, ip_type, config)
    return NewProject(
        project_name=name,
        project_description=text(body, "project_description") or "",
        ip_name=text(body, "ip_name") or "",
        ip_description=text(body, "ip_description") or "",
        ip_medium=str(medium),
        ip_type=str(ip_type),
    )


def insert(tx: Transaction, org: str, fields: NewProject) -> Project:
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

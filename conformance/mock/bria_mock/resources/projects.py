"""Projects: the IP definition every dataset and model belongs to.

Rules enforced here (mock rule ids in conformance/suite/bria_conformance/catalog.yaml):
PRJ-REQUIRED, PRJ-MEDIUM-TYPE, PRJ-IP-NAME, PRJ-IP-DESCRIPTION, PRJ-WORDS, PRJ-CREATED,
PRJ-UPDATE-FIELDS, PRJ-CASCADE, PRJ-DELETE-TRAINING.
"""

from __future__ import annotations

from typing import Any

from .. import access
from ..clock import iso
from ..config import MockConfig
from ..context import Ctx, Reply, operation
from ..errors import ApiError
from ..state import Record, Transaction
from . import datasets as datasets_mod
from . import models as models_mod

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


def view(p: Record) -> dict[str, Any]:
    return {
        "id": p["id"],
        "project_name": p["project_name"],
        "project_description": p["project_description"],
        "ip_name": p["ip_name"],
        "ip_description": p["ip_description"],
        "ip_medium": p["ip_medium"],
        "ip_type": p["ip_type"],
        "training_version": p.get("training_version"),
        "status": p["status"],
        "created_at": iso(p["created_at"]),
        "updated_at": iso(p["updated_at"]),
    }


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"{key} must be a string")
    return value


def check_ip_fields(
    body: dict[str, Any], ip_type: str, config: MockConfig, *, updating: bool = False
) -> None:
    ip_name = (_text(body, "ip_name") or "").strip()
    ip_description = (_text(body, "ip_description") or "").strip()
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


def validate_new(body: dict[str, Any], config: MockConfig) -> dict[str, Any]:
    """The checks shared by create-project and upload-model's project_parameters."""
    name = (_text(body, "project_name") or "").strip()
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
    return {
        "project_name": name,
        "project_description": _text(body, "project_description") or "",
        "ip_name": _text(body, "ip_name") or "",
        "ip_description": _text(body, "ip_description") or "",
        "ip_medium": medium,
        "ip_type": ip_type,
    }


def insert(tx: Transaction, org: str, fields: dict[str, Any]) -> Record:
    pid = tx.new_id()
    record: Record = {
        "id": pid,
        "org": org,
        **fields,
        "training_version": None,
        "status": "active",
        "created_at": tx.now,
        "updated_at": tx.now,
    }
    return tx.put("project", pid, record)


@operation("create-project")
def create_project(ctx: Ctx) -> Reply:
    fields = validate_new(ctx.json, ctx.mock.config)
    with ctx.mock.store.transaction() as tx:
        record = insert(tx, ctx.org, fields)
        return Reply(201, view(record))


@operation("get-projects")
def get_projects(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        return Reply(200, [view(p) for p in access.owned_list(tx, "project", ctx.org)])


@operation("get-project-by-id")
def get_project(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        return Reply(200, view(access.project(tx, ctx.org, ctx.path["project_id"])))


@operation("update-project")
def update_project(ctx: Ctx) -> Reply:
    body = ctx.json
    with ctx.mock.store.transaction() as tx:
        record = access.project(tx, ctx.org, ctx.path["project_id"])
        changes = {key: _text(body, key) for key in UPDATABLE if key in body}
        if "project_name" in changes and not (changes["project_name"] or "").strip():
            raise ApiError(400, "project_name cannot be empty")
        check_ip_fields(body, record["ip_type"], ctx.mock.config, updating=True)
        for key, value in changes.items():
            record[key] = value or ""
        record["updated_at"] = tx.now
        tx.put("project", record["id"], record)
        return Reply(200, view(record))


@operation("delete-project")
def delete_project(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        record = access.project(tx, ctx.org, ctx.path["project_id"])
        models = [m for m in tx.all("model") if m["project_id"] == record["id"]]
        training = [m["id"] for m in models if m["status"] in access.TRAINING_STATUSES]
        if training:
            raise ApiError(
                409,
                f"Cannot delete project while models are in training (model {training[0]}); "
                "stop the training first",
            )
        for m in models:
            models_mod.drop(ctx.mock, tx, m)
        for ds in [d for d in tx.all("dataset") if d["project_id"] == record["id"]]:
            datasets_mod.remove(ctx.mock, tx, ds)
        tx.delete("project", record["id"])
        return Reply(204)

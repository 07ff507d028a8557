"""Projects: the IP definition every dataset and model belongs to.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
project.required-fields, project.illustration-only-ip-types, project.ip-text-required,
project.ip-text-words, project.created-active, project.update-persists.
"""

from __future__ import annotations

from .. import access
from ..context import Ctx, Reply, operation
from ..domain import cascades, views
from ..domain.projects import UPDATABLE, check_ip_fields, insert, new_project, text
from ..errors import ApiError


@operation("create-project")
def create_project(ctx: Ctx) -> Reply:
    fields = new_project(ctx.json, ctx.mock.config)
    with ctx.mock.store.transaction() as tx:
        return Reply(201, views.project(insert(tx, ctx.org, fields)))


@operation("get-projects")
def get_projects(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        return Reply(200, [views.project(p) for p in access.owned_projects(tx, ctx.org)])


@operation("get-project-by-id")
def get_project(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        return Reply(200, views.project(access.project(tx, ctx.org, ctx.path["project_id"])))


@operation("update-project")
def update_project(ctx: Ctx) -> Reply:
    body = ctx.json
    changes = {key: text(body, key) or "" for key in UPDATABLE if key in body}
    if "project_name" in changes and not changes["project_name"].strip():
        raise ApiError(400, "project_name cannot be empty")
    with ctx.mock.store.transaction() as tx:
        record = access.project(tx, ctx.org, ctx.path["project_id"])
        check_ip_fields(body, record.ip_type, ctx.mock.config, updating=True)
        for key, value in changes.items():
            setattr(record, key, value)
        record.updated_at = tx.now
        tx.put(record)
        return Reply(200, views.project(record))


@operation("delete-project")
def delete_project(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        cascades.delete_project(tx, access.project(tx, ctx.org, ctx.path["project_id"]))
        return Reply(204)

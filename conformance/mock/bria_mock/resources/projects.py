"""Projects: create, list, read, update, delete (the rules: ``domain/projects.py``)."""

from __future__ import annotations

from ..context import Ctx, Reply, operation
from ..domain import cascades, projects, views
from ..domain.projects import ProjectChanges, ProjectFields, ProjectPath


@operation("create-project")
def create_project(ctx: Ctx) -> Reply:
    fields = projects.new_project(ctx.parse(ProjectFields), ctx.mock.config)
    with ctx.mock.store.transaction() as tx:
        return Reply(201, views.project(projects.created_active(tx, ctx.org, fields)))


@operation("get-projects")
def get_projects(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        return Reply(200, [views.project(p) for p in projects.all_owned(tx, ctx.org)])


@operation("get-project-by-id")
def get_project(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        return Reply(
            200, views.project(projects.owned(tx, ctx.org, ctx.parse_path(ProjectPath).project_id))
        )


@operation("update-project")
def update_project(ctx: Ctx) -> Reply:
    given = projects.changes(ctx.parse(ProjectChanges))
    with ctx.mock.store.transaction() as tx:
        record = projects.owned(tx, ctx.org, ctx.parse_path(ProjectPath).project_id)
        projects.update_persists(tx, record, given, ctx.mock.config)
        return Reply(200, views.project(record))


@operation("delete-project")
def delete_project(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        cascades.delete_project(
            tx, projects.owned(tx, ctx.org, ctx.parse_path(ProjectPath).project_id)
        )
        return Reply(204)

"""`bria-conformance --cleanup`: delete what earlier runs left on a target.

A run deletes what it created when each check ends, but a killed CI job, a lost connection or a
``--state-file`` model kept for the next run leave resources behind. They are recognised by the
run prefix every created name starts with (``--prefix``, default ``bria-conformance-``). Only
resources named so are touched: projects (with what they hold), and datasets and models named so
in other projects. Trainings are stopped before their model goes. Nothing else of the account is
read for more than its name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from .target import Target

P = "/v1/tailored-gen"


def _listed(http: httpx.Client, path: str, token: str) -> list[dict[str, Any]]:
    response = http.get(path, headers={"api_token": token})
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:200]}")
    payload = response.json()
    return [item for item in payload if isinstance(item, dict)] if isinstance(payload, list) else []


def _named(item: dict[str, Any], prefix: str, *fields: str) -> bool:
    return any(str(item.get(f) or "").startswith(prefix) for f in fields)


def cleanup(
    target: Target,
    prefix: str,
    other_token: str | None,
    say: Callable[[str], Any],
    keep_projects: frozenset[int] = frozenset(),
) -> int:
    """Delete every resource named with ``prefix``; 0 when all went, 1 when some could not.

    ``keep_projects``: the project of a ``--state-file`` model, kept for the next run.
    """
    problems = 0
    deleted = 0
    with target.http_client() as http:
        for label, token in (("token", target.token), ("other token", other_token)):
            if not token:
                continue
            try:
                projects = _listed(http, f"{P}/projects", token)
                datasets = _listed(http, f"{P}/datasets", token)
                models = _listed(http, f"{P}/models", token)
            except (RuntimeError, httpx.HTTPError, ValueError) as exc:
                say(f"cleanup ({label}): cannot list resources: {exc}")
                problems += 1
                continue
            doomed_projects = {
                p.get("id")
                for p in projects
                if _named(p, prefix, "project_name") and p.get("id") not in keep_projects
            }
            for kept in sorted(keep_projects):
                say(f"kept project {kept} ({label}): it holds the --state-file model")
            doomed_models = [
                m
                for m in models
                if m.get("project_id") not in keep_projects
                and (m.get("project_id") in doomed_projects or _named(m, prefix, "name"))
            ]
            for model in doomed_models:
                if str(model.get("status")).lower() == "inprogress":
                    http.post(
                        f"{P}/models/{model['id']}/stop_training", headers={"api_token": token}
                    )
            steps = [
                *(
                    ("model", m["id"], f"{P}/models/{m['id']}")
                    for m in doomed_models
                    if m.get("project_id") not in doomed_projects
                ),
                *(
                    ("dataset", d["id"], f"{P}/datasets/{d['id']}")
                    for d in datasets
                    if _named(d, prefix, "name")
                    and d.get("project_id") not in doomed_projects | keep_projects
                ),
                *(
                    ("project", pid, f"{P}/projects/{pid}")
                    for pid in sorted(doomed_projects, key=str)
                ),
            ]
            for kind, ident, path in steps:
                response = http.delete(path, headers={"api_token": token})
                if response.status_code < 300 or response.status_code == 404:
                    deleted += 1
                    say(f"deleted {kind} {ident} ({label})")
                else:
                    problems += 1
                    say(
                        f"could not delete {kind} {ident} ({label}): {response.status_code} "
                        f"{response.text[:200]} (a stopping training: run the cleanup again later)"
                    )
    say(
        f"cleanup of '{prefix}*' on {target.base_url}: {deleted} deleted, "
        f"{problems} left (see above)"
    )
    return 1 if problems else 0

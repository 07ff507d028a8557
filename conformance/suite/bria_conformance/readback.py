"""Reading a resource back through every route that shows it.

A state a rule implies (a field changed, a resource created or gone) is visible in the resource's
own read and in every list it appears in. A server that updates one view and forgets another
breaks the rule as much as one that updates none, so the scenarios read each of them.
"""

from __future__ import annotations

from typing import Any

from .api import Api
from .scenario import P, Scenario, expect, rule

#: kind -> (its own read, the lists that show it); {placeholders} are the record's fields.
ROUTES: dict[str, tuple[str, tuple[str, ...]]] = {
    "project": (f"{P}/projects/{{id}}", (f"{P}/projects",)),
    "dataset": (
        f"{P}/datasets/{{id}}",
        (f"{P}/datasets", f"{P}/projects/{{project_id}}/datasets"),
    ),
    "model": (f"{P}/models/{{id}}", (f"{P}/models", f"{P}/projects/{{project_id}}/models")),
    "image": (
        f"{P}/datasets/{{dataset_id}}/images/{{id}}",
        (f"{P}/datasets/{{dataset_id}}/images",),
    ),
}


def _routes(kind: str, record: dict[str, Any]) -> tuple[str, list[str]]:
    own, lists = ROUTES[kind]
    return own.format(**record), [route.format(**record) for route in lists]


def _listed(payload: Any, record_id: Any) -> list[dict[str, Any]]:
    items = payload if isinstance(payload, list) else []
    return [i for i in items if isinstance(i, dict) and i.get("id") == record_id]


def views(
    scenario: Scenario,
    kind: str,
    record: dict[str, Any],
    entry: str,
    api: Api | None = None,
    list_params: dict[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """The record as each route shows it (route -> the record's JSON), each asserted present once.

    `record` needs `id` and the parent ids its routes name (`project_id`, `dataset_id`);
    `list_params` go with the list requests (`include_training_parameters`).
    """
    api = api or scenario.api
    own, lists = _routes(kind, record)
    found = {own: dict(expect(api.get(own), 200, entry, f"reading the {kind} {record['id']}"))}
    for route in lists:
        listed = expect(api.get(route, params=list_params), 200, entry, f"listing {route}")
        matches = _listed(listed, record["id"])
        with rule(entry):
            assert len(matches) == 1, (
                f"the {kind} {record['id']} must be listed once by GET {route}, "
                f"found {len(matches)} times"
            )
        found[route] = matches[0]
    return found


def shows(
    scenario: Scenario,
    kind: str,
    record: dict[str, Any],
    entry: str,
    expected: dict[str, Any],
    api: Api | None = None,
    list_params: dict[str, str] | None = None,
) -> None:
    """Every route that shows the record shows each field of `expected` with its value."""
    for route, view in views(scenario, kind, record, entry, api, list_params).items():
        with rule(entry):
            for key, value in expected.items():
                assert view.get(key) == value, (
                    f"GET {route} must show the {kind} {record['id']} with {key}={value!r}, "
                    f"got {view.get(key, '<absent>')!r}"
                )


def gone(
    scenario: Scenario, kind: str, record: dict[str, Any], entry: str, api: Api | None = None
) -> None:
    """The record answers 404 and no list shows it (a list of a parent that is gone may 404)."""
    api = api or scenario.api
    own, lists = _routes(kind, record)
    expect(api.get(own), 404, entry, f"reading the deleted {kind} {record['id']}")
    for route in lists:
        response = api.get(route)
        if response.status_code == 404 and route != lists[0]:
            continue  # the parent went with it
        listed = expect(response, 200, entry, f"listing {route}")
        with rule(entry):
            assert not _listed(listed, record["id"]), (
                f"GET {route} still lists the deleted {kind} {record['id']}"
            )


def hidden_from(
    scenario: Scenario, other: Api, kind: str, record: dict[str, Any], entry: str
) -> None:
    """Another organization cannot read the record (403/404) and none of its lists shows it."""
    own, lists = _routes(kind, record)
    expect(other.get(own), {403, 404}, entry, f"another organization reading our {kind}")
    for route in lists:
        response = other.get(route)
        if response.status_code in (403, 404) and route != lists[0]:
            continue  # a list under our parent: refused like the parent itself
        listed = expect(response, 200, entry, f"another organization listing {route}")
        with rule(entry):
            assert not _listed(listed, record["id"]), (
                f"another organization's GET {route} lists our {kind} {record['id']}"
            )

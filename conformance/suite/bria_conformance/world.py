"""A small, known set of resources that generated requests can point at.

Random ids almost always miss (404), so generated requests would never reach the interesting
responses. Before the stateless tests, the suite builds one resource of each kind on a mock
(a project, a draft and a completed dataset, an advanced dataset with a finished bulk upload, a
trained expert model with checkpoints, an async request) and points positive cases at them.
Operations that destroy or change the state of what their path names get a disposable resource
of that kind instead, derived from the spec (:func:`derived_aims`); :data:`AIMS` holds only the
operations the spec cannot tell about.

Against the live API the world is built the same way when writes are allowed (named with the
run's prefix, deleted at the end; trained only when training is allowed). Without writes it is
discovered read-only from what the account already holds, and then a case is aimed at a
discovered resource only where any existing resource must answer: the account's data was not
made by the suite, so nothing is assumed about its state (a dataset may never have had a bulk
upload, a model may never have been trained in expert mode, and both are answered 404).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import pytest

from . import media, spec
from .api import body
from .journal import Journal
from .scenario import P, Scenario
from .target import Target


class World:
    def __init__(self, target: Target, http: httpx.Client):
        self.target = target
        self.http = http
        self.sc = Scenario(target, http, Journal(), "world")
        self.ids: dict[str, Any] = {}
        self.checkpoints: list[int] = []
        self.ready = False
        #: The world was made by this run (not discovered): every id in it is known to exist.
        self.built = False

    # -- building ---------------------------------------------------------------------------
    def ensure(self) -> None:
        if self.ready:
            return
        self.ready = True
        # A step that cannot be taken (refused, or long work a live target has not finished in
        # time) leaves the rest of the world unbuilt: cases then keep their random ids.
        with contextlib.suppress(Exception, pytest.skip.Exception):
            if self.target.controls or self.target.permissions.writes:
                self.built = True
                self._build()
            else:
                self._discover()

    def cleanup(self) -> None:
        """Delete what the world created on a live target (a mock is reset instead)."""
        self.sc.cleanup()

    def _build(self) -> None:
        sc = self.sc
        perms = self.target.permissions
        sc.reset()
        project = sc.project()
        draft = sc.dataset(project["id"])
        image = body(sc.upload(draft["id"], 256, 256, "jpg", shade=1))
        self.ids.update(
            project_id=project["id"],
            dataset_id=draft["id"],
            image_id=image.get("id") if isinstance(image, dict) else None,
        )
        completed = sc.completed_dataset()
        self.ids["completed_dataset_id"] = completed["id"]
        # A model that can never start training: live cases of start_training aim at it, so a
        # generated request (even one wrongly accepted) starts no paid training.
        self.ids["idle_model_id"] = sc.model(draft["id"])["id"]
        model = sc.model(completed["id"], training_mode="expert")
        self.ids["model_id"] = model["id"]
        advanced = sc.dataset(project["id"], upload_type="advanced")
        archive = media.zip_bytes([("a.png", media.image_bytes(1024, 1024, "png", 3))])
        sc.bulk_upload(advanced["id"], archive)
        self.ids["advanced_dataset_id"] = advanced["id"]
        sc.wait_for(
            lambda: body(sc.api.get(f"{P}/datasets/{advanced['id']}/images/bulk-upload/status")),
            lambda s: isinstance(s, dict) and s.get("status") in ("completed", "failed"),
            "the world's bulk upload",
        )
        self.ids["bulk_dataset_id"] = advanced["id"]
        if self.target.is_live and not perms.training:
            return
        sc.start(model["id"], total_training_steps=300, checkpoint_interval=100)
        sc.wait_for(
            lambda: sc.get_model(model["id"]),
            lambda m: m.get("status") in ("Completed", "Failed"),
            "the world's model training",
        )
        listed = body(sc.api.get(f"{P}/models/{model['id']}/checkpoints"))
        if isinstance(listed, dict):
            active = str(listed.get("active_model_version"))
            self.checkpoints = [
                c["checkpoint_step"]
                for c in listed.get("checkpoints", [])
                if str(c.get("checkpoint_step")) != active
            ]
            self.ids["active_checkpoint"] = int(active) if active.isdigit() else None
            self.ids["trained_model_id"] = model["id"]
        if self.target.is_live and not perms.generation:
            return
        accepted = body(
            sc.api.post(
                "/v2/image/generate/tailored",
                json={"tailored_model_id": model["id"], "prompt": "a red cube"},
            )
        )
        self.ids["request_id"] = accepted.get("request_id") if isinstance(accepted, dict) else None

    def _discover(self) -> None:
        api = self.sc.api
        projects = body(api.get(f"{P}/projects"))
        if isinstance(projects, list) and projects:
            self.ids["project_id"] = projects[0]["id"]
        datasets = body(api.get(f"{P}/datasets"))
        if isinstance(datasets, list):
            for ds in datasets:
                key = "advanced_dataset_id" if ds.get("upload_type") == "advanced" else "dataset_id"
                self.ids.setdefault(key, ds["id"])
        if "dataset_id" in self.ids:
            images = body(api.get(f"{P}/datasets/{self.ids['dataset_id']}/images"))
            if isinstance(images, list) and images:
                self.ids["image_id"] = images[0]["id"]
        models = body(api.get(f"{P}/models"))
        if isinstance(models, list):
            done = [m for m in models if m.get("status") == "Completed"] or models
            if done:
                self.ids["model_id"] = done[0]["id"]

    # -- disposables ------------------------------------------------------------------------
    def _disposable(self, kind: str) -> int | None:
        sc = self.sc
        try:
            if kind == "project":
                return int(sc.project()["id"])
            if kind == "dataset":
                return int(sc.dataset(self.ids["project_id"])["id"])
            if kind == "image":
                created = body(sc.upload(self.ids["dataset_id"], 256, 256, "jpg", shade=7))
                return int(created["id"])
            if kind == "model":
                return int(sc.model(self.ids["completed_dataset_id"])["id"])
        except Exception:
            return None
        return None

    # -- what a case should point at -----------------------------------------------------------
    def path_ids(self, operation_id: str) -> dict[str, Any] | None:
        """Existing ids for every path parameter of the operation, or None if there are none."""
        ids = self.ids
        aim = aim_of(operation_id)
        if not self.built:
            if aim.known_state:
                return None
            return {
                "project_id": ids.get("project_id"),
                "dataset_id": ids.get(aim.discovered_dataset),
                "image_id": ids.get("image_id"),
                "model_id": ids.get("model_id"),
            }
        if aim.live_model is not None and self.target.is_live:
            mid = ids.get(aim.live_model)
            return None if mid is None else {"model_id": mid}
        if aim.disposable is not None:
            fresh = self._disposable(aim.disposable)
            if fresh is None:
                return None
            # An image lives in the world's draft dataset.
            parent = {"dataset_id": ids.get("dataset_id")} if aim.disposable == "image" else {}
            return {**parent, f"{aim.disposable}_id": fresh}
        if aim.checkpoint == "spare":
            if not self.checkpoints:
                return None
            return {"model_id": ids.get("model_id"), "checkpoint_step": self.checkpoints.pop()}
        if aim.checkpoint == "active":
            step = ids.get("active_checkpoint")
            return (
                None if step is None else {"model_id": ids.get("model_id"), "checkpoint_step": step}
            )
        if aim.requires is not None and ids.get(aim.requires) is None:
            return None
        return {
            "project_id": ids.get("project_id"),
            "dataset_id": ids.get(aim.dataset),
            "image_id": ids.get("image_id"),
            "model_id": ids.get("model_id"),
            "request_id": ids.get("request_id"),
        }

    def body_ids(self, operation_id: str) -> dict[str, Any]:
        """Ids for the id fields of a JSON body (refine: a draft dataset; model: completed)."""
        ids = self.ids
        aim = aim_of(operation_id)
        found = {
            "project_id": ids.get("project_id"),
            "dataset_id": ids.get(aim.body_dataset),
            "tailored_model_id": ids.get("model_id"),
        }
        return {k: v for k, v in found.items() if v is not None}


@dataclass(frozen=True)
class Aim:
    """Where the generated cases of one operation point; an operation neither derived
    (:func:`derived_aims`) nor in :data:`AIMS` points at the world's own resources (its draft
    dataset, its model)."""

    #: a fresh resource of this kind is made for each case, because the operation destroys its
    #: target or starts a job on it (``project``, ``dataset``, ``image``, ``model``)
    disposable: str | None = None
    #: on a live target, the world id that fills ``model_id`` instead of a disposable model
    live_model: str | None = None
    #: ``spare``: a checkpoint other than the active one, used once; ``active``: the active one
    checkpoint: str | None = None
    #: the world id the case needs; without it (not built, not allowed) the case keeps its ids
    requires: str | None = None
    #: the documented answers for an existing resource include 404 unless it is in a state only
    #: its maker knows, so a discovered (not built) resource is never aimed at
    known_state: bool = False
    #: the world id that fills ``dataset_id``: in the path of a built world, of a discovered
    #: one, and in a JSON body
    dataset: str = "dataset_id"
    discovered_dataset: str = "dataset_id"
    body_dataset: str = "dataset_id"


_WORLD_IDS = Aim()
_ADVANCED = "advanced_dataset_id"
_TRAINED = "trained_model_id"
# Checkpoints exist only for a model trained in `expert` mode; download and generation need a
# model that finished training; the status of a bulk upload needs one that was started.
_NEEDS_TRAINING = Aim(requires=_TRAINED, known_state=True)

#: The operations whose aim the spec does not tell: each row says why.
AIMS: dict[str, Aim] = {
    # A model that can never start training: a live case starts no paid training.
    "start-training": Aim(disposable="model", live_model="idle_model_id"),
    # The world's model is never training while the cases run, so a stop is refused and changes
    # nothing; a disposable model would only add a model per case.
    "stop-training": _WORLD_IDS,
    "delete-checkpoint": Aim(checkpoint="spare", known_state=True),
    "get-checkpoint": Aim(checkpoint="active", known_state=True),
    "list-checkpoints": _NEEDS_TRAINING,
    "download-tailored-model": _NEEDS_TRAINING,
    "text-to-image-tailored": _NEEDS_TRAINING,
    "text-to-vector-tailored": _NEEDS_TRAINING,
    "reimagine-tailored": _NEEDS_TRAINING,
    "text-to-image-checkpoint-tailored": _NEEDS_TRAINING,
    "text-to-vector-checkpoint-tailored": _NEEDS_TRAINING,
    # Bulk uploads and archives belong to advanced datasets.
    "get-bulk-upload-status": Aim(dataset=_ADVANCED, requires="bulk_dataset_id", known_state=True),
    "bulk-upload-images": Aim(dataset=_ADVANCED),
    "download-dataset": Aim(dataset=_ADVANCED, discovered_dataset=_ADVANCED),
    # A model is created from a completed dataset.
    "create-model": Aim(body_dataset="completed_dataset_id"),
}

#: A path parameter that names a resource: `{project_id}` names a project.
_NAMES = re.compile(r"^\{(?P<kind>[a-z]+)_id\}$")


def derived_aims(paths: Mapping[str, Any]) -> dict[str, Aim]:
    """A disposable resource for each operation that destroys or changes what its path names.

    That is a DELETE of `…/{x_id}`, and a POST or PUT of an action under it (`…/{x_id}/archive`,
    `…/{x_id}/start_training`): one literal segment after the parameter, on a path that cannot be
    read (a collection such as `…/{x_id}/images` can), answering no `201` (an action that creates
    something, `…/{x_id}/clone`, only reads its source). Either would leave the world's own
    resource deleted or changed for every later case.
    """
    found: dict[str, Aim] = {}
    for path, item in paths.items():
        segments = path.strip("/").split("/")
        for method, operation in _operations(item):
            kind = _named(segments[-1]) if method == "delete" else None
            if (
                kind is None
                and method in ("post", "put")
                and len(segments) > 1
                and not segments[-1].startswith("{")
                and "get" not in item
                and "201" not in (operation.get("responses") or {})
            ):
                kind = _named(segments[-2])
            if kind is not None:
                found[str(operation["operationId"])] = Aim(disposable=kind)
    return found


def _named(segment: str) -> str | None:
    match = _NAMES.match(segment)
    return match["kind"] if match else None


def _operations(item: Any) -> Iterable[tuple[str, Mapping[str, Any]]]:
    if not isinstance(item, Mapping):
        return ()
    return [
        (method, op)
        for method, op in item.items()
        if method in spec.METHODS and isinstance(op, Mapping) and "operationId" in op
    ]


@cache
def _aims() -> dict[str, Aim]:
    return {**derived_aims(spec._load()["paths"]), **AIMS}


def aim_of(operation_id: str) -> Aim:
    """Where the generated cases of ``operation_id`` point."""
    return _aims().get(operation_id, _WORLD_IDS)

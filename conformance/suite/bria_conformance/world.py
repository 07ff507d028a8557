"""A small, known set of resources that generated requests can point at.

Random ids almost always miss (404), so generated requests would never reach the interesting
responses. Before the stateless tests, the suite builds one resource of each kind on a mock
(a project, a draft and a completed dataset, an advanced dataset with a finished bulk upload, a
trained expert model with checkpoints, an async request) and points positive cases at them.
Operations that destroy their target get a disposable resource instead.

Against the live API the world is built the same way when writes are allowed (named with the
run's prefix, deleted at the end; trained only when training is allowed). Without writes it is
discovered read-only from what the account already holds, and then a case is aimed at a
discovered resource only where any existing resource must answer: the account's data was not
made by the suite, so nothing is assumed about its state (a dataset may never have had a bulk
upload, a model may never have been trained in expert mode, and both are answered 404).
"""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
import pytest

from . import media
from .api import body
from .journal import Journal
from .scenario import P, Scenario
from .target import Target

#: Operations whose documented answers for an existing resource include 404 unless the resource
#: is in a state only its maker knows: a bulk upload was started on the dataset (the status of
#: none is "Not Found"), the model was trained in expert mode (checkpoints are "Only available
#: for models trained in `expert` mode"), the model finished training (download, generation).
NEEDS_KNOWN_STATE = frozenset(
    {
        "get-bulk-upload-status",
        "list-checkpoints",
        "get-checkpoint",
        "delete-checkpoint",
        "download-tailored-model",
        "text-to-image-tailored",
        "text-to-vector-tailored",
        "reimagine-tailored",
        "text-to-image-checkpoint-tailored",
        "text-to-vector-checkpoint-tailored",
    }
)
#: Of those, the ones a built world can answer only once its model is trained.
NEEDS_TRAINED_MODEL = frozenset(
    {
        "list-checkpoints",
        "download-tailored-model",
        "text-to-image-tailored",
        "text-to-vector-tailored",
        "reimagine-tailored",
        "text-to-image-checkpoint-tailored",
        "text-to-vector-checkpoint-tailored",
    }
)


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
        if not self.built:
            return self._discovered_path_ids(operation_id)
        if operation_id == "delete-project":
            pid = self._disposable("project")
            return None if pid is None else {"project_id": pid}
        if operation_id == "delete-dataset":
            did = self._disposable("dataset")
            return None if did is None else {"dataset_id": did}
        if operation_id == "delete-image":
            iid = self._disposable("image")
            return None if iid is None else {"dataset_id": ids.get("dataset_id"), "image_id": iid}
        if operation_id == "start-training" and self.target.is_live:
            mid = ids.get("idle_model_id")
            return None if mid is None else {"model_id": mid}
        if operation_id in ("delete-model", "start-training"):
            mid = self._disposable("model")
            return None if mid is None else {"model_id": mid}
        if operation_id == "delete-checkpoint":
            if not self.checkpoints:
                return None
            return {"model_id": ids.get("model_id"), "checkpoint_step": self.checkpoints.pop()}
        if operation_id == "get-checkpoint":
            step = ids.get("active_checkpoint")
            return (
                None if step is None else {"model_id": ids.get("model_id"), "checkpoint_step": step}
            )
        if operation_id in NEEDS_TRAINED_MODEL and ids.get("trained_model_id") is None:
            return None
        if operation_id == "get-bulk-upload-status" and ids.get("bulk_dataset_id") is None:
            return None
        mapping = {
            "project_id": ids.get("project_id"),
            "dataset_id": ids.get("advanced_dataset_id")
            if operation_id in ("get-bulk-upload-status", "bulk-upload-images", "download-dataset")
            else ids.get("dataset_id"),
            "image_id": ids.get("image_id"),
            "model_id": ids.get("model_id"),
            "request_id": ids.get("request_id"),
        }
        return mapping

    def _discovered_path_ids(self, operation_id: str) -> dict[str, Any] | None:
        ids = self.ids
        if operation_id in NEEDS_KNOWN_STATE:
            return None
        mapping = {
            "project_id": ids.get("project_id"),
            "dataset_id": ids.get("advanced_dataset_id")
            if operation_id == "download-dataset"
            else ids.get("dataset_id"),
            "image_id": ids.get("image_id"),
            "model_id": ids.get("model_id"),
        }
        return mapping

    def body_ids(self, operation_id: str) -> dict[str, Any]:
        """Ids for the id fields of a JSON body (refine: a draft dataset; model: completed)."""
        ids = self.ids
        dataset = (
            ids.get("completed_dataset_id")
            if operation_id == "create-model"
            else ids.get("dataset_id")
        )
        found = {
            "project_id": ids.get("project_id"),
            "dataset_id": dataset,
            "tailored_model_id": ids.get("model_id"),
        }
        return {k: v for k, v in found.items() if v is not None}

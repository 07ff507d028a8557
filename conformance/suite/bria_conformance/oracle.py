"""An independent model of what the documentation says should happen.

It is written from the docs (catalog entries quoted next to each rule), never from the mock's
code: given the state it believes the server is in, it says which HTTP statuses an action may get
and how the state changes when the action succeeds. Where the docs leave a choice open (e.g.
whether a model may be created on a draft dataset) it allows every documented outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: model.status-machine: the statuses a model may be observed in after being observed in a status.
MODEL_NEXT: dict[str, frozenset[str]] = {
    "Created": frozenset({"Created", "InProgress", "Completed", "Failed", "Stopping", "Stopped"}),
    "InProgress": frozenset({"InProgress", "Completed", "Failed", "Stopping", "Stopped"}),
    "Stopping": frozenset({"Stopping", "Stopped"}),
    "Completed": frozenset({"Completed"}),
    "Failed": frozenset({"Failed"}),
    "Stopped": frozenset({"Stopped"}),
}
TRAINING = frozenset({"InProgress", "Stopping"})
BASIC_CAP = 200


@dataclass
class Dataset:
    id: int
    project_id: int
    upload_type: str = "basic"
    status: str = "draft"
    images: set[int] = field(default_factory=set)
    has_schema: bool = False
    #: Images uploaded before the visual schema was set (no caption until regenerated).
    uncaptioned: set[int] = field(default_factory=set)


@dataclass
class Model:
    id: int
    project_id: int
    dataset_id: int
    mode: str
    status: str = "Created"
    #: False once the start was accepted: the status machine then moves on its own.
    started: bool = False


@dataclass
class Outcome:
    """The statuses an action may get, and the catalog entry that says so."""

    allowed: frozenset[int]
    entry: str

    @classmethod
    def of(cls, entry: str, *statuses: int) -> Outcome:
        return cls(frozenset(statuses), entry)


class Oracle:
    def __init__(self, completion_min_images: int) -> None:
        self.min_images = completion_min_images
        self.projects: set[int] = set()
        self.datasets: dict[int, Dataset] = {}
        self.models: dict[int, Model] = {}
        self.deleted: dict[str, set[int]] = {
            "project": set(),
            "dataset": set(),
            "model": set(),
            "image": set(),
        }
        #: Models whose fate the docs leave open (their dataset was deleted): no longer checked.
        self.untracked_models: set[int] = set()
        self._project_models: dict[int, set[int]] = {}

    # -- queries ----------------------------------------------------------------------------
    def training_in(self, *, project_id: int | None = None, dataset_id: int | None = None) -> bool:
        return any(
            m.status in TRAINING
            or (m.started and m.status not in ("Completed", "Failed", "Stopped"))
            for m in self.models.values()
            if (project_id is None or m.project_id == project_id)
            and (dataset_id is None or m.dataset_id == dataset_id)
        )

    # -- expectations -------------------------------------------------------------------------
    def upload(self, dataset_id: int) -> Outcome:
        ds = self.datasets.get(dataset_id)
        if ds is None:
            return Outcome.of("dataset.delete-removes-images", 404)
        if ds.upload_type != "basic":
            return Outcome.of("image.basic-upload-only", 400, 409)
        if ds.status == "completed":
            return Outcome.of("dataset.completed-freezes-uploads", 409)
        if len(ds.images) >= BASIC_CAP:
            return Outcome.of("image.basic-cap-200", 409)
        return Outcome.of("image.supported-formats", 201)

    def delete_image(self, dataset_id: int, image_id: int) -> Outcome:
        ds = self.datasets.get(dataset_id)
        if ds is None or image_id not in ds.images:
            return Outcome.of("image.deleted-is-gone", 404)
        if ds.status == "completed":
            return Outcome.of("dataset.completed-freezes-deletions", 409)
        return Outcome.of("image.deleted-is-gone", 204)

    def edit_caption(self, dataset_id: int, image_id: int) -> Outcome:
        ds = self.datasets.get(dataset_id)
        if ds is None or image_id not in ds.images:
            return Outcome.of("image.deleted-is-gone", 404)
        if ds.status == "completed":
            return Outcome.of("dataset.completed-freezes-captions", 409)
        return Outcome.of("image.manual-caption", 200)

    def complete(self, dataset_id: int) -> Outcome:
        ds = self.datasets.get(dataset_id)
        if ds is None:
            return Outcome.of("dataset.delete-removes-images", 404)
        if ds.status == "completed":
            # Completing again is not documented either way.
            return Outcome.of("dataset.completion-min-images", 200, 409)
        if not ds.has_schema:
            return Outcome.of("dataset.completion-needs-visual-schema", 400, 409, 412)
        if len(ds.images) < self.min_images:
            return Outcome.of("dataset.completion-min-images", 409)
        if ds.uncaptioned & ds.images:
            # Whether images still without a caption block completion is not documented.
            return Outcome.of("dataset.completion-min-images", 200, 400, 409, 412)
        return Outcome.of("dataset.completion-min-images", 200)

    def set_schema(self, dataset_id: int) -> Outcome:
        ds = self.datasets.get(dataset_id)
        if ds is None:
            return Outcome.of("dataset.delete-removes-images", 404)
        if ds.status == "completed" and ds.has_schema:
            # The lifecycle only ever sends one schema: re-sending the value a completed dataset
            # already holds changes nothing, and the documents do not say whether that is refused.
            return Outcome.of("dataset.completed-freezes-visual-schema", 200, 409)
        if ds.status == "completed":
            return Outcome.of("dataset.completed-freezes-visual-schema", 409)
        return Outcome.of("dataset.completed-freezes-visual-schema", 200)

    def clone(self, dataset_id: int) -> Outcome:
        if dataset_id not in self.datasets:
            return Outcome.of("dataset.delete-removes-images", 404)
        return Outcome.of("dataset.clone-as-draft", 201)

    def create_model(self, dataset_id: int) -> Outcome:
        ds = self.datasets.get(dataset_id)
        if ds is None:
            return Outcome.of("model.unknown-dataset", 404)
        if ds.status != "completed":
            # The stray block says "linked to a completed dataset"; start_training answers 412.
            return Outcome.of("model.created", 201, 400, 409, 412)
        return Outcome.of("model.created", 201)

    def start(self, model_id: int) -> Outcome:
        model = self.models.get(model_id)
        if model is None:
            return Outcome.of("model.deleted-is-gone", 404)
        if model.status != "Created" or model.started:
            return Outcome.of("training.no-restart", 409)
        ds = self.datasets.get(model.dataset_id)
        if ds is None or ds.status != "completed":
            return Outcome.of("training.requires-completed-dataset", 412)
        return Outcome.of("training.starts-in-progress", 200)

    def stop(self, model_id: int) -> Outcome:
        model = self.models.get(model_id)
        if model is None:
            return Outcome.of("model.deleted-is-gone", 404)
        if model.status == "InProgress":
            return Outcome.of("training.stop", 200)
        if model.status in ("Created", "Stopping", "Stopped", "Completed", "Failed"):
            return Outcome.of("training.stop", 409)
        return Outcome.of("training.stop", 200, 409)

    def delete_model(self, model_id: int) -> Outcome:
        model = self.models.get(model_id)
        if model is None:
            return Outcome.of("model.deleted-is-gone", 404)
        if model.status in TRAINING:
            return Outcome.of("model.delete-blocked-while-training", 409)
        return Outcome.of("model.deleted-is-gone", 204)

    def delete_dataset(self, dataset_id: int) -> Outcome:
        if dataset_id not in self.datasets:
            return Outcome.of("dataset.delete-removes-images", 404)
        if self.training_in(dataset_id=dataset_id):
            return Outcome.of("dataset.delete-blocked-while-training", 409)
        return Outcome.of("dataset.delete-removes-images", 204)

    def delete_project(self, project_id: int) -> Outcome:
        if project_id not in self.projects:
            return Outcome.of("project.deleted-is-gone", 404)
        if self.training_in(project_id=project_id):
            return Outcome.of("project.delete-blocked-while-training", 409)
        return Outcome.of("project.delete-cascades", 204)

    # -- state changes after a successful action ---------------------------------------------
    def project_created(self, project_id: int) -> None:
        self.projects.add(project_id)

    def dataset_created(self, dataset_id: int, project_id: int, upload_type: str) -> None:
        self.datasets[dataset_id] = Dataset(dataset_id, project_id, upload_type)

    def image_added(self, dataset_id: int, image_id: int) -> None:
        ds = self.datasets[dataset_id]
        ds.images.add(image_id)
        if not ds.has_schema:
            ds.uncaptioned.add(image_id)

    def schema_set(self, dataset_id: int) -> None:
        self.datasets[dataset_id].has_schema = True

    def image_deleted(self, dataset_id: int, image_id: int) -> None:
        self.datasets[dataset_id].images.discard(image_id)
        self.deleted["image"].add(image_id)

    def completed(self, dataset_id: int) -> None:
        self.datasets[dataset_id].status = "completed"

    def cloned(self, source_id: int, clone_id: int, image_ids: set[int]) -> None:
        src = self.datasets[source_id]
        # Clone ids differ from the source's, so uncaptioned state is carried as "unknown".
        clone = Dataset(
            clone_id, src.project_id, src.upload_type, "draft", set(image_ids), src.has_schema
        )
        if src.uncaptioned & src.images:
            clone.uncaptioned = set(image_ids)
        self.datasets[clone_id] = clone

    def model_created(self, model_id: int, dataset_id: int, mode: str) -> None:
        ds = self.datasets[dataset_id]
        self.models[model_id] = Model(model_id, ds.project_id, dataset_id, mode)
        self._project_models.setdefault(ds.project_id, set()).add(model_id)

    def training_started(self, model_id: int) -> None:
        self.models[model_id].status = "InProgress"
        self.models[model_id].started = True

    def stop_requested(self, model_id: int) -> None:
        self.models[model_id].status = "Stopping"

    def observed_model(self, model_id: int, status: str) -> str | None:
        """Record an observed status; return a complaint if the docs do not allow the move."""
        model = self.models[model_id]
        if status not in MODEL_NEXT.get(model.status, frozenset()):
            return f"model {model_id} went from {model.status} to {status}"
        if not model.started and status != "Created":
            return f"model {model_id} left Created ({status}) although no training was started"
        model.status = status
        return None

    def model_deleted(self, model_id: int) -> None:
        self.models.pop(model_id, None)
        self.deleted["model"].add(model_id)

    def dataset_deleted(self, dataset_id: int) -> None:
        ds = self.datasets.pop(dataset_id)
        self.deleted["dataset"].add(dataset_id)
        self.deleted["image"] |= ds.images
        # What happens to a deleted dataset's (idle) models is not documented: stop tracking them.
        for model_id in [m.id for m in self.models.values() if m.dataset_id == dataset_id]:
            self.models.pop(model_id)
            self.untracked_models.add(model_id)

    def project_deleted(self, project_id: int) -> None:
        self.projects.discard(project_id)
        self.deleted["project"].add(project_id)
        for ds in [d for d in self.datasets.values() if d.project_id == project_id]:
            self.dataset_deleted(ds.id)
        for model in [m for m in self.models.values() if m.project_id == project_id]:
            self.model_deleted(model.id)
        # A project's models go with it, including the ones earlier left untracked.
        self.deleted["model"] |= {
            m for m in self.untracked_models if m in self._project_models.get(project_id, set())
        }

"""The stored resources as typed records: what the state keeps, not how the API shows it.

Each record class names its table (``KIND``) and its key; field names are the keys of the JSON
the state file holds, so ``to_json``/``from_json`` are the only translation and a state file
written by an earlier version (records as plain JSON objects with these keys) still loads.
Fields a record did not always have carry defaults. How a record is rendered for a client is
in ``domain/views.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypedDict, TypeVar


class StateFormatError(Exception):
    """A stored record this version cannot read (a newer or foreign state file)."""


@dataclass
class Stored:
    """Base of every record: the table it lives in and the field that is its key."""

    KIND: ClassVar[str] = ""
    KEY_FIELD: ClassVar[str] = "id"
    # fields holding nested records, read back into their classes
    NESTED: ClassVar[dict[str, type[Stored]]] = {}

    @property
    def key(self) -> int | str:
        value = getattr(self, self.KEY_FIELD)
        assert isinstance(value, (int, str))
        return value


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
    status: str = "active"


@dataclass
class Dataset(Stored):
    KIND: ClassVar[str] = "dataset"
    id: int
    org: str
    project_id: int
    name: str
    upload_type: str
    created_at: float
    updated_at: float
    visual_schema: str | None = None
    status: str = "draft"
    captions_update_status: str = "empty"
    image_ids: list[int] = field(default_factory=list)
    caption_job: int | None = None
    description: str = ""
    cloned_from: int | None = None


@dataclass
class Image(Stored):
    KIND: ClassVar[str] = "image"
    id: int
    org: str
    dataset_id: int
    image_name: str
    digest: str
    mean_color: list[int]
    # the blob name (organization/digest) holding the pixels
    blob: str
    created_at: float
    updated_at: float
    upload_source_url: str | None = None
    caption: str | None = None
    caption_source: str | None = None


@dataclass
class Checkpoint(Stored):
    step: int
    created_at: float


@dataclass
class TrainingParameters(Stored):
    """The parameters a training ran with: the version's defaults and the expert's choices."""

    rank: int
    learning_rate: float
    lr_scheduler: str
    total_training_steps: int
    checkpoint_interval: int
    lr_warmup_steps: int | None = None


@dataclass
class Model(Stored):
    KIND: ClassVar[str] = "model"
    NESTED: ClassVar[dict[str, type[Stored]]] = {
        "checkpoints": Checkpoint,
        "training_parameters": TrainingParameters,
    }
    id: int
    org: str
    # "trained" (created from a dataset) or "uploaded" (a .safetensors file)
    origin: str
    name: str
    status: str
    project_id: int
    created_at: float
    updated_at: float
    description: str = ""
    training_mode: str | None = None
    training_version: str | None = None
    generation_prefix: str | None = None
    dataset_id: int | None = None
    custom_metadata: str = ""
    active_model_version: str = "default"
    # None until training starts (shown as ``{}``)
    training_parameters: TrainingParameters | None = None
    checkpoints: list[Checkpoint] = field(default_factory=list)
    # the running training's job number; checkpoints of an older job are ignored
    job: int | None = None
    started_at: float | None = None
    # the dataset's schema when training started (structured prompts are drawn from it)
    visual_schema: str | None = None
    failure_reason: str | None = None
    tensors: int | None = None


@dataclass
class BulkItem(Stored):
    """One member of a bulk upload: an image to reveal at ``at``, or a failure to report."""

    name: str
    ok: bool
    at: float = 0.0
    error_code: int | None = None
    error_message: str | None = None
    digest: str | None = None
    mean_color: list[int] | None = None
    caption: str | None = None
    blob: str | None = None


@dataclass
class BulkFailure(Stored):
    filename: str
    error_code: int
    error_message: str


@dataclass
class BulkJob(Stored):
    """The one bulk upload of a dataset; without items it is a reservation (archive being read)."""

    KIND: ClassVar[str] = "bulk"
    KEY_FIELD: ClassVar[str] = "dataset_id"
    NESTED: ClassVar[dict[str, type[Stored]]] = {
        "items": BulkItem,
        "failed_images": BulkFailure,
    }
    dataset_id: int
    org: str
    status: str = "pending"
    reserved: bool = False
    automatic_captioning: bool = True
    items: list[BulkItem] | None = None
    revealed: int = 0
    done: int = 0
    failed: int = 0
    failed_images: list[BulkFailure] = field(default_factory=list)
    started_at: float | None = None


@dataclass
class GenerationRequest(Stored):
    """A v2 generation (image, structured prompt or video), answered through the status service."""

    KIND: ClassVar[str] = "request"
    id: str
    org: str
    # "image", "structured_prompt" or "video"
    kind: str
    status: str
    model_id: int
    seed: int
    created_at: float
    prompt: str | None = None
    structured_prompt: str | None = None
    aspect_ratio: str | None = None
    # what the generated image is drawn from (same material, same bytes)
    material: str | None = None
    warning: str | None = None
    blocked: bool = False
    error: dict[str, Any] | None = None
    done_at: float | None = None


@dataclass
class WebhookDelivery(Stored):
    """A job's final status to POST to its ``webhook_url``: one per job, keyed by its request_id
    (rules in domain/webhooks.py). ``signing_key`` is the key derived from the submitting
    api_token (hex); the token itself is not kept. Times in ``attempts`` and ``next_attempt_at``
    are wall-clock Unix seconds: deliveries cross the real network."""

    KIND: ClassVar[str] = "webhook"
    id: str
    org: str
    url: str
    base_url: str
    signing_key: str
    created_at: float
    # waiting (the job runs) | pending (due or awaiting a retry) | delivered | failed
    state: str = "waiting"
    # the JSON sent, fixed at the first attempt so every attempt sends the same bytes
    body: str | None = None
    attempts: list[dict[str, Any]] = field(default_factory=list)
    next_attempt_at: float | None = None


@dataclass
class V1Output(Stored):
    """One image of a v1 generation, rendered from ``material`` when its URL is fetched."""

    KIND: ClassVar[str] = "v1output"
    id: str
    org: str
    material: str
    width: int
    height: int
    vector: bool
    ready_at: float


# What scheduled work carries, one shape per event kind (mypy checks both ends).
class ModelDue(TypedDict):
    """training.stopped, model.synced"""

    model_id: int


class CheckpointDue(TypedDict):
    """training.checkpoint: ``job`` tells a restarted training's checkpoints from an older one's"""

    model_id: int
    job: int
    step: int
    final: bool


class CaptionsDue(TypedDict):
    """captions.done"""

    dataset_id: int
    job: int


class BulkDue(TypedDict):
    """bulk.progress"""

    dataset_id: int


class RequestDue(TypedDict):
    """request.done, request.expire"""

    request_id: str


class OutputDue(TypedDict):
    """v1output.expire"""

    id: str


EventData = ModelDue | CheckpointDue | CaptionsDue | BulkDue | RequestDue | OutputDue


@dataclass
class Event(Stored):
    """Scheduled work: ``kind``'s handler runs with ``data`` once the clock reaches ``due``."""

    KIND: ClassVar[str] = "event"
    KEY_FIELD: ClassVar[str] = "seq"
    seq: int
    due: float
    kind: str
    # one of the EventData shapes, as stored
    data: Mapping[str, Any]


@dataclass
class Secret(Stored):
    """The URL-signing secret, kept so signed URLs survive a restart."""

    KIND: ClassVar[str] = "meta"
    KEY_FIELD: ClassVar[str] = "name"
    name: str
    value: str


KINDS: dict[str, type[Stored]] = {
    cls.KIND: cls
    for cls in (
        Project,
        Dataset,
        Image,
        Model,
        BulkJob,
        GenerationRequest,
        WebhookDelivery,
        V1Output,
        Event,
        Secret,
    )
}
# Kinds whose keys are integers (ids, sequence numbers); the others are strings.
INT_KEYS = {"project", "dataset", "image", "model", "bulk", "event"}

R = TypeVar("R", bound=Stored)


def to_json(record: Stored) -> dict[str, Any]:
    out = dataclasses.asdict(record)
    if isinstance(record, Event | Secret):
        # the key is the row's key, not part of the stored object (the earlier format)
        del out[record.KEY_FIELD]
    return out


def from_json(cls: type[R], key: str, data: Any) -> R:
    """Read a stored object back; a missing key field is taken from the row's key."""
    if not isinstance(data, dict):
        raise StateFormatError(f"a stored {cls.KIND or cls.__name__} is not a JSON object")
    names = {f.name for f in dataclasses.fields(cls)}
    values = {k: v for k, v in data.items() if k in names}
    if cls.KEY_FIELD not in values and cls.KIND:
        values[cls.KEY_FIELD] = int(key) if cls.KIND in INT_KEYS else key
    for name, nested in cls.NESTED.items():
        raw = values.get(name)
        if isinstance(raw, list):
            values[name] = [from_json(nested, "", item) for item in raw]
        elif isinstance(raw, dict):
            values[name] = from_json(nested, "", raw) if raw else None
    try:
        return cls(**values)
    except TypeError as exc:
        raise StateFormatError(
            f"a stored {cls.KIND or cls.__name__} {key!r} cannot be read ({exc})"
        ) from None


def clone(record: R) -> R:
    """A deep copy (records hold JSON-like values and nested records only).

    Runs on every record a transaction first touches, so it copies the instance dictionary
    directly and descends only into lists, dicts and nested records (the scalars are shared).
    """
    return _clone(record)  # type: ignore[no-any-return]


def _clone(value: Any) -> Any:
    if isinstance(value, Stored):
        copy = object.__new__(type(value))
        fields = copy.__dict__
        for name, item in value.__dict__.items():
            fields[name] = _clone(item) if isinstance(item, _CONTAINERS) else item
        return copy
    if isinstance(value, dict):
        return {k: _clone(v) if isinstance(v, _CONTAINERS) else v for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) if isinstance(v, _CONTAINERS) else v for v in value]
    return value


_CONTAINERS = (Stored, dict, list)

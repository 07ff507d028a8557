"""Artefacts behind the pre-signed URLs: dataset images, generated images, zips, models, videos.

Generated artefacts are rendered when fetched, from the parameters stored with their record, so a
signed URL is cheap to hand out and the bytes are always the deterministic ones.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable

from . import imaging
from .archives import write_dataset
from .artefacts import write_mp4, write_safetensors
from .domain import v1_generation, views
from .domain.cascades import blob_key
from .domain.datasets import Dataset, Image
from .domain.generation import GenerationRequest, RequestKind
from .domain.models import FIBO, Model, ModelStatus, Origin
from .domain.v1_generation import V1Output
from .records import R, clone
from .services import Services
from .signing import FILES_PREFIX
from .validation import ascii_int


class ArtefactMissing(LookupError):
    pass


class SignatureRefused(LookupError):
    pass


class _Cache:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], tuple[str, bytes]]) -> tuple[str, bytes]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class Artefacts:
    def __init__(self, mock: Services) -> None:
        self.mock = mock
        self.cache = _Cache(64)

    def resolve(self, path: str, expires: str | None, signature: str | None) -> tuple[str, bytes]:
        mock = self.mock
        problem = mock.signer.check(path, expires, signature, mock.clock.now())
        if problem:
            raise SignatureRefused(problem)
        rest = path[len(FILES_PREFIX) :]
        kind, _, name = rest.partition("/")
        stem = name.split(".", 1)[0]
        handler = {
            "images": self._image,
            "thumbnails": self._thumbnail,
            "generated": self._generated,
            "videos": self._video,
            "datasets": self._dataset_zip,
            "captions": self._captions,
            "models": self._model,
            "uploads": self._upload,
            "tailored": self._tailored,
        }.get(kind)
        if handler is None:
            raise ArtefactMissing(f"no artefact kind {kind!r}")
        return handler(stem, name)

    def _record(self, cls: type[R], key: int | str) -> R:
        with self.mock.store.transaction() as tx:
            record = tx.get(cls, key)
            if record is None:
                raise ArtefactMissing(f"the {cls.KIND} behind this URL no longer exists")
            return clone(record)

    @staticmethod
    def _int(stem: str) -> int:
        number = ascii_int(stem)
        if number is None:
            raise ArtefactMissing("malformed artefact name")
        return number

    def _image_png(self, stem: str) -> bytes:
        record = self._record(Image, self._int(stem))
        return self._stored_png(record.blob)

    def _stored_png(self, blob: str) -> bytes:
        key = blob_key(blob)
        stored = self.mock.store.get_blob(key)
        if stored is None:
            raise ArtefactMissing("the image data is gone")
        content_type, data = stored
        return self.cache.get(key, lambda: ("image/png", imaging.stored_png(content_type, data)))[1]

    def _image(self, stem: str, name: str) -> tuple[str, bytes]:
        return ("image/png", self._image_png(stem))

    def _thumbnail(self, stem: str, name: str) -> tuple[str, bytes]:
        png = self._image_png(stem)
        return self.cache.get(
            f"thumb/{stem}/{hash(png)}", lambda: ("image/png", imaging.thumbnail(png))
        )

    def _completed_request(self, stem: str, kind: RequestKind) -> GenerationRequest:
        record = self._record(GenerationRequest, stem)
        if not record.has_result(kind):
            raise ArtefactMissing("the generation behind this URL has no result")
        return record

    def _generated(self, stem: str, name: str) -> tuple[str, bytes]:
        record = self._completed_request(stem, RequestKind.IMAGE)
        material, aspect = str(record.material), str(record.aspect_ratio)
        return self.cache.get(
            f"gen/{material}/{aspect}", lambda: ("image/png", imaging.render(material, aspect))
        )

    def _tailored(self, stem: str, name: str) -> tuple[str, bytes]:
        record = self._record(V1Output, stem)
        key = f"v1/{record.material}/{record.width}x{record.height}/{record.vector}"
        if not v1_generation.is_ready(record, self.mock.clock.now()):
            raise ArtefactMissing("the image is still being generated; poll this URL again")
        return self.cache.get(key, lambda: v1_generation.artefact(record))

    def _video(self, stem: str, name: str) -> tuple[str, bytes]:
        self._completed_request(stem, RequestKind.VIDEO)
        source = self.mock.store.get_blob(f"video-src/{stem}")
        if source is None:
            raise ArtefactMissing("the video source image is gone")
        return self.cache.get(f"video/{stem}", lambda: ("video/mp4", write_mp4(source[1])))

    def _dataset_members(self, stem: str) -> list[tuple[str, bytes, str | None, str | None]]:
        dataset_id = self._int(stem)
        with self.mock.store.transaction() as tx:
            ds = tx.get(Dataset, dataset_id)
            if ds is None:
                raise ArtefactMissing("the dataset behind this URL no longer exists")
            images = [clone(img) for iid in ds.image_ids if (img := tx.get(Image, iid))]
        members: list[tuple[str, bytes, str | None, str | None]] = []
        used: set[str] = set()
        for img in images:
            try:
                png = self._stored_png(img.blob)
            except ArtefactMissing:
                continue
            base = img.image_name.rsplit(".", 1)[0] or f"image_{img.id}"
            name = f"{base}.png"
            if name in used:
                name = f"{base}_{img.id}.png"
            used.add(name)
            members.append((name, png, img.caption, img.caption_source))
        return members

    def _dataset_zip(self, stem: str, name: str) -> tuple[str, bytes]:
        members = self._dataset_members(stem)
        data = write_dataset(
            [(n, d) for n, d, _, _ in members], {n: c for n, _, c, _ in members if c is not None}
        )
        return ("application/zip", data)

    def _captions(self, stem: str, name: str) -> tuple[str, bytes]:
        members = self._dataset_members(stem)
        payload = {n: c for n, _, c, _ in members}
        return ("application/json", json.dumps(payload, indent=2).encode())

    def _model(self, stem: str, name: str) -> tuple[str, bytes]:
        record = self._record(Model, self._int(stem))
        if record.origin == Origin.UPLOADED:
            blob = self.mock.store.get_blob(f"model/{record.id}")
            if blob is None:
                raise ArtefactMissing("the uploaded model file is gone")
            return ("application/octet-stream", blob[1])
        if record.status != ModelStatus.COMPLETED:
            raise ArtefactMissing("the model has not completed training")
        params = views.training_parameters(record)
        metadata = {
            "format": "pt",
            "bria_model_id": str(record.id),
            "training_version": record.training_version or FIBO,
            "training_parameters": json.dumps(params, sort_keys=True),
            "active_model_version": record.active_model_version,
        }
        seed = f"{record.id}|{json.dumps(params, sort_keys=True)}"
        rank = record.training_parameters.rank if record.training_parameters else 128
        return self.cache.get(
            f"model/{seed}",
            lambda: ("application/octet-stream", write_safetensors(seed, rank, metadata)),
        )

    def _upload(self, stem: str, name: str) -> tuple[str, bytes]:
        blob = self.mock.store.get_blob(f"upload/{name.split('/', 1)[0]}")
        if blob is None:
            raise ArtefactMissing("no uploaded file behind this URL")
        return blob

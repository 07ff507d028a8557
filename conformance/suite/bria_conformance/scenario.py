"""Building blocks for scenarios: create resources, move time, wait for long work, clean up.

On a mock every scenario starts from a reset server and moves the virtual clock; on the live API
every created resource is named with the run's prefix and deleted afterwards, also on failure.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from . import declared, media, runtime
from .api import Api, body
from .journal import Exchange
from .target import Target

P = "/v1/tailored-gen"
#: A visual schema as /generate_visual_schema returns it: a JSON structure in a string.
VISUAL_SCHEMA = (
    '{"style": "flat vector illustration", "colors": "teal and orange", "subject": "objects"}'
)


#: What moving the clock is on a live target: a pause between reads.
LIVE_ADVANCE_SECONDS = 1.0
#: Why a moderation rule is not checked where no input is known to trip the target's moderation.
NO_MODERATION_TRIGGER = (
    "not observable on this target: it needs a moderation trigger, and no input is known to "
    "fail Bria's moderation (the mock's documented marker works on the mock only)"
)


class Violation(AssertionError):
    """A documented rule the server broke; the message says which and how."""


@contextlib.contextmanager
def rule(entry_id: str) -> Iterator[None]:
    """Attribute an assertion failure inside the block to one catalog entry."""
    try:
        yield
    except AssertionError:
        run = runtime.active()
        if run is not None:
            run.blame(entry_id)
        raise


def expect(response: httpx.Response, allowed: int | set[int], entry_id: str, why: str) -> Any:
    """Assert the status is one of `allowed` (blaming `entry_id` otherwise) and return the body."""
    wanted = {allowed} if isinstance(allowed, int) else allowed
    if response.status_code not in wanted:
        with rule(entry_id):
            raise Violation(
                f"[{entry_id}] {why}: expected HTTP {'/'.join(map(str, sorted(wanted)))}, got "
                f"{response.status_code} from {response.request.method} {response.request.url.path}"
                f" with body {_snippet(response)}"
            )
    if response.status_code == 403:
        forbidden_is_string(response, entry_id)
    # An error answer repeats its status in error.code; a status service ERROR is HTTP 200 with
    # the failure's own code ("the HTTP status remains 200"), so only 4xx/5xx answers count.
    payload = body(response) if response.status_code >= 400 else None
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict) and "code" in error and error["code"] != response.status_code:
        with rule(entry_id), rule("shape.error-envelope"):
            raise Violation(
                f"[shape.error-envelope] {why}: Bria's error envelope repeats the HTTP status in "
                f"error.code, got code {error['code']!r} with HTTP {response.status_code}"
            )
    wrong = declared.problem(response)
    if wrong is not None:
        operation_id, what = wrong
        with rule(entry_id), rule(f"op.{operation_id}.responses"):
            raise Violation(
                f"[op.{operation_id}.responses] {why}: the {response.status_code} body of "
                f"{response.request.method} {response.request.url.path} is not the one its "
                f"operation declares ({what}); body {_snippet(response)}"
            )
    return body(response)


def forbidden_is_string(response: httpx.Response, entry_id: str) -> None:
    """A 403 body is a JSON string ("Access denied: ..."), wherever the 403 comes from."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if not isinstance(payload, str):
        with rule(entry_id), rule("shape.forbidden-is-string"):
            raise Violation(
                f"[shape.forbidden-is-string] a 403 body is a JSON string such as "
                f'"Access denied: ...", got {_snippet(response)} from {response.request.method} '
                f"{response.request.url.path}"
            )


def _snippet(response: httpx.Response) -> str:
    # Long enough that the field a rule is about is not cut off; huge bodies still are.
    text = response.text
    return text if len(text) <= 4000 else text[:4000] + "..."


def _names_the_url(response: httpx.Response) -> bool:
    """Whether a refusal is about the URL (unreachable, not allowed), not the archive or state."""
    text = response.text.lower()
    return response.status_code == 422 or "url" in text


def _brief(value: Any) -> Any:
    """What a wait last saw, short: a status where the value has one."""
    if isinstance(value, dict) and "status" in value:
        return value["status"]
    return value if isinstance(value, str | int | float) else None


def is_json_text(value: Any) -> bool:
    """A non-empty string holding a JSON object (how captions and visual schemas are sent)."""
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False


def is_timestamp(value: Any) -> bool:
    """An ISO date-time: RFC 3339 with an offset, or without one as Bria's examples write it
    (`"2025-08-20T06:06:05.849402"`, tailored-generation.openapi.json; docs/contract.md). The
    `T` and `Z` may be lower case (RFC 3339 §5.6)."""
    if not isinstance(value, str) or "T" not in value.upper():
        return False
    try:
        dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


class Scenario:
    """One test's view of the target: an API client per organization plus helpers."""

    def __init__(self, target: Target, http: httpx.Client, journal: Any, tag: str):
        self.target = target
        self.http = http
        self.api = Api(target, target.token, journal, http)
        self.other = Api(target, target.other_token, journal, http) if target.other_token else None
        self.tag = tag
        self._counter = 0
        self.created_projects: list[tuple[Api, int]] = []
        self.training_models: list[tuple[Api, int]] = []

    # -- lifecycle --------------------------------------------------------------------------
    def _control(self, path: str, payload: Any = None) -> httpx.Response:
        """A call to the mock's control endpoints, journaled so a reproduction replays it."""
        exchange = Exchange(
            method="POST",
            url=self.target.base_url.rstrip("/") + path,
            headers={},
            json_body=payload,
            token_role="none",
        )
        self.api.journal.add(exchange)
        response = self.http.post(path, json=payload) if payload else self.http.post(path)
        exchange.status = response.status_code
        return response

    def reset(self) -> None:
        if self.target.controls:
            response = self._control("/_mock/reset")
            if response.status_code >= 300:
                raise RuntimeError(
                    f"the mock refused a reset: {response.status_code} {response.text}"
                )

    def cleanup(self) -> None:
        """Remove what this scenario created on a live API (a mock is reset instead)."""
        if self.target.controls:
            return
        for api in {id(a): a for a, _ in [*self.training_models, *self.created_projects]}.values():
            api.cleaning = True
        for api, model_id in self.training_models:
            with contextlib.suppress(Exception):
                api.post(f"{P}/models/{model_id}/stop_training")
        for api, project_id in reversed(self.created_projects):
            with contextlib.suppress(Exception):
                self._delete_project(api, project_id)

    def _delete_project(self, api: Api, project_id: int) -> None:
        """Delete a project; while one of its trainings is still stopping the server refuses
        (409), so that is waited out, up to --live-wait, rather than left behind."""
        deadline = time.monotonic() + self.target.live_wait_seconds
        while api.delete(f"{P}/projects/{project_id}").status_code == 409:
            if time.monotonic() > deadline:
                return  # left for `bria-conformance --cleanup`
            time.sleep(2.0)

    def name(self, what: str) -> str:
        self._counter += 1
        return f"{self.target.name_prefix}{self.tag}-{what}-{self._counter}"

    # -- time -------------------------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        if not self.target.controls:
            # A live clock cannot be moved: the pause only spaces out the reads that follow
            # (waiting for work to finish is `wait_for`'s, bounded by --live-wait).
            time.sleep(min(seconds, LIVE_ADVANCE_SECONDS))
            return
        response = self._control("/_mock/clock/advance", {"seconds": seconds})
        if response.status_code != 200:
            raise RuntimeError(f"the mock refused to advance its clock: {response.status_code}")

    def wait_for(
        self,
        probe: Callable[[], Any],
        done: Callable[[Any], bool],
        what: str,
        step: float = 600.0,
    ) -> Any:
        """Poll `probe` until `done(value)`; virtual time on a mock, bounded real time live."""
        if self.target.controls:
            # Steps start at `step` and double (short phases of the work are seen) up to a cap
            # that keeps it near 200 polls whatever the step: a server that never finishes fails
            # quickly.
            cap = max(step, self.target.virtual_timeout / 200)
            waited = 0.0
            value = probe()
            while not done(value):
                if waited >= self.target.virtual_timeout:
                    raise Violation(
                        f"{what} did not happen within {waited / 3600:.0f} virtual hours; "
                        f"last: {value!r}"
                    )
                self.advance(step)
                waited += step
                step = min(step * 2, cap)
                value = probe()
            return value
        run = runtime.active()
        started = time.monotonic()
        deadline = started + self.target.live_wait_seconds
        value = probe()
        while not done(value):
            if run is not None:
                run.progress.waiting(what, started, _brief(value))
            if time.monotonic() > deadline:
                pytest.skip(
                    f"{what} did not happen within {self.target.live_wait_seconds:.0f} s "
                    "on the live "
                    "API (raise --live-wait to wait longer)"
                )
            time.sleep(2.0)
            value = probe()
        if run is not None:
            run.progress.done_waiting(what, _brief(value))
        return value

    # -- resources --------------------------------------------------------------------------
    def project(self, api: Api | None = None, **fields: Any) -> dict[str, Any]:
        api = api or self.api
        payload = {
            "project_name": self.name("project"),
            "ip_medium": "illustration",
            "ip_type": "multi_object_set",
            "project_description": "created by the Bria conformance suite",
        }
        payload.update(fields)
        created = expect(
            api.post(f"{P}/projects", json=payload),
            201,
            "project.created-active",
            "creating a valid project",
        )
        self.created_projects.append((api, created["id"]))
        return dict(created)

    def dataset(
        self, project_id: int | None = None, api: Api | None = None, **fields: Any
    ) -> dict[str, Any]:
        api = api or self.api
        if project_id is None:
            project_id = self.project(api)["id"]
        payload = {"project_id": project_id, "name": self.name("dataset")}
        payload.update(fields)
        created = expect(
            api.post(f"{P}/datasets", json=payload),
            201,
            "dataset.created-draft",
            "creating a valid dataset",
        )
        return dict(created)

    def upload(
        self,
        dataset_id: int,
        width: int = 1024,
        height: int = 1024,
        fmt: str = "png",
        shade: int = 0,
        api: Api | None = None,
        **form: str,
    ) -> httpx.Response:
        api = api or self.api
        data = media.image_bytes(width, height, fmt, shade)
        return api.post(
            f"{P}/datasets/{dataset_id}/images",
            files={"file": (f"image-{shade}.{fmt}", data, media.MIME[fmt])},
            data=form or None,
        )

    def bulk_upload(
        self, dataset_id: int, archive: bytes, fields: dict[str, bool] | None = None
    ) -> httpx.Response:
        """Start a bulk upload in whichever body form the target accepts.

        The bundle declares only JSON ``{zip_url}``; servers (the mock among them) also take a
        multipart ``file``. Multipart needs no hosting, so it goes first; when it is refused
        (415, or 400 where 415 is not declared) the archive is hosted — on the mock's controls
        where the target has them, else on the suite's own file server (`file_server.py`) — and
        sent as ``zip_url``. A refusal for any other reason (a bad archive, a used attempt) is
        the same for both forms, so the second answer stands for it. A target that refuses the
        URL without ever fetching it cannot reach the file server: the test is skipped with
        what to do, not failed. ``fields`` (``content_moderation``, ``automatic_captioning``) go
        along as form fields or JSON members.
        """
        path = f"{P}/datasets/{dataset_id}/images/bulk-upload"
        form = {key: str(value).lower() for key, value in (fields or {}).items()}
        response = self.api.post(
            path,
            files={"file": ("images.zip", archive, "application/zip")},
            data=form or None,
        )
        if response.status_code not in (400, 415):
            return response
        if self.target.controls:
            hosted = self.http.post(
                "/_mock/files",
                content=archive,
                params={"filename": "images.zip"},
                headers={"content-type": "application/zip"},
            )
            hosted.raise_for_status()
            return self.api.post(path, json={**(fields or {}), "zip_url": hosted.json()["url"]})
        files = runtime.current().files
        url = files.host(archive, "images.zip")
        second = self.api.post(path, json={**(fields or {}), "zip_url": url})
        if second.status_code >= 400 and not files.fetched(url) and _names_the_url(second):
            pytest.skip(
                f"the target takes bulk uploads only by zip_url and did not fetch {url} "
                f"({second.status_code}: {_snippet(second)[:200]}); run the suite where the "
                "target can reach its file server (--serve-files URL)"
            )
        return second

    def fill(
        self, dataset_id: int, count: int, start: int = 0, api: Api | None = None
    ) -> list[dict[str, Any]]:
        images = []
        for i in range(start, start + count):
            # 256 px is the smallest documented upload; it keeps the suite fast.
            images.append(
                expect(
                    self.upload(dataset_id, 256, 256, "jpg", shade=i, api=api),
                    201,
                    "image.min-resolution",
                    "uploading a valid 256x256 JPEG",
                )
            )
        return images

    def visual_schema(self, api: Api | None = None) -> str:
        api = api or self.api
        images = [
            base64.b64encode(media.image_bytes(64, 64, "png", shade=i)).decode() for i in range(5)
        ]
        result = expect(
            api.post(f"{P}/generate_visual_schema", json={"images": images}),
            200,
            "schema-tools.visual-schema-is-json",
            "generating a visual schema from 5 images",
        )
        return str(result["visual_schema"])

    def set_visual_schema(
        self, dataset_id: int, api: Api | None = None, text: str | None = None
    ) -> None:
        api = api or self.api
        value = text or VISUAL_SCHEMA
        expect(
            api.put(f"{P}/datasets/{dataset_id}", json={"visual_schema": value}),
            200,
            "dataset.completed-freezes-visual-schema",
            "setting a visual schema on a draft dataset",
        )

    def complete(self, dataset_id: int, api: Api | None = None) -> dict[str, Any]:
        api = api or self.api
        return dict(
            expect(
                api.put(f"{P}/datasets/{dataset_id}", json={"status": "completed"}),
                200,
                "dataset.completion-min-images",
                "completing a dataset with enough images",
            )
        )

    def completed_dataset(
        self, api: Api | None = None, images: int | None = None, **fields: Any
    ) -> dict[str, Any]:
        ds = self.dataset(api=api, **fields)
        # "You must generate a visual schema ... before completing the dataset" (the bundle).
        self.set_visual_schema(ds["id"], api=api)
        self.fill(
            ds["id"], self.target.completion_min_images if images is None else images, api=api
        )
        return self.complete(ds["id"], api=api)

    def model(self, dataset_id: int, api: Api | None = None, **fields: Any) -> dict[str, Any]:
        api = api or self.api
        payload = {"name": self.name("model"), "dataset_id": dataset_id}
        payload.update(fields)
        return dict(
            expect(
                api.post(f"{P}/models", json=payload),
                201,
                "model.created",
                "creating a valid model",
            )
        )

    def start(self, model_id: int, **params: Any) -> httpx.Response:
        return self.start_as(self.api, model_id, **params)

    def start_as(self, api: Api, model_id: int, **params: Any) -> httpx.Response:
        return self._start(api, model_id, params, refused=False)

    def start_refused(self, model_id: int, **params: Any) -> httpx.Response:
        """A start the documents require the target to refuse: it needs no training budget."""
        return self._start(self.api, model_id, params, refused=True)

    def _start(
        self, api: Api, model_id: int, params: dict[str, Any], *, refused: bool
    ) -> httpx.Response:
        response = api.post(f"{P}/models/{model_id}/start_training", json=params, refused=refused)
        if response.status_code == 200:
            # Accepted (wrongly, when it should have been refused): stopped at cleanup.
            self.training_models.append((api, model_id))
        return response

    def get_model(self, model_id: int, api: Api | None = None) -> dict[str, Any]:
        api = api or self.api
        return dict(
            expect(
                api.get(f"{P}/models/{model_id}"),
                200,
                "op.get-model.responses",
                "reading an existing model",
            )
        )

    def trained_model(self, api: Api | None = None, **params: Any) -> dict[str, Any]:
        """A model whose training has ended (expert mode when parameters are given).

        A check that needs only *a* trained model (no parameters, the main organization) gets
        the run's shared one where the target keeps data between checks (`shared.py`).
        """
        run = runtime.active()
        own_org = api in (None, self.api)
        if not params and own_org and run is not None and run.shared_active:
            return dict(run.shared.get(self))
        ds = self.completed_dataset(api=api)
        mode = "expert" if params else "fully_automated"
        model = self.model(ds["id"], api=api, training_mode=mode)
        expect(
            self.start_as(api or self.api, model["id"], **params),
            200,
            "training.starts-in-progress",
            "starting a training on a completed dataset",
        )
        return dict(
            self.wait_for(
                lambda: self.get_model(model["id"], api=api),
                lambda m: m.get("status") in ("Completed", "Failed"),
                f"training of model {model['id']}",
            )
        )

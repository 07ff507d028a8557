"""The generative hostile harness for the documents inside string fields (catalog entries
shape.inner-documents, upload-model.safetensors-header, shape.path-ids, limit.form-text-utf8).

Seeded Hypothesis strategies built from the document models (``document_strategies.py``) send, to
every operation that reads a document, valid documents at their limits and hostile ones: every
wrong type at every typed path, the limits plus one, malformed and unstorable JSON; plus path ids
in other spellings and form text that is not UTF-8. For each request:

- never a 5xx;
- a hostile request is refused with 4xx for the reason it carries (the message says so), and the
  whole state, in memory and in the ``--state`` SQLite file, is what it was before;
- an accepted document is stored and served exactly as sent (nothing dropped or coerced), and a
  refined one keeps its content and records the instruction.

After the run the mock is closed and reopened from its state file: the same state. The run in
``bash tasks.sh test`` has a small budget (``BRIA_DOCUMENT_EXAMPLES``, default 60: one case of
each class, on a mock in memory and on one with a state file), the ``slow`` one in ``test-all`` a
large one (1,500 each). The figures are printed (``pytest -s``).
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import urllib.parse
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import document_strategies as ds
import httpx
import pytest
from bria_mock import MockConfig, create_app
from bria_mock import documents as d
from bria_mock.core import Mock
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from mock_helpers import BASE, TOKEN_A, image_bytes
from state_snapshots import disk_snapshot, snapshot

SEED = int(os.environ.get("BRIA_HOSTILE_SEED", "20261202"))
EXAMPLES = int(os.environ.get("BRIA_DOCUMENT_EXAMPLES", "60"))
SLOW_EXAMPLES = 1500
P = "/v1/tailored-gen"
T = TypeVar("T")


@dataclass
class Figures:
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    accepted: int = 0
    refusals: collections.Counter[str] = field(default_factory=collections.Counter)
    round_trips: int = 0
    problems: list[str] = field(default_factory=list)

    def report(self, title: str) -> str:
        lines = [
            f"{title}: {self.requests} requests, {len(self.server_errors)} x 5xx, "
            f"{self.accepted} accepted, {sum(self.refusals.values())} refused, "
            f"{self.round_trips} round trips checked"
        ]
        lines += [f"  refused {n:5d}  {reason}" for reason, n in sorted(self.refusals.items())]
        return "\n".join(lines)


class Harness:
    """One mock with a state file, its world, and the checks made on every answer."""

    def __init__(self, state: Path | None) -> None:
        self.state = str(state) if state else None
        self.loop = asyncio.new_event_loop()
        self.app = create_app(MockConfig(state_path=self.state))
        self.mock: Mock = self.app.state.mock
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url=BASE,
            headers={"api_token": TOKEN_A},
        )
        self.figures = Figures()
        self.world = self.run(self._world())

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    async def _ok(self, response: Any) -> dict[str, Any]:
        r = await response
        assert r.status_code in (200, 201, 202), r.text
        return dict(r.json())

    async def _world(self) -> dict[str, int]:
        c = self.client
        project = await self._ok(
            c.post(
                f"{P}/projects",
                json={"project_name": "p", "ip_medium": "illustration", "ip_type": "icons"},
            )
        )
        body = {"project_id": project["id"], "name": "d"}
        done = await self._ok(c.post(f"{P}/datasets", json=body))
        await self._ok(c.put(f"{P}/datasets/{done['id']}", json={"visual_schema": '{"s": 1}'}))
        for i in range(5):
            files = {"file": ("a.png", image_bytes(color=(i, 7, 7)), "image/png")}
            image = await self._ok(c.post(f"{P}/datasets/{done['id']}/images", files=files))
        draft = await self._ok(c.post(f"{P}/datasets/{done['id']}/clone", json={"name": "c"}))
        await self._ok(c.put(f"{P}/datasets/{done['id']}", json={"status": "completed"}))
        model = await self._ok(
            c.post(
                f"{P}/models",
                json={"name": "m", "dataset_id": done["id"], "training_mode": "expert"},
            )
        )
        await self._ok(c.post(f"{P}/models/{model['id']}/start_training", json={}))
        await self._ok(c.post("/_mock/clock/advance", json={"seconds": 10 * 24 * 3600}))
        draft_image = (await c.get(f"{P}/datasets/{draft['id']}/images")).json()[0]
        return {
            "project": project["id"],
            "completed": done["id"],
            "completed_image": image["id"],
            "draft": draft["id"],
            "image": draft_image["id"],
            "model": model["id"],
        }

    # -- one request and its checks ---------------------------------------------------------------

    def send(
        self,
        label: str,
        request: Callable[[httpx.AsyncClient], Coroutine[Any, Any, httpx.Response]],
        refusal: ds.Reason | None,
    ) -> httpx.Response | None:
        """Send; check the answer. ``refusal``: the reason the mock must refuse for, or None
        for a request that must be accepted. Returns the accepted response."""
        before = snapshot(self.mock)
        response = self.run(request(self.client))
        self.figures.requests += 1
        status = response.status_code
        if status >= 500:
            self.figures.server_errors.append(f"{label}: {status} {response.text[:300]}")
            return None
        if status < 400:
            self.figures.accepted += 1
            if refusal is not None:
                self.figures.problems.append(f"{label}: accepted ({refusal.label}) {status}")
            return response
        message = _message(response)
        if refusal is None:
            if "would be" in message and "characters long" in message:
                self.figures.refusals["output: longer than its input limit"] += 1
                return None
            self.figures.problems.append(f"{label}: refused a valid request: {status} {message}")
            return None
        self.figures.refusals[refusal.label] += 1
        if refusal.fragment not in message:
            self.figures.problems.append(
                f"{label}: refused for another reason than {refusal.label!r}: {message[:300]}"
            )
        if snapshot(self.mock) != before:
            self.figures.problems.append(f"{label}: a refusal changed the state in memory")
        elif self.state and disk_snapshot(self.mock) != before:
            self.figures.problems.append(f"{label}: the state file differs from memory")
        return None

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.figures.problems.append(what)

    def close(self) -> None:
        """Close the mock; with a state file, reopen it: the same state."""
        self.run(self.client.aclose())
        self.loop.close()
        in_memory = snapshot(self.mock)
        self.mock.close()
        if self.state is None:
            return
        reopened = create_app(MockConfig(state_path=self.state))
        try:
            self.check(snapshot(reopened.state.mock) == in_memory, "restart: the state differs")
        finally:
            reopened.state.mock.close()


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("message", ""))
    return json.dumps(body)


# -- what the strategies send, operation by operation ---------------------------------------------


def _put_json(path: str, body: dict[str, Any]) -> Any:
    async def go(c: httpx.AsyncClient) -> httpx.Response:
        return await c.put(path, json=body)

    return go


def _post_json(path: str, body: dict[str, Any]) -> Any:
    async def go(c: httpx.AsyncClient) -> httpx.Response:
        return await c.post(path, json=body)

    return go


def visual_schema_case(h: Harness, text: str, refusal: ds.Reason | None) -> None:
    path = f"{P}/datasets/{h.world['draft']}"
    if h.send("PUT visual_schema", _put_json(path, {"visual_schema": text}), refusal):
        stored = h.run(h.client.get(path)).json()["visual_schema"]
        h.check(stored == text, "visual_schema: not stored as sent")


def caption_case(h: Harness, text: str, refusal: ds.Reason | None) -> None:
    path = f"{P}/datasets/{h.world['draft']}/images/{h.world['image']}"
    if h.send("PUT caption", _put_json(path, {"caption": text}), refusal):
        stored = h.run(h.client.get(path)).json()
        h.check(
            stored["caption"] == text and stored["caption_source"] == "manual",
            "caption: not stored as sent",
        )


def refine_case(h: Harness, text: str, refusal: ds.Reason | None, instruction: str) -> None:
    body = {"dataset_id": h.world["draft"], "structured_prompt": text, "instruction": instruction}
    response = h.send("POST refine", _post_json(f"{P}/refine_structured_prompt", body), refusal)
    if response is not None:
        check_refined(h, text, response.json()["structured_prompt"], instruction.strip())


def generation_case(
    h: Harness, text: str, refusal: ds.Reason | None, operation: str, prompt: str
) -> None:
    body = {"tailored_model_id": h.world["model"], "structured_prompt": text, "sync": True}
    if operation == "/v2/image/generate/tailored":
        body["seed"] = 5
    if prompt.strip() or operation != "/v2/image/generate/tailored":
        body["prompt"] = prompt if prompt.strip() else "p"
    response = h.send(f"POST {operation}", _post_json(operation, body), refusal)
    if response is not None:
        produced = response.json()["result"]["structured_prompt"]
        if "prompt" in body:
            check_refined(h, text, produced, str(body["prompt"]))
        else:
            h.check(produced == text, f"{operation}: the structured prompt was not kept as sent")


def check_refined(h: Harness, sent: str, produced: str, instruction: str) -> None:
    """A refined document keeps the input's content and records the instruction after the
    input's own refinements; and it is itself a valid structured prompt."""
    before = d.StructuredPrompt.parse(sent)
    try:
        after = d.StructuredPrompt.parse(produced)
    except d.DocumentRejected as exc:
        h.check(False, f"refined: the mock produced a document it refuses: {exc.message}")
        return
    h.figures.round_trips += 1
    h.check(
        after.refinements == (*before.refinements, instruction),
        f"refined: refinements {after.refinements!r} after {before.refinements!r}",
    )
    kept, original = _content(after.value), _content(before.value)
    h.check(kept == original, f"refined: the content of {sent[:200]!r} was not kept")


def _content(value: d.Structure) -> Any:
    """A structured prompt without the refinements the mock recorded in it."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != d.REFINEMENTS}
    last = value[-1] if value else None
    if not (isinstance(last, dict) and d.REFINEMENTS in last):
        return value
    rest = {k: v for k, v in last.items() if k != d.REFINEMENTS}
    return [*value[:-1], rest] if rest else value[:-1]


def upload_model_case(h: Harness, data: bytes, refusal: ds.Reason | None) -> None:
    hosted = h.run(h.client.post("/_mock/files?filename=m.safetensors", content=data))
    url = hosted.json()["url"]
    body = {"model_url": url, "project_id": h.world["project"]}
    h.send("POST upload_model", _post_json(f"{P}/models/upload_model", body), refusal)


def path_id_case(h: Harness, template: str, method: str, record: str, spelling: str) -> None:
    quoted = urllib.parse.quote(spelling, safe="")

    async def go(c: httpx.AsyncClient) -> httpx.Response:
        return await c.request(method, template.format(quoted), json={"name": "renamed"})

    h.send(f"{method} {template} id {spelling!r}", go, ds.PATH_ID)


def form_text_case(h: Harness, where: str, raw: bytes) -> None:
    filename = raw + b".png" if where == "filename" else b"a.png"
    parts = [
        b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: image/png\r\n\r\n" + image_bytes(),
    ]
    if where == "field":
        parts.append(b'Content-Disposition: form-data; name="image_name"\r\n\r\n' + raw)
    body = b"".join(b"--B\r\n" + part + b"\r\n" for part in parts) + b"--B--\r\n"

    async def go(c: httpx.AsyncClient) -> httpx.Response:
        return await c.post(
            f"{P}/datasets/{h.world['draft']}/images",
            content=body,
            headers={"content-type": "multipart/form-data; boundary=B"},
        )

    h.send(f"multipart {where} not UTF-8", go, ds.NOT_UTF8)


# -- the strategies, as one stream of cases -------------------------------------------------------

V2_IMAGE = "/v2/image/generate/tailored"
GENERATION = st.sampled_from([V2_IMAGE, "/v2/structured_prompt/generate/tailored"])
INSTRUCTION = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20).filter(
    lambda text: bool(text.strip()) and ds.unflagged(text)
)
PATH_TEMPLATES = [
    ("GET", P + "/projects/{}", "project"),
    ("DELETE", P + "/projects/{}", "project"),
    ("PUT", P + "/datasets/{}", "draft"),
    ("GET", P + "/models/{}", "model"),
    ("DELETE", P + "/datasets/{}", "draft"),
]


DOCUMENT_OPERATIONS = {
    "visual_schema": (d.VISUAL_SCHEMA_DEPTH, ()),
    "caption": (d.MAX_DEPTH, ()),
    "refine": (d.MAX_DEPTH, ds.TYPED_CLASSES),
    "generation": (d.MAX_DEPTH, ds.TYPED_CLASSES),
}
# Every class of case, each run with its own share of the budget: the smallest run still sends
# each one at least once.
CLASSES: list[tuple[str, str | None]] = [
    *(
        (operation, hostile)
        for operation, (_, typed) in DOCUMENT_OPERATIONS.items()
        for hostile in (None, *ds.DOCUMENT_CLASSES, *typed)
    ),
    ("safetensors", None),
    *(("safetensors", path) for path in ds.HEADER_PATHS),
    *(("path id", spelling) for spelling in ds.ID_SPELLINGS),
    ("form text", "filename"),
    ("form text", "field"),
]


@st.composite
def cases(draw: st.DrawFn, kind: str, hostile: str | None) -> Callable[[Harness], None]:
    """One request of class (``kind``, ``hostile``): valid when ``hostile`` is None."""
    if kind in DOCUMENT_OPERATIONS:
        limit, _ = DOCUMENT_OPERATIONS[kind]
        valid = {
            "visual_schema": ds.visual_schema,
            "caption": ds.caption,
            "refine": ds.structured_prompt,
            "generation": ds.structured_prompt,
        }[kind]
        text, why = draw(ds.hostile_document(limit, hostile)) if hostile else (draw(valid()), None)
        if kind == "visual_schema":
            return lambda h: visual_schema_case(h, text, why)
        if kind == "caption":
            return lambda h: caption_case(h, text, why)
        words = draw(INSTRUCTION)
        if kind == "refine":
            return lambda h: refine_case(h, text, why, words)
        operation = draw(GENERATION)
        return lambda h: generation_case(h, text, why, operation, words)
    if kind == "safetensors":
        if hostile:
            data, reason = draw(ds.hostile_header(hostile))
            return lambda h: upload_model_case(h, data, reason)
        header, tensors = draw(ds.valid_header())
        valid_file = ds.safetensors(header, tensors)
        return lambda h: upload_model_case(h, valid_file, None)
    if kind == "path id":
        assert hostile is not None
        method, template, record = draw(st.sampled_from(PATH_TEMPLATES))
        spell = draw(st.data())
        return lambda h: path_id_case(
            h, template, method, record, spell.draw(ds.id_spelling(h.world[record], hostile))
        )
    assert hostile is not None
    raw = draw(ds.not_utf8())
    return lambda h: form_text_case(h, hostile, raw)


def run_harness(state: Path | None, examples: int) -> Figures:
    """About ``examples`` cases, shared among ``CLASSES`` (one of each at least); the valid
    classes get four shares, so the checks on what is accepted see more than one document."""
    harness = Harness(state)
    each_class = max(1, examples // len(CLASSES))
    try:
        for kind, hostile in CLASSES:

            @seed(SEED)
            @settings(
                max_examples=each_class if hostile else 4 * each_class,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=cases(kind, hostile))
            def each(case: Callable[[Harness], None]) -> None:
                case(harness)

            each()
    finally:
        harness.close()
    return harness.figures


def _verdict(figures: Figures, title: str) -> None:
    print("\n" + figures.report(title))
    assert not figures.server_errors, "\n".join(figures.server_errors[:10])
    assert not figures.problems, "\n".join(figures.problems[:10])


@pytest.mark.parametrize("store", ["memory", "state file"])
def test_documents_generative_harness(tmp_path: Path, store: str) -> None:
    state = tmp_path / "state.db" if store == "state file" else None
    _verdict(run_harness(state, EXAMPLES), f"document harness ({store})")


@pytest.mark.slow
@pytest.mark.parametrize("store", ["memory", "state file"])
def test_documents_generative_harness_large(tmp_path: Path, store: str) -> None:
    state = tmp_path / "state.db" if store == "state file" else None
    _verdict(run_harness(state, SLOW_EXAMPLES), f"document harness, large ({store})")

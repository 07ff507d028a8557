"""The hostile-input harness: every operation of the normalized spec, every class of hostile input,
plus Schemathesis' negative data, over real HTTP against a ``bria-mock`` process.

Seeded (``BRIA_HOSTILE_SEED``) and bounded (a deadline for the whole run, a timeout per request).
It prints the requests sent, the 5xx answers, the hangs and the mock's memory growth, and fails on
any 5xx or hang: a client mistake is never a server error, and never stalls the mock.
"""

from __future__ import annotations

import collections
import contextlib
import os
import time
from pathlib import Path
from typing import Any

import httpx
import hypothesis
import mock_process
import schemathesis
from hostile_inputs import HostileRequest, hostile_requests, operations
from hypothesis import HealthCheck, Phase
from mock_helpers import TOKEN_A, image_bytes, load_spec, zip_bytes
from schemathesis.generation import GenerationMode

SEED = int(os.environ.get("BRIA_HOSTILE_SEED", "20261202"))
SEND_SECONDS = 40.0  # sending stops here; with start-up and set-up the run stays under a minute
REQUEST_TIMEOUT = 10.0  # an answer slower than this is a hang
NEGATIVE_PER_OPERATION = 4
P = "/v1/tailored-gen"


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201, 202), response.text
    body = response.json()
    return body if isinstance(body, dict) else {"items": body}


def build_world(c: httpx.Client) -> dict[str, Any]:
    """Real records to aim path and body ids at, so hostile input reaches the handlers' rules."""
    project = _ok(
        c.post(
            f"{P}/projects",
            json={"project_name": "p", "ip_medium": "illustration", "ip_type": "icons"},
        )
    )
    ds = _ok(c.post(f"{P}/datasets", json={"project_id": project["id"], "name": "d"}))
    _ok(c.put(f"{P}/datasets/{ds['id']}", json={"visual_schema": '{"style": "flat"}'}))
    image = {}
    for i in range(5):
        image = _ok(
            c.post(
                f"{P}/datasets/{ds['id']}/images",
                files={"file": ("a.png", image_bytes(color=(i, 9, 9)), "image/png")},
            )
        )
    done = _ok(c.post(f"{P}/datasets/{ds['id']}/clone", json={"name": "c"}))
    _ok(c.put(f"{P}/datasets/{done['id']}", json={"status": "completed"}))
    model = _ok(c.post(f"{P}/models", json={"name": "m", "dataset_id": done["id"]}))
    _ok(c.post(f"{P}/models/{model['id']}/start_training", json={}))
    _ok(c.post("/_mock/clock/advance", json={"seconds": 30 * 24 * 3600}))
    advanced = _ok(
        c.post(
            f"{P}/datasets",
            json={"project_id": project["id"], "name": "a", "upload_type": "advanced"},
        )
    )
    _ok(
        c.post(
            f"{P}/datasets/{advanced['id']}/images/bulk-upload",
            files={"file": ("a.zip", zip_bytes({"a.png": image_bytes()}), "application/zip")},
        )
    )
    steps = _ok(c.get(f"{P}/models/{model['id']}"))["checkpoint_steps"]
    request = _ok(
        c.post(
            "/v2/image/generate/tailored", json={"tailored_model_id": model["id"], "prompt": "x"}
        )
    )
    return {
        "project_id": project["id"],
        "dataset_id": ds["id"],
        "image_id": image["id"],
        "model_id": model["id"],
        "tailored_model_id": model["id"],
        "checkpoint_step": steps[0],
        "request_id": request["request_id"],
    }


def _draw(operation: Any) -> list[Any]:
    drawn: list[Any] = []

    @hypothesis.given(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    @hypothesis.settings(
        max_examples=NEGATIVE_PER_OPERATION,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.seed(SEED)
    def draw(case: Any) -> None:
        drawn.append(case)

    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        draw()
    return drawn


def negative_cases(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Schemathesis' negative data for every operation, drawn deterministically from the seed."""
    schema = schemathesis.openapi.from_dict(doc)
    out: list[tuple[str, dict[str, Any]]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for case in _draw(operation):
            out.append((f"{operation.label}: schemathesis negative", case.as_transport_kwargs()))
    return out


def round_robin(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """One request per operation in turn, so a run cut short by its deadline covers them all."""
    queues: dict[str, collections.deque[tuple[str, Any]]] = {}
    for label, item in items:
        queues.setdefault(label.split(":", 1)[0], collections.deque()).append((label, item))
    out: list[tuple[str, Any]] = []
    while queues:
        for key in list(queues):
            out.append(queues[key].popleft())
            if not queues[key]:
                del queues[key]
    return out


def _send_hostile(c: httpx.Client, req: HostileRequest) -> httpx.Response:
    headers = dict(req.headers)
    if req.content_type:
        headers["content-type"] = req.content_type
    return c.request(
        req.method,
        req.path,
        content=req.content,
        files=req.files,
        data=req.data,
        headers=headers,
    )


def _send_negative(c: httpx.Client, kwargs: dict[str, Any]) -> httpx.Response:
    url = httpx.URL(kwargs["url"])
    headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() != "host"}
    extra: dict[str, Any] = {}
    if "json" in kwargs:
        extra["json"] = kwargs["json"]
    if "data" in kwargs:
        data = kwargs["data"]
        extra["content" if isinstance(data, (bytes, str)) else "data"] = data
    if "files" in kwargs:
        extra["files"] = kwargs["files"]
    return c.request(
        kwargs["method"],
        url.raw_path.decode("ascii", "replace"),
        params=kwargs.get("params") or None,
        headers=headers,
        **extra,
    )


def test_hostile_inputs_get_no_5xx_and_no_hang(tmp_path: Path) -> None:
    started = time.monotonic()
    doc = load_spec()
    op_count = sum(1 for _ in operations(doc))
    negatives = negative_cases(doc)
    five_xx: list[str] = []
    hangs: list[str] = []
    statuses: collections.Counter[int] = collections.Counter()
    unsendable = 0
    args = ("--state", str(tmp_path / "state.db"), "--allow-url", "http://127.0.0.1:5123")
    with (
        mock_process.running(*args, "--fetch-timeout", "2") as mock,
        httpx.Client(
            base_url=mock.url, headers={"api_token": TOKEN_A}, timeout=REQUEST_TIMEOUT
        ) as c,
    ):
        world = build_world(c)
        rss_start, _ = mock.memory_kib()
        planned = round_robin(
            [*((r.label, r) for r in hostile_requests(doc, world, SEED)), *negatives]
        )
        sent = 0
        reached: set[str] = set()
        deadline = time.monotonic() + SEND_SECONDS
        for label, item in planned:
            if time.monotonic() > deadline:
                break
            try:
                if isinstance(item, HostileRequest):
                    response = _send_hostile(c, item)
                else:
                    response = _send_negative(c, item)
            except httpx.TimeoutException:
                hangs.append(label)
                sent += 1
                continue
            except (httpx.InvalidURL, UnicodeEncodeError, ValueError, TypeError):
                unsendable += 1  # the case cannot even be put on the wire
                continue
            sent += 1
            reached.add(label.split(":", 1)[0])
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                five_xx.append(f"{label} -> {response.status_code} {response.text[:200]}")
        rss_end, rss_peak = mock.memory_kib()
        alive = mock.alive()
        log = mock.log()
    elapsed = time.monotonic() - started
    print(
        f"\nhostile harness (seed {SEED}): {op_count} operations, {sent} of {len(planned)} "
        f"requests sent in {elapsed:.1f} s ({unsendable} unsendable), 5xx: {len(five_xx)}, "
        f"hangs: {len(hangs)}, RSS {rss_start / 1024:.0f} -> {rss_end / 1024:.0f} MiB "
        f"(growth {(rss_end - rss_start) / 1024:+.0f} MiB, peak {rss_peak / 1024:.0f} MiB)"
    )
    print("statuses:", dict(sorted(statuses.items())))
    assert alive, f"the mock died: {log[-2000:]}"
    assert not five_xx, "server errors:\n" + "\n".join(five_xx[:20]) + "\n" + log[-3000:]
    assert not hangs, "no answer within the timeout:\n" + "\n".join(hangs[:20])
    # On a loaded machine the deadline may cut the run short; the order still reached every
    # operation (round robin), and on an idle one every planned request is sent.
    labels = {label.split(":", 1)[0] for label, _ in planned}
    assert reached == labels, f"operations never reached: {sorted(labels - reached)}"

"""A quick round trip: a freshly generated client against the mock built from the same spec.

``bria-build --upstream`` runs this in a child process whose ``sys.path`` starts with the
candidate package, so ``bria_tailored`` (and the mock's spec, which is the package's
``openapi.json``) are the regenerated ones, not the installed ones. It walks the documented
lifecycle — project, dataset, images, completion, model, training, generation, status — through
the generated client and the in-process mock (virtual clock, no network) and stops at the first
step that breaks, naming it. The code is written against today's client: an upstream change that
renames a model field or an operation shows up as the step that can no longer be written or
answered, which is what a user upgrading would hit first.

Usage: ``python -m bria_build.roundtrip`` (prints one JSON object per step, exit 1 on a break).
"""

from __future__ import annotations

import asyncio
import io
import json
import struct
import sys
import traceback
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

STEPS = (
    "project",
    "dataset",
    "images",
    "completion",
    "model",
    "training",
    "generation",
    "status",
)
_BASE = "http://bria-mock.test"


def png(side: int = 512, shade: int = 0) -> bytes:
    """A solid-colour RGB PNG, encoded here so the round trip needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((shade % 256, 80, 160)) * side
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * side))
        + chunk(b"IEND", b"")
    )


class Broken(Exception):
    """A step got an answer it cannot use."""


def _expect(response: Any, status: int, kind: type) -> Any:
    if response.status_code != status or not isinstance(response.parsed, kind):
        raise Broken(
            f"expected {status} {kind.__name__}, got {int(response.status_code)} "
            f"{response.content[:300].decode('utf-8', 'replace')}"
        )
    return response.parsed


async def _lifecycle(
    report: Callable[[str, bool, str], None], unmodelled: Callable[[list[str]], None]
) -> bool:
    import httpx
    from bria_mock import MockConfig, create_app
    from bria_tailored import AuthenticatedClient
    from bria_tailored.api.dataset import create_dataset, update_dataset, upload_image
    from bria_tailored.api.image_generation import image_generate_tailored
    from bria_tailored.api.model import create_model, get_model, start_training
    from bria_tailored.api.project import create_project
    from bria_tailored.api.status import get_status
    from bria_tailored.models import (
        Dataset,
        DatasetCreate,
        DatasetStatus,
        DatasetUpdate,
        Image,
        ImageFileUpload,
        ImageGenerationRequest,
        IpMedium,
        IpType,
        Model,
        ModelCreate,
        ModelStatus,
        Project,
        ProjectCreate,
        RequestState,
        RequestStatus,
        TrainingRequest,
    )
    from bria_tailored.types import File

    app = create_app(MockConfig())
    unmodelled(list(app.state.mock.unmodelled))
    transport = httpx.ASGITransport(app=app)
    control = httpx.AsyncClient(transport=transport, base_url=_BASE)
    bria = AuthenticatedClient(
        base_url=_BASE,
        token="roundtrip",
        auth_header_name="api_token",
        prefix="",
        httpx_args={"transport": transport},
    )
    state: dict[str, Any] = {}

    async def advance(seconds: float) -> None:
        r = await control.post("/_mock/clock/advance", json={"seconds": seconds})
        if r.status_code != 200:
            raise Broken(f"the mock's clock did not advance: {r.status_code} {r.text[:200]}")

    async def project() -> None:
        body = ProjectCreate(
            project_name="Round trip",
            ip_medium=IpMedium.ILLUSTRATION,
            ip_type=IpType.STYLIZED_SCENE,
        )
        r = await create_project.asyncio_detailed(client=bria, body=body)
        state["project"] = _expect(r, 201, Project).id

    async def dataset() -> None:
        r = await create_dataset.asyncio_detailed(
            client=bria, body=DatasetCreate(project_id=state["project"], name="round trip")
        )
        state["dataset"] = _expect(r, 201, Dataset).id
        r = await update_dataset.asyncio_detailed(
            state["dataset"],
            client=bria,
            body=DatasetUpdate(visual_schema='{"style_medium": "flat illustration"}'),
        )
        _expect(r, 200, Dataset)

    async def images() -> None:
        for index in range(5):
            upload = File(payload=io.BytesIO(png(shade=index * 40)), file_name=f"{index}.png")
            r = await upload_image.asyncio_detailed(
                state["dataset"], client=bria, body=ImageFileUpload(file=upload)
            )
            _expect(r, 201, Image)

    async def completion() -> None:
        r = await update_dataset.asyncio_detailed(
            state["dataset"], client=bria, body=DatasetUpdate(status=DatasetStatus.COMPLETED)
        )
        if _expect(r, 200, Dataset).status != DatasetStatus.COMPLETED:
            raise Broken("the dataset did not become completed")

    async def model() -> None:
        r = await create_model.asyncio_detailed(
            client=bria, body=ModelCreate(name="round trip", dataset_id=state["dataset"])
        )
        state["model"] = _expect(r, 201, Model).id

    async def training() -> None:
        started = await start_training.asyncio_detailed(
            state["model"], client=bria, body=TrainingRequest()
        )
        _expect(started, 200, Model)
        await advance(30 * 24 * 3600)
        r = await get_model.asyncio_detailed(state["model"], client=bria)
        status = _expect(r, 200, Model).status
        if status != ModelStatus.COMPLETED:
            raise Broken(f"training did not complete on the virtual clock (status {status})")

    async def generation() -> None:
        r = await image_generate_tailored.asyncio_detailed(
            client=bria,
            body=ImageGenerationRequest(tailored_model_id=state["model"], prompt="a cat"),
        )
        if r.status_code != 202 or r.parsed is None or not hasattr(r.parsed, "request_id"):
            raise Broken(
                f"expected 202 with a request_id, got {int(r.status_code)} {r.content[:300]!r}"
            )
        state["request"] = r.parsed.request_id

    async def status() -> None:
        await advance(600)
        r = await get_status.asyncio_detailed(state["request"], client=bria)
        if _expect(r, 200, RequestStatus).status != RequestState.COMPLETED:
            raise Broken("the generation request did not complete")

    steps: dict[str, Callable[[], Awaitable[None]]] = {
        "project": project,
        "dataset": dataset,
        "images": images,
        "completion": completion,
        "model": model,
        "training": training,
        "generation": generation,
        "status": status,
    }
    try:
        async with bria:
            for name in STEPS:
                try:
                    await steps[name]()
                except Broken as exc:
                    report(name, False, str(exc))
                    return False
                except Exception as exc:  # an API change surfaces as any error in the client
                    where = traceback.extract_tb(exc.__traceback__)[-1]
                    report(
                        name, False, f"{type(exc).__name__}: {exc} ({where.name}:{where.lineno})"
                    )
                    return False
                report(name, True, "")
    finally:
        await control.aclose()
    return True


def main() -> int:
    def report(step: str, ok: bool, detail: str) -> None:
        print(json.dumps({"step": step, "ok": ok, "detail": detail}), flush=True)

    def unmodelled(operation_ids: list[str]) -> None:
        print(json.dumps({"unmodelled": operation_ids}), flush=True)

    try:
        ok = asyncio.run(_lifecycle(report, unmodelled))
    except Exception as exc:  # the client or the mock cannot even be imported or started
        report("start", False, f"{type(exc).__name__}: {exc}")
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

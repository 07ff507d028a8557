"""Visual schemas and structured-prompt refinement: Bria's VLM bridge, made deterministic.

Rules enforced here (entry ids of conformance/suite/bria_conformance/catalog.yaml):
schema-tools.visual-schema-formats.
"""

from __future__ import annotations

from functools import partial

import anyio.to_thread

from .. import captions
from ..context import Ctx, Reply, operation
from ..documents import StructuredPrompt
from ..domain import datasets, schema_tools
from ..errors import ApiError
from ..fetch import FetchError, fetch_image_ref
from ..imaging import ImageRejected, contains_marker, preprocess


@operation("generate-visual-schema")
async def generate_visual_schema(ctx: Ctx) -> Reply:
    # images: 5-10 strings (the spec's minItems/maxItems, checked before this handler runs)
    cfg = ctx.mock.config
    images: list[str] = list(ctx.json["images"])
    moderation = bool(ctx.json.get("content_moderation", False))
    digests: list[str] = []
    colors: list[tuple[int, int, int]] = []
    for index, ref in enumerate(images):
        what = f"images[{index}]"
        try:
            data = await fetch_image_ref(
                ctx.mock.fetcher,
                ref,
                base_url=ctx.base_url,
                max_bytes=cfg.max_image_bytes,
                what=what,
            )
        except FetchError as exc:
            raise ApiError(exc.fallbacks, exc.message) from None
        if moderation and contains_marker(data, cfg.moderation_marker):
            raise ApiError(422, f"{what} was blocked by content moderation")
        try:
            processed = await anyio.to_thread.run_sync(
                partial(
                    preprocess,
                    data,
                    increase_resolution=True,
                    target=64,
                    min_upscale=1,
                    max_pixels=cfg.max_image_pixels,
                )
            )
        except ImageRejected as exc:
            raise ApiError((exc.status, 415, 400), f"{what}: {exc.message}") from None
        digests.append(processed.digest)
        colors.append(processed.mean_color)
    return Reply(200, {"visual_schema": captions.visual_schema(digests, colors)})


@operation("refine-json")
def refine_structured_prompt(ctx: Ctx) -> Reply:
    # dataset_id (an integer), structured_prompt and instruction (strings) are required and
    # context_images is an array of strings: the spec checks all of that.
    body = ctx.json
    dataset_id = int(body["dataset_id"])
    structured = ctx.document("structured_prompt", StructuredPrompt)
    assert structured is not None  # required by the spec
    instruction = str(body["instruction"])
    if not instruction.strip():
        raise ApiError(400, "instruction must not be empty")
    with ctx.mock.store.transaction() as tx:
        schema_tools.refine_draft_only(datasets.owned(tx, ctx.org, dataset_id))
        refined = captions.refine(structured, instruction.strip())
    return Reply(200, {"structured_prompt": refined.text})

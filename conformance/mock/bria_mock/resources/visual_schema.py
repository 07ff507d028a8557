"""Visual schemas and structured-prompt refinement: Bria's VLM bridge, made deterministic (the
rules: ``domain/schema_tools.py``)."""

from __future__ import annotations

from functools import partial

import anyio.to_thread

from .. import captions
from ..context import Ctx, Reply, operation
from ..domain import datasets, schema_tools
from ..domain.schema_tools import RefineRequest, VisualSchemaRequest
from ..fetch import fetch_image_ref


@operation("generate-visual-schema")
async def generate_visual_schema(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    request = ctx.parse(VisualSchemaRequest)
    digests: list[str] = []
    colors: list[tuple[int, int, int]] = []
    for index, ref in enumerate(request.images):
        what = f"images[{index}]"
        data = await fetch_image_ref(
            ctx.mock.fetcher,
            ref,
            base_url=ctx.base_url,
            max_bytes=cfg.max_image_bytes,
            what=what,
        )
        processed = await anyio.to_thread.run_sync(
            partial(schema_tools.visual_schema_formats, data, what, request.content_moderation, cfg)
        )
        digests.append(processed.digest)
        colors.append(processed.mean_color)
    return Reply(200, {"visual_schema": captions.visual_schema(digests, colors)})


@operation("refine-json")
def refine_structured_prompt(ctx: Ctx) -> Reply:
    request = ctx.parse(RefineRequest)
    instruction = schema_tools.refine_required_fields(request)
    with ctx.mock.store.transaction() as tx:
        schema_tools.refine_draft_only(datasets.owned(tx, ctx.org, request.dataset_id))
        refined = captions.refine(request.structured_prompt, instruction)
    return Reply(200, {"structured_prompt": refined.text})

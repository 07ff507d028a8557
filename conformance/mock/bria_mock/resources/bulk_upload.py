"""Advanced (bulk) upload and its progress (the rules: ``domain/bulk.py``)."""

from __future__ import annotations

from functools import partial

import anyio.to_thread

from ..context import Ctx, Reply, operation
from ..domain import bulk, datasets, views
from ..domain.bulk import BulkUpload
from ..domain.datasets import DatasetPath


@operation("bulk-upload-images")
async def bulk_upload(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    request = ctx.parse(BulkUpload)
    bulk.archive_source(request.file is not None, request.zip_url)
    automatic = bulk.flag(request.automatic_captioning, True, "automatic_captioning")
    moderation = bulk.flag(request.content_moderation, False, "content_moderation")
    dataset_id = ctx.parse_path(DatasetPath).dataset_id
    with ctx.mock.store.transaction() as tx:
        bulk.reserve(tx, datasets.owned(tx, ctx.org, dataset_id))
    try:
        if request.file is not None:
            data = request.file.data
        else:
            data = await ctx.mock.fetcher.fetch(
                str(request.zip_url),
                base_url=ctx.base_url,
                max_bytes=cfg.max_zip_bytes,
                what="zip_url",
            )
        bulk.zip_size(len(data), cfg)
        processed = await anyio.to_thread.run_sync(
            partial(bulk.process, data, automatic, moderation, cfg)
        )
    except BaseException:
        with ctx.mock.store.transaction() as tx:
            bulk.refused_is_no_attempt(tx, dataset_id)
        raise
    with ctx.mock.store.transaction() as tx:
        ds = datasets.owned(tx, ctx.org, dataset_id)
        job = bulk.start(tx, ds, processed, automatic, cfg.bulk_seconds_per_image)
        return Reply(202, views.bulk_status(job))


@operation("get-bulk-upload-status")
def bulk_status(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.parse_path(DatasetPath).dataset_id)
        return Reply(200, views.bulk_status(bulk.status_404(tx, ds)))

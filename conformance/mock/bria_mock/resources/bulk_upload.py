"""Advanced (bulk) upload and its progress (the rules: ``domain/bulk.py``)."""

from __future__ import annotations

from functools import partial
from typing import Any

import anyio.to_thread

from ..archives import ArchiveRejected
from ..context import Ctx, Reply, operation
from ..domain import bulk, datasets, views
from ..errors import ApiError
from ..fetch import FetchError


def _flag(value: Any, default: bool, name: str) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ApiError(400, f"{name} must be true or false")


@operation("bulk-upload-images")
async def bulk_upload(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    upload = ctx.files.get("file") or ctx.files.get("zip_file")
    zip_url = body.get("zip_url")
    bulk.archive_source(upload is not None, zip_url)
    # automatic_captioning comes from bria-guide-v1.md; the bundle dropped it, so it is
    # accepted as an extra form/JSON field.
    automatic = _flag(body.get("automatic_captioning"), True, "automatic_captioning")
    moderation = _flag(body.get("content_moderation"), False, "content_moderation")
    dataset_id = ctx.path["dataset_id"]
    with ctx.mock.store.transaction() as tx:
        bulk.reserve(tx, datasets.owned(tx, ctx.org, dataset_id))
    try:
        if upload is not None:
            data = upload.data
        else:
            data = await ctx.mock.fetcher.fetch(
                str(zip_url), base_url=ctx.base_url, max_bytes=cfg.max_zip_bytes, what="zip_url"
            )
        bulk.zip_size(len(data), cfg)
        processed = await anyio.to_thread.run_sync(
            partial(bulk.process, data, automatic, moderation, cfg)
        )
    except BaseException as exc:
        with ctx.mock.store.transaction() as tx:
            bulk.refused_is_no_attempt(tx, dataset_id)
        if isinstance(exc, ArchiveRejected):
            raise ApiError((exc.status, 400), exc.message) from None
        if isinstance(exc, FetchError):
            raise ApiError(exc.fallbacks, exc.message) from None
        raise
    with ctx.mock.store.transaction() as tx:
        ds = datasets.owned(tx, ctx.org, dataset_id)
        job = bulk.start(tx, ds, processed, automatic, cfg.bulk_seconds_per_image)
        return Reply(202, views.bulk_status(job))


@operation("get-bulk-upload-status")
def bulk_status(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.path["dataset_id"])
        return Reply(200, views.bulk_status(bulk.status_404(tx, ds)))

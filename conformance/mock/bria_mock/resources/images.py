"""Dataset images: basic upload (file or URL), captions, deletion, caption regeneration (the
rules: ``domain/images.py``)."""

from __future__ import annotations

from functools import partial
from typing import Any

import anyio.to_thread

from ..context import Ctx, Reply, operation
from ..domain import datasets, images, views
from ..domain.datasets import Dataset, DatasetPath, Image, ImagePath
from ..domain.images import CaptionChange, ImageUpload
from ..state import Transaction


def _owned_image(ctx: Ctx, tx: Transaction, path: ImagePath) -> tuple[Dataset, Image]:
    return datasets.owned_image(tx, ctx.org, path.dataset_id, path.image_id)


def _view(ctx: Ctx, img: Image, now: float) -> dict[str, Any]:
    return views.image(img, lambda artefact: ctx.signed(artefact, now))


@operation("upload-image")
async def upload_image(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    request = ctx.parse(ImageUpload)
    images.file_or_url(request.file is not None, request.image_url)
    dataset_id = ctx.parse_path(DatasetPath).dataset_id
    with ctx.mock.store.transaction() as tx:
        images.can_add(datasets.owned(tx, ctx.org, dataset_id), cfg.max_basic_images)
    if request.file is not None:
        data = request.file.data
        images.image_file_size(len(data), cfg)
    else:
        data = await ctx.mock.fetcher.fetch(
            str(request.image_url),
            base_url=ctx.base_url,
            max_bytes=cfg.max_image_bytes,
            what="image_url",
        )
    images.moderation(data, request.content_moderation, cfg)
    processed = await anyio.to_thread.run_sync(
        partial(images.preprocessed, data, request.increase_resolution, cfg)
    )
    with ctx.mock.store.transaction() as tx:
        # checked again: the dataset may have changed while the image was being processed
        ds = datasets.owned(tx, ctx.org, dataset_id)
        images.can_add(ds, cfg.max_basic_images)
        record = images.add(tx, ds, processed, request.name(), request.source_url)
        return Reply(201, _view(ctx, record, tx.now))


@operation("get-images")
def get_images(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.parse_path(DatasetPath).dataset_id)
        return Reply(200, [_view(ctx, img, tx.now) for img in datasets.images_of(tx, ds)])


@operation("get-image")
def get_image(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        _, img = _owned_image(ctx, tx, ctx.parse_path(ImagePath))
        return Reply(200, _view(ctx, img, tx.now))


@operation("update-image-caption")
def update_caption(ctx: Ctx) -> Reply:
    request = ctx.parse(CaptionChange)
    images.caption_exclusive(request.caption, request.regenerate_caption)
    with ctx.mock.store.transaction() as tx:
        ds, img = _owned_image(ctx, tx, ctx.parse_path(ImagePath))
        images.set_caption(tx, ds, img, request.caption, request.regenerate_caption)
        return Reply(200, _view(ctx, img, tx.now))


@operation("delete-image")
def delete_image(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds, img = _owned_image(ctx, tx, ctx.parse_path(ImagePath))
        images.deleted_is_gone(tx, ds, img)
        return Reply(204)


@operation("regenerate-all-captions")
def regenerate_all(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.parse_path(DatasetPath).dataset_id)
        images.regenerate_all_async(tx, ds, ctx.mock.config)
        return Reply(202, views.dataset(ds))

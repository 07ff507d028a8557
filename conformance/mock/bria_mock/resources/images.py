"""Dataset images: basic upload (file or URL), captions, deletion, caption regeneration (the
rules: ``domain/images.py``)."""

from __future__ import annotations

import posixpath
from functools import partial
from typing import Any

import anyio.to_thread

from ..context import Ctx, Reply, operation
from ..documents import Caption
from ..domain import datasets, images, views
from ..domain.cascades import blob_key, blob_of
from ..domain.datasets import Image
from ..errors import ApiError
from ..fetch import FetchError, url_path
from ..imaging import ImageRejected, preprocess


def _view(ctx: Ctx, img: Image, now: float) -> dict[str, Any]:
    return views.image(img, lambda artefact: ctx.signed(artefact, now))


def _name_for(ctx: Ctx, explicit: Any, url: str | None) -> str:
    if isinstance(explicit, str) and explicit.strip():
        return explicit.strip()
    upload = ctx.files.get("file")
    if upload is not None and upload.filename:
        return posixpath.basename(upload.filename.replace("\\", "/")) or "image"
    if url:
        return posixpath.basename(url_path(url)) or "image"
    return "image"


@operation("upload-image")
async def upload_image(ctx: Ctx) -> Reply:
    cfg = ctx.mock.config
    body = ctx.json
    upload = ctx.files.get("file")
    url = body.get("image_url")
    images.file_or_url(upload is not None, url)
    dataset_id = ctx.path["dataset_id"]
    with ctx.mock.store.transaction() as tx:
        images.can_add(datasets.owned(tx, ctx.org, dataset_id), cfg.max_basic_images)
    if upload is not None:
        data = upload.data
        images.image_file_size(len(data), cfg)
    else:
        try:
            data = await ctx.mock.fetcher.fetch(
                str(url), base_url=ctx.base_url, max_bytes=cfg.max_image_bytes, what="image_url"
            )
        except FetchError as exc:
            raise ApiError(exc.fallbacks, exc.message) from None
    images.moderation(data, bool(body.get("content_moderation")), cfg)
    increase = body.get("increase_resolution", True)
    try:
        processed = await anyio.to_thread.run_sync(
            partial(
                preprocess,
                data,
                increase_resolution=bool(increase),
                target=cfg.target_side,
                min_upscale=cfg.min_upscale_side,
                max_pixels=cfg.max_image_pixels,
            )
        )
    except ImageRejected as exc:
        raise ApiError((exc.status, 400), exc.message) from None
    blob = blob_of(ctx.org, processed.digest)
    with ctx.mock.store.transaction() as tx:
        # checked again: the dataset may have changed while the image was being processed
        ds = datasets.owned(tx, ctx.org, dataset_id)
        images.can_add(ds, cfg.max_basic_images)
        tx.put_blob(blob_key(blob), processed.content_type, processed.source)
        record = images.add(
            tx,
            ds,
            processed,
            _name_for(ctx, body.get("image_name"), url),
            url if isinstance(url, str) else None,
            blob,
        )
        return Reply(201, _view(ctx, record, tx.now))


@operation("get-images")
def get_images(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.path["dataset_id"])
        return Reply(200, [_view(ctx, img, tx.now) for img in datasets.images_of(tx, ds)])


@operation("get-image")
def get_image(ctx: Ctx) -> Reply:
    with ctx.mock.store.reading() as tx:
        _, img = datasets.owned_image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        return Reply(200, _view(ctx, img, tx.now))


@operation("update-image-caption")
def update_caption(ctx: Ctx) -> Reply:
    body = ctx.json
    caption = ctx.document("caption", Caption)
    regenerate = bool(body.get("regenerate_caption", False))
    images.caption_exclusive(caption, regenerate)
    with ctx.mock.store.transaction() as tx:
        ds, img = datasets.owned_image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        images.set_caption(tx, ds, img, caption, regenerate)
        return Reply(200, _view(ctx, img, tx.now))


@operation("delete-image")
def delete_image(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds, img = datasets.owned_image(tx, ctx.org, ctx.path["dataset_id"], ctx.path["image_id"])
        images.deleted_is_gone(tx, ds, img)
        return Reply(204)


@operation("regenerate-all-captions")
def regenerate_all(ctx: Ctx) -> Reply:
    with ctx.mock.store.transaction() as tx:
        ds = datasets.owned(tx, ctx.org, ctx.path["dataset_id"])
        images.regenerate_all_async(tx, ds, ctx.mock.config)
        return Reply(202, views.dataset(ds))

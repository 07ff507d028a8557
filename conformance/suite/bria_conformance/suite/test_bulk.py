"""Bulk (advanced) upload of a ZIP archive."""

from __future__ import annotations

from typing import Any

import pytest

from bria_conformance import media, readback
from bria_conformance.api import body
from bria_conformance.scenario import NO_MODERATION_TRIGGER, P, Scenario, expect, rule

from .test_training import fetch_bytes


def _archive(good: int, bad: list[tuple[str, bytes]] | None = None) -> bytes:
    members = [(f"img{i}.png", media.image_bytes(1024, 1024, "png", shade=i)) for i in range(good)]
    return media.zip_bytes(members + (bad or []))


def _bulk(scenario: Scenario, dataset_id: int, archive: bytes) -> Any:
    return scenario.bulk_upload(dataset_id, archive)


def _status(scenario: Scenario, dataset_id: int) -> dict[str, Any]:
    return dict(
        expect(
            scenario.api.get(f"{P}/datasets/{dataset_id}/images/bulk-upload/status"),
            200,
            "bulk.async-progress",
            "reading the bulk upload status",
        )
    )


def _finished(scenario: Scenario, dataset_id: int, seen: list[dict[str, Any]]) -> dict[str, Any]:
    def probe() -> dict[str, Any]:
        status = _status(scenario, dataset_id)
        seen.append(status)
        return status

    return dict(
        scenario.wait_for(
            probe,
            lambda s: s.get("status") in ("completed", "failed"),
            "the bulk upload to finish",
            step=1.0,
        )
    )


def _counts_add_up(status: dict[str, Any]) -> None:
    """`total_processed = done + failed` (the bundle's bulk status), checked whenever
    total_processed is given: a count that is left out cannot make up the difference."""
    if "total_processed" not in status:
        return
    done, failed = status.get("done", 0), status.get("failed", 0)
    assert status["total_processed"] == (done or 0) + (failed or 0), (
        f"total_processed must equal done + failed: {status!r}"
    )


@pytest.mark.catalog("bulk.async-progress")
def test_bulk_upload_lifecycle(scenario: Scenario) -> None:
    ds = scenario.dataset(upload_type="advanced")
    expect(
        _bulk(scenario, ds["id"], _archive(3)), 202, "bulk.async-progress", "starting a bulk upload"
    )
    seen: list[dict[str, Any]] = []
    final = _finished(scenario, ds["id"], seen)
    order = {"pending": 0, "processing": 1, "completed": 2, "failed": 2}
    statuses = [s.get("status") for s in seen]
    with rule("bulk.async-progress"):
        ranks = [order.get(str(s), -1) for s in statuses]
        assert ranks == sorted(ranks), (
            f"a bulk job moves pending -> processing -> completed/failed, never back: {statuses}"
        )
        if scenario.target.controls:
            # Read before any time passed: an asynchronous job cannot be finished yet.
            assert statuses[0] in ("pending", "processing"), (
                f"right after the 202 the job is pending or processing, got {statuses[0]!r}"
            )
            assert "processing" in statuses, (
                f"the job must be seen processing before it is done: {statuses}"
            )
        assert final["status"] == "completed", f"a valid archive completes, got {final!r}"
        assert final.get("progress_percentage") == 100, (
            f"a finished upload is at 100%, got {final!r}"
        )
        for status in seen:
            assert status.get("status") in ("pending", "processing", "completed", "failed"), status
            pct = status.get("progress_percentage")
            assert pct is None or 0 <= pct <= 100, f"progress_percentage out of 0-100: {status!r}"
            _counts_add_up(status)
        assert final.get("done") == 3, f"all 3 images are imported, got {final!r}"
    # A finished job stays finished: a later read still says completed, with the same counts.
    scenario.advance(3600)
    again = _status(scenario, ds["id"])
    with rule("bulk.async-progress"):
        assert again.get("status") == "completed" and again.get("done") == final.get("done"), (
            f"a completed bulk upload never goes back: it read {final!r}, then {again!r}"
        )
    # The dataset holds the 3 imported images: its own read and both dataset lists count them.
    readback.shows(scenario, "dataset", ds, "bulk.async-progress", {"images_count": 3})


@pytest.mark.catalog("bulk.advanced-only")
def test_bulk_upload_only_on_advanced(scenario: Scenario) -> None:
    ds = scenario.dataset()
    response = _bulk(scenario, ds["id"], _archive(1))
    expect(response, {400, 409}, "bulk.advanced-only", "a bulk upload to a basic dataset")


@pytest.mark.catalog("bulk.single-attempt")
def test_bulk_upload_once_per_dataset(scenario: Scenario) -> None:
    ds = scenario.dataset(upload_type="advanced")
    expect(
        _bulk(scenario, ds["id"], _archive(1)), 202, "bulk.async-progress", "a first bulk upload"
    )
    # While the first one runs and after it finished, further attempts fail.
    expect(
        _bulk(scenario, ds["id"], _archive(1)),
        {400, 409},
        "bulk.single-attempt",
        "a second bulk upload while the first is in progress",
    )
    _finished(scenario, ds["id"], [])
    expect(
        _bulk(scenario, ds["id"], _archive(1)),
        {400, 409},
        "bulk.single-attempt",
        "a bulk upload after a previous attempt",
    )
    # A clone is a new advanced dataset that no bulk upload touched, but it holds the image:
    # "If the dataset is not empty ... the request will fail."
    clone = expect(
        scenario.api.post(f"{P}/datasets/{ds['id']}/clone", json={}),
        201,
        "dataset.clone-as-draft",
        "cloning the advanced dataset",
    )
    with rule("bulk.single-attempt"):
        assert (
            clone.get("upload_type", "advanced") == "advanced" and clone.get("images_count") == 1
        ), f"the clone of an advanced dataset with one image is advanced and holds it: {clone!r}"
    expect(
        _bulk(scenario, clone["id"], _archive(1)),
        {400, 409},
        "bulk.single-attempt",
        "a bulk upload to an advanced dataset that is not empty",
    )
    images = expect(
        scenario.api.get(f"{P}/datasets/{clone['id']}/images"),
        200,
        "bulk.single-attempt",
        "listing the non-empty dataset's images",
    )
    with rule("bulk.single-attempt"):
        assert len(images) == 1, f"the refused upload added nothing: {images!r}"


@pytest.mark.catalog("bulk.failures-reported")
def test_bulk_upload_lists_failed_members(scenario: Scenario) -> None:
    ds = scenario.dataset(upload_type="advanced")
    bad = [
        ("small.png", media.image_bytes(512, 512, "png", shade=9)),
        ("anim.gif", media.image_bytes(1024, 1024, "gif", shade=8)),
        ("notes.txt.png", b"not an image at all"),
    ]
    expect(
        _bulk(scenario, ds["id"], _archive(2, bad)),
        202,
        "bulk.async-progress",
        "a bulk upload with bad members",
    )
    final = _finished(scenario, ds["id"], [])
    failed = {f.get("filename", "").rsplit("/", 1)[-1]: f for f in final.get("failed_images") or []}
    with rule("bulk.failures-reported"):
        assert {"small.png", "anim.gif", "notes.txt.png"} <= set(failed), (
            f"every invalid member is listed in failed_images with a reason, got {sorted(failed)}"
        )
        for name, item in failed.items():
            assert isinstance(item.get("error_message"), str) and item["error_message"], (
                f"{name}: each failure needs an error_message: {item!r}"
            )
            assert isinstance(item.get("error_code"), int) and not isinstance(
                item.get("error_code"), bool
            ), f"{name}: each failure carries an integer error_code: {item!r}"
        assert final.get("done") == 2 and final.get("failed") == 3, (
            f"2 imported, 3 failed expected: {final!r}"
        )
        _counts_add_up(final)
    images = body(scenario.api.get(f"{P}/datasets/{ds['id']}/images"))
    with rule("bulk.failures-reported"):
        assert isinstance(images, list) and len(images) == 2, (
            f"only the valid members are imported: {images!r}"
        )
    # Every route counts the imported members only.
    readback.shows(scenario, "dataset", ds, "bulk.failures-reported", {"images_count": 2})


@pytest.mark.catalog("bulk.without-schema")
def test_bulk_upload_without_visual_schema(scenario: Scenario) -> None:
    ds = scenario.dataset(upload_type="advanced")
    with rule("bulk.without-schema"):
        assert ds.get("visual_schema") is None, f"a new dataset has no visual schema: {ds!r}"
    expect(
        _bulk(scenario, ds["id"], _archive(2)),
        202,
        "bulk.without-schema",
        "a bulk upload to an advanced dataset whose visual_schema is null",
    )
    final = _finished(scenario, ds["id"], [])
    images = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        "bulk.without-schema",
        "listing the imported images",
    )
    with rule("bulk.without-schema"):
        assert final.get("status") == "completed" and len(images) == 2, (
            f"the images are uploaded although no schema is set: {final!r}, {images!r}"
        )
        captioned = [i for i in images if i.get("caption") is not None]
        assert not captioned, (
            f"caption generation is skipped without a visual schema, got captions: {captioned!r}"
        )
    # "You must call Regenerate All Captions after defining the schema."
    scenario.set_visual_schema(ds["id"])
    expect(
        scenario.api.put(f"{P}/datasets/{ds['id']}/images"),
        202,
        "captions.regenerate-all-async",
        "regenerating all captions once the schema is set",
    )
    scenario.wait_for(
        lambda: expect(
            scenario.api.get(f"{P}/datasets/{ds['id']}"),
            200,
            "captions.regenerate-all-async",
            "reading the dataset while captions regenerate",
        ),
        lambda d: d.get("captions_update_status") == "completed",
        "the captions to regenerate",
        step=1.0,
    )
    images = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        "bulk.without-schema",
        "listing the images after regeneration",
    )
    with rule("bulk.without-schema"):
        missing = [i.get("id") for i in images if not isinstance(i.get("caption"), str)]
        assert not missing, f"after Regenerate All Captions every image has a caption: {missing}"


def _failed_names(final: dict[str, Any]) -> dict[str, Any]:
    return {f.get("filename", "").rsplit("/", 1)[-1]: f for f in final.get("failed_images") or []}


@pytest.mark.catalog("bulk.moderation")
def test_bulk_upload_moderation(scenario: Scenario) -> None:
    probe = scenario.target.moderation_probe
    if not probe:
        pytest.skip(NO_MODERATION_TRIGGER)
    # Trailing bytes after a PNG's end are ignored by decoders; moderation sees the marker.
    unsafe = media.image_bytes(1024, 1024, "png", shade=7) + probe.encode()
    archive = _archive(1, [("unsafe.png", unsafe)])
    moderated = scenario.dataset(upload_type="advanced")
    expect(
        scenario.bulk_upload(moderated["id"], archive, {"content_moderation": True}),
        202,
        "bulk.moderation",
        "a bulk upload with content_moderation on and one member that fails moderation",
    )
    final = _finished(scenario, moderated["id"], [])
    images = expect(
        scenario.api.get(f"{P}/datasets/{moderated['id']}/images"),
        200,
        "bulk.moderation",
        "listing the moderated upload's images",
    )
    with rule("bulk.moderation"):
        assert "unsafe.png" in _failed_names(final), (
            f"a member that fails moderation is skipped and listed in failed_images: {final!r}"
        )
        assert len(images) == 1, f"only the safe member is imported: {images!r}"
    readback.shows(scenario, "dataset", moderated, "bulk.moderation", {"images_count": 1})
    unmoderated = scenario.dataset(upload_type="advanced")
    expect(
        _bulk(scenario, unmoderated["id"], archive),
        202,
        "bulk.moderation",
        "the same archive with content_moderation off (the default)",
    )
    final = _finished(scenario, unmoderated["id"], [])
    with rule("bulk.moderation"):
        assert final.get("done") == 2 and not final.get("failed_images"), (
            f"without moderation both members are imported: {final!r}"
        )


@pytest.mark.catalog("bulk.caption-files")
def test_bulk_upload_with_caption_files(scenario: Scenario) -> None:
    caption = '{"subject": "a red cube on a table"}'
    members = [
        ("img0.png", media.image_bytes(1024, 1024, "png", shade=0)),
        ("img0.txt", caption.encode()),
        ("img1.png", media.image_bytes(1024, 1024, "png", shade=1)),
    ]
    ds = scenario.dataset(upload_type="advanced")
    scenario.set_visual_schema(ds["id"])
    expect(
        scenario.bulk_upload(ds["id"], media.zip_bytes(members), {"automatic_captioning": False}),
        202,
        "bulk.caption-files",
        "a bulk upload with automatic_captioning false and one caption file",
    )
    final = _finished(scenario, ds["id"], [])
    images = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        "bulk.caption-files",
        "listing the imported images",
    )
    with rule("bulk.caption-files"):
        assert "img1.png" in _failed_names(final), (
            f"an image without its .txt caption is skipped and reported: {final!r}"
        )
        assert len(images) == 1, f"only the captioned image is imported: {images!r}"
        assert images[0].get("caption") == caption, (
            f"the image's caption is its .txt file's text {caption!r}, got {images[0]!r}"
        )
        assert images[0].get("caption_source") == "manual", (
            f"a caption from a caption file is not automatic: {images[0]!r}"
        )


def _captioned_upload(scenario: Scenario, automatic: bool) -> dict[str, Any]:
    """An advanced dataset with a visual schema, bulk-filled with two images."""
    members = [(f"img{i}.png", media.image_bytes(1024, 1024, "png", shade=i)) for i in range(2)]
    if not automatic:
        members += [(f"img{i}.txt", b'{"subject": "a cube"}') for i in range(2)]
    ds = scenario.dataset(upload_type="advanced")
    scenario.set_visual_schema(ds["id"])
    expect(
        scenario.bulk_upload(
            ds["id"],
            media.zip_bytes(members),
            None if automatic else {"automatic_captioning": False},
        ),
        202,
        "bulk.caption-files",
        f"a bulk upload with {'automatic captions' if automatic else 'caption files'}",
    )
    final = _finished(scenario, ds["id"], [])
    with rule("bulk.caption-files"):
        assert final.get("done") == 2, f"both images are imported: {final!r}"
    return ds


@pytest.mark.catalog("bulk.caption-files", "dataset.download-captions-url")
def test_dataset_download_names_captions_only_when_all_are_automatic(scenario: Scenario) -> None:
    automatic = _captioned_upload(scenario, automatic=True)
    images = expect(
        scenario.api.get(f"{P}/datasets/{automatic['id']}/images"),
        200,
        "bulk.caption-files",
        "listing the automatically captioned images",
    )
    with rule("bulk.caption-files"):
        sources = [(i.get("caption_source"), isinstance(i.get("caption"), str)) for i in images]
        assert sources == [("automatic", True)] * 2, (
            "automatic_captioning true (the default) captions every image automatically: "
            f"{images!r}"
        )
    result = expect(
        scenario.api.get(f"/v1/datasets/{automatic['id']}/download"),
        200,
        "dataset.download-captions-url",
        "downloading an advanced dataset whose captions are all automatic",
    )
    with rule("dataset.download-captions-url"):
        assert isinstance(result.get("captions_url"), str) and result["captions_url"], (
            f"captions_url is returned when all captions are automatically generated: {result!r}"
        )
        assert fetch_bytes(scenario, result["captions_url"]), "the captions_url serves a file"
    manual = _captioned_upload(scenario, automatic=False)
    result = expect(
        scenario.api.get(f"/v1/datasets/{manual['id']}/download"),
        200,
        "dataset.download-captions-url",
        "downloading an advanced dataset whose captions came from caption files",
    )
    with rule("dataset.download-captions-url"):
        assert result.get("captions_url") is None, (
            "captions_url is returned only for datasets where all captions are automatically "
            f"generated: {result!r}"
        )

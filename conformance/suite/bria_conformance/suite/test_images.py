"""Single-image uploads: formats, resolution rules, preprocessing, the 200 cap, captions."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from bria_conformance import media, readback
from bria_conformance.scenario import NO_MODERATION_TRIGGER, P, Scenario, expect, is_json_text, rule

from .test_training import fetch_bytes


def _nothing_stored(scenario: Scenario, ds: dict[str, Any], entry: str, why: str) -> None:
    """After a refused upload the dataset lists no image, and its own read and both dataset
    lists count none."""
    listed = expect(
        scenario.api.get(f"{P}/datasets/{ds['id']}/images"),
        200,
        entry,
        f"listing the images after {why}",
    )
    with rule(entry):
        assert listed == [], f"{why} must store nothing, yet the dataset lists {listed!r}"
    readback.shows(scenario, "dataset", ds, entry, {"images_count": 0})


def _count(scenario: Scenario, dataset_id: int) -> int:
    ds = expect(
        scenario.api.get(f"{P}/datasets/{dataset_id}"),
        200,
        "op.get-dataset-by-id.responses",
        "reading it",
    )
    return int(ds.get("images_count", -1))


@pytest.mark.catalog("image.supported-formats")
@pytest.mark.parametrize("fmt", ["jpg", "jpeg", "png", "webp"])
def test_supported_formats_are_accepted(scenario: Scenario, fmt: str) -> None:
    ds = scenario.dataset()
    image = expect(
        scenario.upload(ds["id"], 1024, 1024, fmt),
        201,
        "image.supported-formats",
        f"uploading a 1024x1024 {fmt}",
    )
    with rule("image.supported-formats"):
        assert isinstance(image.get("id"), int) and image.get("dataset_id") == ds["id"], image


@pytest.mark.catalog("image.supported-formats")
@pytest.mark.parametrize("fmt", ["gif", "bmp", "not-an-image"])
def test_unsupported_format_is_refused(scenario: Scenario, fmt: str) -> None:
    ds = scenario.dataset()
    if fmt == "not-an-image":
        files = {"file": ("notes.png", b"this is plain text, not a picture" * 40, "image/png")}
        response = scenario.api.post(f"{P}/datasets/{ds['id']}/images", files=files)
    else:
        response = scenario.upload(ds["id"], 1024, 1024, fmt)
    allowed = {415} if fmt != "not-an-image" else {400, 415, 422}
    expect(response, allowed, "image.supported-formats", f"uploading a {fmt}")
    _nothing_stored(scenario, ds, "image.supported-formats", f"a refused {fmt} upload")


@pytest.mark.catalog("image.min-resolution")
@pytest.mark.parametrize("size", [(255, 255), (255, 1024), (1024, 200)])
def test_too_small_image_is_refused(scenario: Scenario, size: tuple[int, int]) -> None:
    ds = scenario.dataset()
    expect(
        scenario.upload(ds["id"], size[0], size[1], "png"),
        412,
        "image.min-resolution",
        f"uploading a {size[0]}x{size[1]} image (below 256 px)",
    )
    _nothing_stored(scenario, ds, "image.min-resolution", "a refused (too small) upload")


@pytest.mark.catalog("image.min-resolution")
@pytest.mark.parametrize("size", [(256, 256), (512, 700)])
def test_small_image_is_upscaled(scenario: Scenario, size: tuple[int, int]) -> None:
    ds = scenario.dataset()
    image = expect(
        scenario.upload(ds["id"], size[0], size[1], "png"),
        201,
        "image.min-resolution",
        f"uploading a {size[0]}x{size[1]} image with the default increase_resolution=true",
    )
    stored = media.image_size(_stored_bytes(scenario, image, "image.min-resolution"))
    with rule("image.min-resolution"):
        assert min(stored) >= 1024, (
            f"a {size[0]}x{size[1]} upload is upscaled to meet the 1024 px threshold, "
            f"stored as {stored[0]}x{stored[1]}"
        )


@pytest.mark.catalog("image.strict-resolution")
def test_strict_resolution_without_upscale(scenario: Scenario) -> None:
    ds = scenario.dataset()
    expect(
        scenario.upload(ds["id"], 1023, 1400, "png", increase_resolution="false"),
        412,
        "image.strict-resolution",
        "a 1023x1400 image with increase_resolution=false",
    )
    expect(
        scenario.upload(ds["id"], 1024, 1024, "png", increase_resolution="false"),
        201,
        "image.strict-resolution",
        "a 1024x1024 image with increase_resolution=false",
    )


@pytest.mark.catalog("image.preprocess-square-1024")
@pytest.mark.parametrize("size", [(1600, 1200), (300, 900)])
def test_stored_image_is_1024_square(scenario: Scenario, size: tuple[int, int]) -> None:
    ds = scenario.dataset()
    files = {"file": ("gradient.png", media.gradient_png(*size), "image/png")}
    image = expect(
        scenario.api.post(f"{P}/datasets/{ds['id']}/images", files=files),
        201,
        "image.preprocess-square-1024",
        f"uploading a {size[0]}x{size[1]} image",
    )
    url = image.get("image_url")
    if not isinstance(url, str) or not url:
        with rule("image.preprocess-square-1024"):
            raise AssertionError(
                f"an uploaded image needs an image_url to fetch it from: {image!r}"
            )
    if url.startswith(scenario.target.base_url) or url.startswith("/"):
        fetched = scenario.http.get(
            httpx.URL(url).raw_path.decode() if url.startswith("http") else url
        )
    else:
        fetched = httpx.get(url, timeout=30)
    with rule("image.preprocess-square-1024"):
        assert fetched.status_code == 200, f"image_url answered {fetched.status_code}"
        assert media.image_size(fetched.content) == (1024, 1024), (
            f"a {size[0]}x{size[1]} upload is stored as {media.image_size(fetched.content)}, "
            "expected a "
            "1024x1024 centre crop after resizing the short side to 1024"
        )
        # The upload's red rises along x and its green along y: each stored pixel's colour says
        # where it came from. Short side resized to 1024 (no squash), long side centre-cropped.
        for x, y in ((0, 0), (512, 512), (1023, 1023), (0, 1023), (1023, 0)):
            fx, fy = media.square_crop_source(size[0], size[1], 1024, x, y)
            want = (255 * fx, 255 * fy)
            got = media.pixel(fetched.content, x, y)[:2]
            assert all(abs(g - w) <= 12 for g, w in zip(got, want, strict=True)), (
                f"stored pixel ({x}, {y}) of a {size[0]}x{size[1]} upload has red/green {got}, "
                f"expected about ({want[0]:.0f}, {want[1]:.0f}): the short side is resized to "
                "1024 and the long side centre-cropped (no squashing, no off-centre crop)"
            )


def _stored_bytes(scenario: Scenario, image: dict[str, Any], entry: str) -> bytes:
    url = image.get("image_url")
    with rule(entry):
        assert isinstance(url, str) and url, f"an uploaded image needs an image_url: {image!r}"
    try:
        return fetch_bytes(scenario, url)
    except AssertionError:
        with rule(entry):
            raise


@pytest.mark.catalog("image.transparency-to-black")
def test_transparent_background_becomes_black(scenario: Scenario) -> None:
    ds = scenario.dataset()
    files = {"file": ("transparent.png", media.transparent_png(1024, 1024), "image/png")}
    image = expect(
        scenario.api.post(f"{P}/datasets/{ds['id']}/images", files=files),
        201,
        "image.transparency-to-black",
        "uploading a PNG with a transparent half",
    )
    stored = _stored_bytes(scenario, image, "image.transparency-to-black")
    left, right = media.pixel(stored, 100, 512), media.pixel(stored, 924, 512)
    with rule("image.transparency-to-black"):
        assert max(left) <= 16, f"transparent pixels are converted to black, got {left}"
        assert min(right) >= 239, f"opaque white pixels stay white, got {right}"


@pytest.mark.catalog("image.basic-cap-200")
def test_basic_dataset_cap_200(scenario: Scenario) -> None:
    ds = scenario.dataset()
    for i in range(200):
        expect(
            scenario.upload(ds["id"], 256, 256, "jpg", shade=i),
            201,
            "image.basic-cap-200",
            f"uploading image {i + 1} of 200",
        )
    expect(
        scenario.upload(ds["id"], 256, 256, "jpg", shade=999),
        409,
        "image.basic-cap-200",
        "uploading a 201st image to a basic dataset",
    )
    with rule("image.basic-cap-200"):
        assert _count(scenario, ds["id"]) == 200, "the image count must stay at 200"


@pytest.mark.catalog("image.file-or-url")
def test_upload_requires_file_or_url(scenario: Scenario) -> None:
    ds = scenario.dataset()
    expect(
        scenario.api.post(f"{P}/datasets/{ds['id']}/images", json={"image_name": "nothing"}),
        400,
        "image.file-or-url",
        "an upload with neither file nor image_url",
    )
    expect(
        scenario.api.post(
            f"{P}/datasets/{ds['id']}/images",
            data={"image_name": "nothing"},
            files={"other": ("x.txt", b"x", "text/plain")},
        ),
        400,
        "image.file-or-url",
        "a multipart upload without a file",
    )


@pytest.mark.catalog("image.basic-upload-only")
def test_upload_to_advanced_dataset_is_refused(scenario: Scenario) -> None:
    ds = scenario.dataset(upload_type="advanced")
    expect(
        scenario.upload(ds["id"], 1024, 1024, "png"),
        {400, 409},
        "image.basic-upload-only",
        "a single-image upload to an advanced dataset",
    )
    _nothing_stored(
        scenario, ds, "image.basic-upload-only", "a refused upload to an advanced dataset"
    )


def _draft_image(scenario: Scenario, with_schema: bool = True) -> tuple[int, dict[str, object]]:
    ds = scenario.dataset()
    if with_schema:
        expect(
            scenario.api.put(
                f"{P}/datasets/{ds['id']}", json={"visual_schema": json.dumps({"style": "flat"})}
            ),
            200,
            "dataset.completed-freezes-visual-schema",
            "setting a visual schema on a draft",
        )
    image = expect(
        scenario.upload(ds["id"], 256, 256, "jpg"),
        201,
        "image.min-resolution",
        "uploading an image",
    )
    return int(ds["id"]), image


@pytest.mark.catalog("image.manual-caption")
def test_manual_caption(scenario: Scenario) -> None:
    dataset_id, image = _draft_image(scenario)
    caption = json.dumps({"subject": "a blue robot", "style": "flat"})
    path = f"{P}/datasets/{dataset_id}/images/{image['id']}"
    updated = expect(
        scenario.api.put(path, json={"caption": caption}),
        200,
        "image.manual-caption",
        "setting a caption",
    )
    fetched = expect(scenario.api.get(path), 200, "image.manual-caption", "reading the image")
    with rule("image.manual-caption"):
        assert updated.get("caption") == caption and fetched.get("caption") == caption, (
            updated,
            fetched,
        )
        assert fetched.get("caption_source") == "manual", (
            f"caption_source must be manual, got {fetched.get('caption_source')!r}"
        )
    # The image list shows the stored caption too.
    readback.shows(
        scenario,
        "image",
        {**image, "dataset_id": dataset_id},
        "image.manual-caption",
        {"caption": caption, "caption_source": "manual"},
    )


@pytest.mark.catalog("image.caption-regeneration")
def test_regenerated_caption_is_deterministic(scenario: Scenario) -> None:
    dataset_id, image = _draft_image(scenario)
    path = f"{P}/datasets/{dataset_id}/images/{image['id']}"
    expect(
        scenario.api.put(path, json={"caption": json.dumps({"subject": "manual"})}),
        200,
        "image.manual-caption",
        "setting a manual caption",
    )
    first = expect(
        scenario.api.put(path, json={"regenerate_caption": True}),
        200,
        "image.caption-regeneration",
        "regenerating a caption",
    )
    second = expect(
        scenario.api.put(path, json={"regenerate_caption": True}),
        200,
        "image.caption-regeneration",
        "regenerating it again",
    )
    fetched = expect(scenario.api.get(path), 200, "image.caption-regeneration", "reading it back")
    with rule("image.caption-regeneration"):
        for where, image in (("the answer", first), ("a later read", fetched)):
            assert image.get("caption_source") == "automatic", (
                f"{where}: caption_source must be automatic, got {image.get('caption_source')!r}"
            )
            assert is_json_text(image.get("caption")), (
                f"{where}: an automatic caption is a JSON structure like every caption, got "
                f"{image.get('caption')!r}"
            )
        assert first.get("caption") == second.get("caption"), (
            "the same visual schema must give the same caption: "
            f"{first.get('caption')!r} vs {second.get('caption')!r}"
        )
    readback.shows(
        scenario,
        "image",
        {**image, "dataset_id": dataset_id},
        "image.caption-regeneration",
        {"caption": second.get("caption"), "caption_source": "automatic"},
    )


@pytest.mark.catalog("image.caption-exclusive")
def test_caption_and_regenerate_are_exclusive(scenario: Scenario) -> None:
    dataset_id, image = _draft_image(scenario)
    path = f"{P}/datasets/{dataset_id}/images/{image['id']}"
    before = expect(scenario.api.get(path), 200, "image.caption-exclusive", "reading the image")
    expect(
        scenario.api.put(path, json={"caption": json.dumps({"a": 1}), "regenerate_caption": True}),
        400,
        "image.caption-exclusive",
        "sending caption and regenerate_caption together",
    )
    # A refused update changes the caption nowhere: the image's own read and the image list.
    readback.shows(
        scenario,
        "image",
        {**image, "dataset_id": dataset_id},
        "image.caption-exclusive",
        {"caption": before.get("caption")},
    )


@pytest.mark.catalog("image.caption-json")
@pytest.mark.parametrize("caption", ["a plain sentence, not JSON", "{broken json"])
def test_caption_must_be_json(scenario: Scenario, caption: str) -> None:
    dataset_id, image = _draft_image(scenario)
    path = f"{P}/datasets/{dataset_id}/images/{image['id']}"
    expect(
        scenario.api.put(path, json={"caption": caption}),
        400,
        "image.caption-json",
        f"setting the non-JSON caption {caption!r}",
    )
    # A refused caption is stored nowhere: the image's own read and the image list.
    readback.shows(
        scenario,
        "image",
        {**image, "dataset_id": dataset_id},
        "image.caption-json",
        {"caption": image.get("caption")},
    )


@pytest.mark.catalog("image.caption-needs-visual-schema")
def test_caption_follows_visual_schema(scenario: Scenario) -> None:
    _, plain = _draft_image(scenario, with_schema=False)
    _, with_schema = _draft_image(scenario, with_schema=True)
    with rule("image.caption-needs-visual-schema"):
        assert plain.get("caption") is None, (
            f"without a visual schema the caption is null, got {plain.get('caption')!r}"
        )
        assert is_json_text(with_schema.get("caption")), (
            "with a visual schema an uploaded image gets a caption (a JSON structure), got "
            f"{with_schema.get('caption')!r}"
        )
        assert with_schema.get("caption_source") == "automatic", (
            f"a caption generated on upload is automatic, got {with_schema.get('caption_source')!r}"
        )


@pytest.mark.catalog("image.deleted-is-gone")
def test_image_delete_removes_it(scenario: Scenario) -> None:
    dataset_id, image = _draft_image(scenario)
    other = expect(
        scenario.upload(dataset_id, 256, 256, "jpg", shade=3),
        201,
        "image.min-resolution",
        "uploading",
    )
    path = f"{P}/datasets/{dataset_id}/images/{image['id']}"
    expect(scenario.api.delete(path), 204, "image.deleted-is-gone", "deleting an image")
    expect(scenario.api.get(path), 404, "image.deleted-is-gone", "reading a deleted image")
    listed = expect(
        scenario.api.get(f"{P}/datasets/{dataset_id}/images"),
        200,
        "image.deleted-is-gone",
        "listing",
    )
    with rule("image.deleted-is-gone"):
        assert [i["id"] for i in listed] == [other["id"]], (
            f"listed after delete: {[i['id'] for i in listed]}"
        )
        assert _count(scenario, dataset_id) == 1, "images_count must drop by one"
    dataset = expect(
        scenario.api.get(f"{P}/datasets/{dataset_id}"), 200, "image.deleted-is-gone", "reading it"
    )
    readback.shows(scenario, "dataset", dataset, "image.deleted-is-gone", {"images_count": 1})


def _unsafe_png(scenario: Scenario) -> bytes:
    probe = scenario.target.moderation_probe
    if not probe:
        pytest.skip(NO_MODERATION_TRIGGER)
    # Trailing bytes after a PNG's end are ignored by decoders; moderation sees the marker.
    return media.image_bytes(256, 256, "png", shade=5) + probe.encode()


@pytest.mark.catalog("image.moderation")
def test_upload_moderation_refusal(scenario: Scenario) -> None:
    data = _unsafe_png(scenario)
    ds = scenario.dataset()
    path = f"{P}/datasets/{ds['id']}/images"
    files = {"file": ("unsafe.png", data, "image/png")}
    expect(
        scenario.api.post(path, files=files, data={"content_moderation": "true"}),
        422,
        "image.moderation",
        "uploading an image that fails moderation with content_moderation on",
    )
    _nothing_stored(scenario, ds, "image.moderation", "an upload refused by moderation")
    expect(
        scenario.api.post(path, files=files),
        201,
        "image.moderation",
        "the same image with content_moderation off (the default)",
    )


@pytest.mark.catalog("image.unreachable-url")
def test_unreachable_image_url(scenario: Scenario) -> None:
    ds = scenario.dataset()
    # Port 9 (discard) on the loopback: nothing serves it, the fetch fails at once.
    url = "http://127.0.0.1:9/missing.png"
    response = scenario.api.post(f"{P}/datasets/{ds['id']}/images", json={"image_url": url})
    expect(
        response,
        {422, 460},
        "image.unreachable-url",
        f"uploading from an image_url nothing serves ({url})",
    )
    _nothing_stored(scenario, ds, "image.unreachable-url", "an image_url that could not be fetched")

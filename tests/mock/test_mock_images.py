"""Image rules (catalog entries image.*): real decoding, resolution, preprocessing, captions."""

from __future__ import annotations

import json

import pytest
from bria_mock import MockConfig
from mock_helpers import Api, decode, image_bytes

pytestmark = pytest.mark.anyio

DATASETS = "/v1/tailored-gen/datasets"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
async def test_supported_formats_are_stored_as_1024_squares(api: Api, fmt: str) -> None:
    ds = await api.dataset()
    r = await api.upload(ds["id"], image_bytes(1024, 1024, fmt), name=f"x.{fmt.lower()}")
    assert r.status_code == 201, r.text
    stored = decode((await api.fetch(r.json()["image_url"])).content)
    assert stored.size == (1024, 1024)
    thumb = decode((await api.fetch(r.json()["thumbnail_url"])).content)
    assert max(thumb.size) <= 256


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
async def test_other_image_formats_are_refused_with_415(api: Api, fmt: str) -> None:
    ds = await api.dataset()
    r = await api.upload(
        ds["id"],
        image_bytes(
            1024,
            1024,
            fmt,
            mode="RGB" if fmt != "GIF" else "P",
            color=(3,) if fmt == "GIF" else (1, 2, 3),
        ),
    )
    assert r.status_code == 415
    assert "supported" in r.json()["error"]["message"]
    assert (await api.c.get(f"{DATASETS}/{ds['id']}")).json()["images_count"] == 0


async def test_non_image_bytes_are_refused(api: Api) -> None:
    ds = await api.dataset()
    r = await api.upload(ds["id"], b"%PDF-1.4 this is not an image", name="doc.png")
    assert r.status_code == 415
    r = await api.upload(ds["id"], image_bytes()[:200], name="truncated.png")
    assert r.status_code == 415


async def test_resize_short_side_then_centre_crop(api: Api) -> None:
    ds = await api.dataset()
    # 2048x1024: left quarter red, middle half green, right quarter blue
    import io

    from PIL import Image

    img = Image.new("RGB", (2048, 1024), (0, 255, 0))
    img.paste((255, 0, 0), (0, 0, 512, 1024))
    img.paste((0, 0, 255), (1536, 0, 2048, 1024))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    r = await api.upload(ds["id"], buf.getvalue())
    assert r.status_code == 201
    stored = decode((await api.fetch(r.json()["image_url"])).content).convert("RGB")
    assert stored.size == (1024, 1024)
    # the centred crop keeps only the green middle half
    for x in (5, 512, 1018):
        assert stored.getpixel((x, 512)) == (0, 255, 0)


async def test_small_images_are_upscaled_down_to_256(api: Api) -> None:
    ds = await api.dataset()
    r = await api.upload(ds["id"], image_bytes(256, 400))
    assert r.status_code == 201
    assert decode((await api.fetch(r.json()["image_url"])).content).size == (1024, 1024)
    r = await api.upload(ds["id"], image_bytes(255, 1024))
    assert r.status_code == 412 and "256" in r.json()["error"]["message"]


async def test_increase_resolution_false_enforces_1024(api: Api) -> None:
    ds = await api.dataset()
    r = await api.upload(ds["id"], image_bytes(1023, 2000), increase_resolution="false")
    assert r.status_code == 412 and "1024" in r.json()["error"]["message"]
    r = await api.upload(ds["id"], image_bytes(1024, 1500), increase_resolution="false")
    assert r.status_code == 201


async def test_transparency_becomes_black(api: Api) -> None:
    ds = await api.dataset()
    r = await api.upload(
        ds["id"], image_bytes(1024, 1024, "PNG", mode="RGBA", color=(255, 255, 255, 0))
    )
    assert r.status_code == 201
    stored = decode((await api.fetch(r.json()["image_url"])).content).convert("RGB")
    assert stored.getpixel((500, 500)) == (0, 0, 0)


async def test_file_or_url_exactly_one(api: Api) -> None:
    ds = await api.dataset()
    r = await api.c.post(f"{DATASETS}/{ds['id']}/images", json={"image_name": "x"})
    assert r.status_code == 400
    r = await api.c.post(f"{DATASETS}/{ds['id']}/images", files={"image_name": (None, "x")})
    assert r.status_code == 400 and "file" in r.json()["error"]["message"]
    r = await api.c.post(f"{DATASETS}/{ds['id']}/images", data={"image_name": "x"})
    assert r.status_code == 415  # a form without a file is not an accepted content type


async def test_upload_by_url_from_the_mock_itself(api: Api) -> None:
    ds = await api.dataset()
    hosted = await api.c.post(
        "/_mock/files", content=image_bytes(), params={"filename": "pose.png"}
    )
    url = hosted.json()["url"]
    r = await api.c.post(f"{DATASETS}/{ds['id']}/images", json={"image_url": url})
    assert r.status_code == 201, r.text
    assert r.json()["image_name"] == "pose.png"
    assert r.json()["upload_source_url"] == url


async def test_upload_by_url_elsewhere_is_not_fetched(api: Api) -> None:
    ds = await api.dataset()
    r = await api.c.post(
        f"{DATASETS}/{ds['id']}/images",
        json={"image_url": "http://169.254.169.254/latest/meta-data"},
    )
    assert r.status_code == 422
    assert "--allow-url" in r.json()["error"]["message"]


async def test_only_basic_datasets_take_single_uploads(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    r = await api.upload(ds["id"])
    assert r.status_code == 400 and "bulk" in r.json()["error"]["message"]


async def test_moderation_refuses_flagged_images_when_asked(api: Api, config: MockConfig) -> None:
    ds = await api.dataset()
    flagged = image_bytes(extra=config.moderation_marker.encode())
    assert (await api.upload(ds["id"], flagged, content_moderation="true")).status_code == 422
    assert (await api.upload(ds["id"], flagged)).status_code == 201  # moderation is off by default


async def test_caption_rules(api: Api) -> None:
    ds = await api.dataset()
    await api.set_schema(ds["id"])
    img = (await api.upload(ds["id"])).json()
    assert img["caption_source"] == "automatic" and json.loads(img["caption"])
    path = f"{DATASETS}/{ds['id']}/images/{img['id']}"
    both = await api.c.put(path, json={"caption": '{"a": 1}', "regenerate_caption": True})
    assert both.status_code == 400
    assert (await api.c.put(path, json={})).status_code == 400
    assert (await api.c.put(path, json={"caption": "plain words"})).status_code == 400
    manual = await api.c.put(path, json={"caption": '{"subject": "cat"}'})
    assert manual.status_code == 200
    assert (
        manual.json()["caption_source"] == "manual"
        and manual.json()["caption"] == '{"subject": "cat"}'
    )
    regen = await api.c.put(path, json={"regenerate_caption": True})
    assert regen.json()["caption_source"] == "automatic"
    assert regen.json()["caption"] == img["caption"]  # same schema, same image: same caption
    await api.set_schema(ds["id"], '{"style_medium": "watercolor"}')
    changed = await api.c.put(path, json={"regenerate_caption": True})
    assert changed.json()["caption"] != img["caption"]


async def test_delete_image(api: Api) -> None:
    ds = await api.dataset()
    img = (await api.upload(ds["id"])).json()
    path = f"{DATASETS}/{ds['id']}/images/{img['id']}"
    assert (await api.c.delete(path)).status_code == 204
    assert (await api.c.get(path)).status_code == 404
    assert (await api.c.get(f"{DATASETS}/{ds['id']}/images")).json() == []
    assert (await api.c.get(f"{DATASETS}/{ds['id']}")).json()["images_count"] == 0
    assert (await api.fetch(img["image_url"])).status_code == 404


async def test_image_of_another_dataset_is_404(api: Api) -> None:
    a, b = await api.dataset(), await api.dataset()
    img = (await api.upload(a["id"])).json()
    assert (await api.c.get(f"{DATASETS}/{b['id']}/images/{img['id']}")).status_code == 404


@pytest.mark.parametrize("config", [MockConfig(max_basic_images=3)])
async def test_cap_is_enforced(api: Api, config: MockConfig) -> None:
    ds = await api.dataset()
    for i in range(3):
        assert (await api.upload(ds["id"], image_bytes(color=(i, 0, 0)))).status_code == 201
    r = await api.upload(ds["id"])
    assert r.status_code == 409 and "maximum of 3" in r.json()["error"]["message"]


@pytest.mark.parametrize("config", [MockConfig(max_image_bytes=10_000)])
async def test_oversized_upload_is_refused(api: Api, config: MockConfig) -> None:
    ds = await api.dataset()
    big = image_bytes(1024, 1024, extra=b"\0" * 20_000)
    r = await api.upload(ds["id"], big)
    assert r.status_code == 400 and "larger than" in r.json()["error"]["message"]

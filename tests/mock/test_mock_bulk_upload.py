"""Bulk upload (catalog entries bulk.*): real zip processing, failure report, safety limits."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from bria_mock import MockConfig
from mock_helpers import Api, image_bytes, zip_bytes

pytestmark = pytest.mark.anyio

DATASETS = "/v1/tailored-gen/datasets"


async def _bulk(api: Api, dataset_id: int, archive: bytes) -> tuple[int, dict[str, object] | None]:
    r = await api.c.post(
        f"{DATASETS}/{dataset_id}/images/bulk-upload",
        files={"file": ("set.zip", archive, "application/zip")},
    )
    return r.status_code, (r.json() if r.content else None)


async def _status(api: Api, dataset_id: int) -> dict[str, object]:
    r = await api.c.get(f"{DATASETS}/{dataset_id}/images/bulk-upload/status")
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_members_processed_with_progress_and_failure_report(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    archive = zip_bytes(
        {
            "good1.png": image_bytes(1024, 1024),
            "nested/good2.jpg": image_bytes(1200, 1100, "JPEG"),
            "small.png": image_bytes(800, 800),
            "anim.gif": image_bytes(1024, 1024, "GIF", mode="P", color=(1,)),
            "notes.pdf": b"%PDF-1.4",
            "broken.webp": b"RIFF0000WEBPVP8 garbage",
            "__MACOSX/._good1.png": b"resource fork",
        }
    )
    status, _ = await _bulk(api, ds["id"], archive)
    assert status == 202
    first = await _status(api, ds["id"])
    assert first["status"] == "pending" and first["progress_percentage"] == 0
    await api.advance(2)
    mid = await _status(api, ds["id"])
    assert mid["status"] == "processing"
    assert 0 < int(mid["progress_percentage"]) < 100  # type: ignore[call-overload]
    await api.advance(60)
    done = await _status(api, ds["id"])
    assert done["status"] == "completed" and done["progress_percentage"] == 100
    assert done["done"] == 2 and done["failed"] == 4
    assert done["total_processed"] == 6
    reasons = {f["filename"]: f for f in done["failed_images"]}  # type: ignore[union-attr]
    assert set(reasons) == {"small.png", "anim.gif", "notes.pdf", "broken.webp"}
    assert reasons["small.png"]["error_code"] == 412
    assert "1024" in reasons["small.png"]["error_message"]
    assert reasons["anim.gif"]["error_code"] == 415
    images = (await api.c.get(f"{DATASETS}/{ds['id']}/images")).json()
    assert sorted(i["image_name"] for i in images) == ["good1.png", "good2.jpg"]


async def test_status_before_any_upload_is_404(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    assert (await api.c.get(f"{DATASETS}/{ds['id']}/images/bulk-upload/status")).status_code == 404


async def test_one_attempt_per_dataset(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    archive = zip_bytes({"a.png": image_bytes()})
    assert (await _bulk(api, ds["id"], archive))[0] == 202
    status, body = await _bulk(api, ds["id"], archive)
    assert status == 400 and "only one attempt" in str(body)
    await api.advance(60)
    assert (await _bulk(api, ds["id"], archive))[0] == 400


async def test_rejected_archive_does_not_use_up_the_attempt(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    assert (await _bulk(api, ds["id"], b"this is not a zip"))[0] == 400
    assert (await _bulk(api, ds["id"], zip_bytes({"a.png": image_bytes()})))[0] == 202


async def test_basic_dataset_refuses_bulk_upload(api: Api) -> None:
    ds = await api.dataset()
    status, body = await _bulk(api, ds["id"], zip_bytes({"a.png": image_bytes()}))
    assert status == 400 and "advanced" in str(body)


async def test_all_members_failing_marks_the_job_failed(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    assert (await _bulk(api, ds["id"], zip_bytes({"x.txt": b"caption only", "y.doc": b"doc"})))[
        0
    ] == 202
    await api.advance(60)
    assert (await _status(api, ds["id"]))["status"] == "failed"


async def test_captions_from_txt_files_when_automatic_captioning_is_off(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    archive = zip_bytes(
        {
            "a.png": image_bytes(),
            "a.txt": b'{"subject": "a"}',
            "b.png": image_bytes(color=(0, 0, 9)),
        }
    )
    r = await api.c.post(
        f"{DATASETS}/{ds['id']}/images/bulk-upload",
        data={"automatic_captioning": "false"},
        files={"file": ("set.zip", archive, "application/zip")},
    )
    assert r.status_code == 202
    await api.advance(60)
    status = await _status(api, ds["id"])
    assert status["done"] == 1
    assert status["failed_images"] == [
        {"filename": "b.png", "error_code": 400, "error_message": "missing caption file b.txt"}
    ]
    images = (await api.c.get(f"{DATASETS}/{ds['id']}/images")).json()
    assert images[0]["caption"] == '{"subject": "a"}' and images[0]["caption_source"] == "manual"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("caf\xe9".encode("latin-1"), "the caption file is not UTF-8 text"),
        (b"x" * 100_001, "the caption file is 100001 characters long"),
    ],
    ids=["latin-1", "too-long"],
)
async def test_caption_files_are_read_like_text_fields(api: Api, text: bytes, message: str) -> None:
    """Never repaired or cut short: its image is reported with the reason, and not stored."""
    ds = await api.dataset(upload_type="advanced")
    archive = zip_bytes({"a.png": image_bytes(), "a.txt": text})
    r = await api.c.post(
        f"{DATASETS}/{ds['id']}/images/bulk-upload",
        data={"automatic_captioning": "false"},
        files={"file": ("set.zip", archive, "application/zip")},
    )
    assert r.status_code == 202
    await api.advance(60)
    failed = (await _status(api, ds["id"]))["failed_images"]
    assert [(f["filename"], f["error_code"]) for f in failed] == [("a.png", 400)]
    assert failed[0]["error_message"].startswith(f"caption file a.txt: {message}")
    assert (await api.c.get(f"{DATASETS}/{ds['id']}/images")).json() == []


async def test_zip_url_from_the_mock_itself(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    hosted = await api.c.post(
        "/_mock/files", content=zip_bytes({"a.png": image_bytes()}), params={"filename": "a.zip"}
    )
    r = await api.c.post(
        f"{DATASETS}/{ds['id']}/images/bulk-upload", json={"zip_url": hosted.json()["url"]}
    )
    assert r.status_code == 202
    await api.advance(10)
    assert (await _status(api, ds["id"]))["done"] == 1


@pytest.mark.parametrize(
    "member",
    ["../evil.png", "/etc/evil.png", "a/../../evil.png", "C:/evil.png", "..\\evil.png"],
)
async def test_zip_slip_paths_are_refused(api: Api, member: str) -> None:
    ds = await api.dataset(upload_type="advanced")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ok.png", image_bytes())
        archive.writestr(zipfile.ZipInfo(member), image_bytes())
    status, body = await _bulk(api, ds["id"], out.getvalue())
    assert status == 400
    assert "outside the archive root" in str(body) or "absolute path" in str(body)
    assert (await api.c.get(f"{DATASETS}/{ds['id']}")).json()["images_count"] == 0


async def test_symlink_members_are_refused(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("link.png")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    status, body = await _bulk(api, ds["id"], out.getvalue())
    assert status == 400 and "symbolic link" in str(body)


async def test_zip_bomb_ratio_is_refused(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    bomb = zip_bytes({"bomb.png": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    status, body = await _bulk(api, ds["id"], bomb)
    assert status == 413 and "zip bomb" in str(body)


@pytest.mark.parametrize("config", [MockConfig(max_zip_uncompressed_bytes=3_000_000)])
async def test_total_uncompressed_size_is_limited(api: Api, config: MockConfig) -> None:
    ds = await api.dataset(upload_type="advanced")
    noise = bytes(range(256)) * 8000  # ~2 MB, incompressible enough to pass the ratio check
    archive = zip_bytes({"a.bin.png": noise, "b.bin.png": noise}, compression=zipfile.ZIP_STORED)
    status, body = await _bulk(api, ds["id"], archive)
    assert status == 413 and "expand" in str(body)


@pytest.mark.parametrize("config", [MockConfig(max_zip_bytes=50_000)])
async def test_oversized_zip_is_refused_with_413(api: Api, config: MockConfig) -> None:
    ds = await api.dataset(upload_type="advanced")
    archive = zip_bytes(
        {
            f"{i}.png": image_bytes(1024, 1024, color=(i, i, i), extra=bytes(range(256)) * 40)
            for i in range(20)
        },
        compression=zipfile.ZIP_STORED,
    )
    status, _ = await _bulk(api, ds["id"], archive)
    assert status == 413


async def test_lying_member_sizes_are_caught_while_decompressing(api: Api) -> None:
    ds = await api.dataset(upload_type="advanced")
    honest = zip_bytes({"a.png": image_bytes()}, compression=zipfile.ZIP_DEFLATED)
    data = bytearray(honest)
    # shrink the declared uncompressed size in the central directory: the real data is larger
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    lfh = data.find(b"PK\x03\x04")
    data[lfh + 22 : lfh + 26] = (10).to_bytes(4, "little")
    status, body = await _bulk(api, ds["id"], bytes(data))
    assert status in (400, 413), body
    assert (await api.c.get(f"{DATASETS}/{ds['id']}")).json()["images_count"] == 0

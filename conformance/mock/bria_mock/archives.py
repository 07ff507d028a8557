"""Zip files in and out: defensive reading of bulk uploads, writing of dataset downloads.

An uploaded archive is refused as a whole when it is not a zip, when a member would escape the
archive root (zip-slip: absolute paths, ``..``, drive letters, symlinks), or when it looks like a
bomb (too many members, too much uncompressed data, a suspicious compression ratio). Anything
else that is wrong with one member (not an image, a missing caption) only skips that member and
is reported, as Bria's failure report does.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import bounded_json

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
# Ratios are only meaningful for members big enough to matter; tiny text files compress wildly.
_RATIO_FLOOR_BYTES = 1024 * 1024


class ArchiveRejected(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class MemberFailure:
    filename: str
    error_code: int
    error_message: str


@dataclass
class UploadArchive:
    """A checked archive: captions read, images read one at a time by ``images()``."""

    archive: zipfile.ZipFile
    image_members: list[tuple[zipfile.ZipInfo, str]] = field(default_factory=list)
    captions: dict[str, str] = field(default_factory=dict)
    # why a caption file was not read, by stem: its image reports it
    caption_problems: dict[str, str] = field(default_factory=dict)
    failures: list[MemberFailure] = field(default_factory=list)
    budget: int = 0
    max_member_bytes: int = 0

    def images(self) -> Iterator[tuple[str, bytes]]:
        """Each image's bytes in turn, so only one expanded member is in memory at a time."""
        with self.archive:
            for info, name in self.image_members:
                content = _read_capped(self.archive, info, min(self.max_member_bytes, self.budget))
                self.budget -= len(content)
                yield name, content


def _safe_name(info: zipfile.ZipInfo) -> str:
    raw = info.filename.replace("\\", "/")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ArchiveRejected(400, f"archive member {info.filename!r} is a symbolic link")
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise ArchiveRejected(400, f"archive member {info.filename!r} has an absolute path")
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveRejected(
            400, f"archive member {info.filename!r} would be written outside the archive root"
        )
    return "/".join(parts)


def _ignored(name: str) -> bool:
    """Operating-system litter that no user means as a dataset image."""
    return name.startswith("__MACOSX/") or posixpath.basename(name).startswith(".")


def _check_bounds(
    files: list[zipfile.ZipInfo], size: int, max_members: int, max_total: int, max_ratio: float
) -> None:
    """Bounds of the whole archive, before anything is expanded."""
    if len(files) > max_members * 2 + 16:
        raise ArchiveRejected(
            413, f"the archive has {len(files)} members; at most {max_members} images are accepted"
        )
    declared = sum(i.file_size for i in files)
    if declared > max_total:
        raise ArchiveRejected(
            413,
            f"the archive would expand to {declared} bytes, more than the limit of "
            f"{max_total} bytes",
        )
    # Ratios are judged for the archive as a whole too: 200 members of exactly 1 MiB of zeros
    # pass every per-member check but expand a 200 KB upload to 200 MiB.
    if declared > _RATIO_FLOOR_BYTES and declared > max_ratio * max(size, 1):
        raise ArchiveRejected(
            413,
            f"the archive expands {declared / max(size, 1):.0f}x; compression ratios above "
            f"{max_ratio:.0f}x are refused as a zip bomb",
        )
    for info in files:
        if info.file_size > _RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            raise ArchiveRejected(
                413,
                f"archive member {info.filename!r} expands "
                f"{info.file_size / max(info.compress_size, 1):.0f}x; "
                f"compression ratios above {max_ratio:.0f}x are refused as a zip bomb",
            )
    # Central-directory entries that share (or overlap) one member's data make a small file
    # expand to many copies of it; a well-formed zip stores every member once.
    spans = sorted((i.header_offset, i.header_offset + i.compress_size, i.filename) for i in files)
    for (start, end, name), (next_start, _, next_name) in itertools.pairwise(spans):
        if next_start < end or next_start == start:
            raise ArchiveRejected(
                400,
                f"archive members {name!r} and {next_name!r} share their data; "
                "refused as a zip bomb (store every file once)",
            )


def read_upload(
    data: bytes,
    *,
    max_members: int,
    max_member_bytes: int,
    max_total_bytes: int,
    max_ratio: float,
) -> UploadArchive:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ArchiveRejected(400, "the upload is not a valid zip archive") from None
    try:
        infos = archive.infolist()
        files = [i for i in infos if not i.is_dir()]
        names = [_safe_name(i) for i in files]
        _check_bounds(files, len(data), max_members, max_total_bytes, max_ratio)
        result = UploadArchive(archive, budget=max_total_bytes, max_member_bytes=max_member_bytes)
        image_count = 0
        for info, name in zip(files, names, strict=True):
            if _ignored(name):
                continue
            lower = name.lower()
            if info.flag_bits & 0x1:
                result.failures.append(
                    MemberFailure(name, 400, "encrypted members are not supported")
                )
                continue
            if not (lower.endswith(IMAGE_EXTENSIONS) or lower.endswith(".txt")):
                result.failures.append(
                    MemberFailure(
                        name, 415, "unsupported file type; images must be jpg, jpeg, png or webp"
                    )
                )
                continue
            if info.file_size > max_member_bytes:
                result.failures.append(
                    MemberFailure(name, 413, f"the file is larger than {max_member_bytes} bytes")
                )
                continue
            if lower.endswith(".txt"):
                limit = min(max_member_bytes, result.budget, 4 * bounded_json.MAX_TEXT_CHARS)
                if info.file_size > limit:
                    result.failures.append(
                        MemberFailure(name, 413, f"a caption file holds at most {limit} bytes")
                    )
                    continue
                content = _read_capped(archive, info, limit)
                result.budget -= len(content)
                problem, text = _caption_text(content)
                if problem:
                    result.caption_problems[posixpath.splitext(name)[0]] = problem
                else:
                    result.captions[posixpath.splitext(name)[0]] = text
                continue
            image_count += 1
            if image_count > max_members:
                result.failures.append(
                    MemberFailure(name, 409, f"more than {max_members} images in the archive")
                )
                continue
            result.image_members.append((info, name))
    except BaseException:
        archive.close()
        raise
    return result


def _caption_text(content: bytes) -> tuple[str, str]:
    """A caption file's text, or what is wrong with it: read like a text field of a JSON body
    (UTF-8, no lone surrogates, at most ``MAX_TEXT_CHARS``), never repaired or cut short."""
    try:
        text = content.decode("utf-8").strip()
    except UnicodeDecodeError:
        return ("the caption file is not UTF-8 text", "")
    try:
        bounded_json.check_text(text, "the caption file")
    except bounded_json.JsonRejected as exc:
        return (exc.message, "")
    return ("", text)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Decompress one member without trusting its header's size (a bomb can lie there)."""
    out = bytearray()
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(65536):
                out += chunk
                if len(out) > limit or len(out) > info.file_size:
                    raise ArchiveRejected(
                        413,
                        f"archive member {info.filename!r} expands beyond its declared size or the "
                        "mock's limits; refused as a zip bomb",
                    )
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ArchiveRejected(400, f"archive member {info.filename!r} is corrupt: {exc}") from None
    return bytes(out)


def write_dataset(members: list[tuple[str, bytes]], captions: dict[str, str]) -> bytes:
    """Images plus one ``<stem>.txt`` caption each: the layout bulk upload accepts back."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
            text = captions.get(name)
            if text is not None:
                txt = zipfile.ZipInfo(
                    posixpath.splitext(name)[0] + ".txt", date_time=(2024, 1, 1, 0, 0, 0)
                )
                txt.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(txt, text.encode())
    return out.getvalue()

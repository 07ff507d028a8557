"""Binary artefacts beyond images: ``.safetensors`` model files and MP4 videos.

Both are real files a downstream tool can open: the safetensors writer follows the format's
header/offset layout (and the reader checks uploads against it), the video is an ISO-BMFF MP4
holding a 5-second motion-JPEG track animated from the source image.
"""

from __future__ import annotations

import io
import json
import random
import struct
from typing import Any

from PIL import Image


def write_safetensors(seed: str, rank: int, metadata: dict[str, str]) -> bytes:
    """A small LoRA-shaped file: A/B matrices of the trained rank for a few attention blocks."""
    rng = random.Random(seed)
    tensors: list[tuple[str, list[int], bytes]] = []
    width = 64
    for block in range(2):
        for proj in ("to_q", "to_v"):
            for part, shape in (("lora_A", [rank, width]), ("lora_B", [width, rank])):
                count = shape[0] * shape[1]
                values = [rng.uniform(-0.02, 0.02) for _ in range(count)]
                data = struct.pack(f"<{count}f", *values)
                tensors.append(
                    (f"transformer.blocks.{block}.attn.{proj}.{part}.weight", shape, data)
                )
    header: dict[str, Any] = {"__metadata__": dict(sorted(metadata.items()))}
    offset = 0
    for name, shape, data in tensors:
        header[name] = {
            "dtype": "F32",
            "shape": shape,
            "data_offsets": [offset, offset + len(data)],
        }
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"".join(data for _, _, data in tensors)


# --- MP4 ---------------------------------------------------------------------------------------


def _box(kind: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full_box(kind: bytes, version: int, flags: int, *payload: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *payload)


_MATRIX = struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)


def write_mp4(source_png: bytes, seconds: int = 5, fps: int = 5, width: int = 512) -> bytes:
    src = Image.open(io.BytesIO(source_png)).convert("RGB")
    height = max(2, round(src.height * width / src.width) // 2 * 2)
    frames: list[bytes] = []
    total = seconds * fps
    for index in range(total):
        # a slow zoom: a real, if modest, animation of the source image
        zoom = 1.0 + 0.15 * index / max(total - 1, 1)
        crop_w, crop_h = src.width / zoom, src.height / zoom
        left, top = (src.width - crop_w) / 2, (src.height - crop_h) / 2
        frame = src.resize(
            (width, height), Image.Resampling.BILINEAR, box=(left, top, left + crop_w, top + crop_h)
        )
        out = io.BytesIO()
        frame.save(out, format="JPEG", quality=80)
        frames.append(out.getvalue())

    def moov(chunk_offset: int) -> bytes:
        duration_ms = seconds * 1000
        mvhd = _full_box(
            b"mvhd",
            0,
            0,
            struct.pack(">IIII", 0, 0, 1000, duration_ms),
            struct.pack(">IH", 0x00010000, 0x0100),
            b"\0" * 10,
            _MATRIX,
            b"\0" * 24,
            struct.pack(">I", 2),
        )
        tkhd = _full_box(
            b"tkhd",
            0,
            3,
            struct.pack(">IIIII", 0, 0, 1, 0, duration_ms),
            b"\0" * 8,
            struct.pack(">hhhH", 0, 0, 0, 0),
            _MATRIX,
            struct.pack(">II", width << 16, height << 16),
        )
        mdhd = _full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, fps, total, 0x55C4, 0))
        hdlr = _full_box(
            b"hdlr", 0, 0, struct.pack(">I", 0), b"vide", b"\0" * 12, b"VideoHandler\0"
        )
        vmhd = _full_box(b"vmhd", 0, 1, b"\0" * 8)
        dinf = _box(
            b"dinf", _full_box(b"dref", 0, 0, struct.pack(">I", 1), _full_box(b"url ", 0, 1))
        )
        entry = _box(
            b"jpeg",
            b"\0" * 6,
            struct.pack(">H", 1),
            b"\0" * 16,
            struct.pack(">HHIIIH", width, height, 0x00480000, 0x00480000, 0, 1),
            bytes([10]) + b"Photo JPEG".ljust(31, b"\0"),
            struct.pack(">Hh", 0x18, -1),
        )
        stbl = _box(
            b"stbl",
            _full_box(b"stsd", 0, 0, struct.pack(">I", 1), entry),
            _full_box(b"stts", 0, 0, struct.pack(">III", 1, total, 1)),
            _full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, total, 1)),
            _full_box(
                b"stsz",
                0,
                0,
                struct.pack(">II", 0, total),
                *(struct.pack(">I", len(f)) for f in frames),
            ),
            _full_box(b"stco", 0, 0, struct.pack(">II", 1, chunk_offset)),
        )
        minf = _box(b"minf", vmhd, dinf, stbl)
        trak = _box(b"trak", tkhd, _box(b"mdia", mdhd, hdlr, minf))
        return _box(b"moov", mvhd, trak)

    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2mp41")
    head_len = len(ftyp) + len(moov(0))
    return ftyp + moov(head_len + 8) + _box(b"mdat", *frames)


def mp4_boxes(data: bytes) -> list[str]:
    """Top-level box types of an MP4 (used to check the files are well formed)."""
    kinds: list[str] = []
    pos = 0
    while pos + 8 <= len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kinds.append(data[pos + 4 : pos + 8].decode("latin-1"))
        if size < 8:
            break
        pos += size
    return kinds

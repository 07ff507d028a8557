"""Real test artefacts: images in each format, ZIP archives and model files.

The suite uploads genuine files so that a server which decodes them (as Bria does) sees valid
input; an oracle check on sizes would mean nothing with fake bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from PIL import Image

FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP", "gif": "GIF", "bmp": "BMP"}
MIME = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
    "bmp": "image/bmp",
}


def image_bytes(width: int, height: int, fmt: str = "png", shade: int = 0) -> bytes:
    """An image of the given size; `shade` varies the pixels so images differ from one another."""
    colour = ((37 * shade) % 256, (91 * shade + 60) % 256, (151 * shade + 120) % 256)
    img = Image.new("RGB", (width, height), colour)
    # A diagonal band keeps the content off-centre, so a crop is observable.
    band = Image.new("RGB", (max(1, width // 8), height), (255 - colour[0], 255, 255 - colour[2]))
    img.paste(band, (width // 5, 0))
    buf = io.BytesIO()
    pil_format = FORMATS[fmt]
    if pil_format == "JPEG":
        img.save(buf, pil_format, quality=70)
    elif pil_format == "WEBP":
        img.save(buf, pil_format, quality=60)
    elif pil_format == "PNG":
        img.save(buf, pil_format, compress_level=1)
    else:
        img.save(buf, pil_format)
    return buf.getvalue()


def gradient_png(width: int, height: int) -> bytes:
    """A PNG whose red channel rises left to right and green top to bottom (0-255), so where a
    stored pixel came from in the upload (a resize, a crop) can be read off its colour."""
    img = Image.new("RGB", (width, height))
    img.putdata(
        [
            (round(255 * (x + 0.5) / width), round(255 * (y + 0.5) / height), 128)
            for y in range(height)
            for x in range(width)
        ]
    )
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def square_crop_source(width: int, height: int, side: int, x: int, y: int) -> tuple[float, float]:
    """Where pixel (x, y) of a `side`-square image came from in a `width`x`height` original that
    was resized so its short side is `side`, then centre-cropped: (x, y) as fractions of the
    original's width and height."""
    scale = side / min(width, height)
    off_x = (width * scale - side) / 2
    off_y = (height * scale - side) / 2
    return (x + 0.5 + off_x) / scale / width, (y + 0.5 + off_y) / scale / height


def transparent_png(width: int, height: int) -> bytes:
    """A PNG whose left half is fully transparent white and right half opaque white."""
    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    img.paste(Image.new("RGBA", (width // 2, height), (255, 255, 255, 255)), (width // 2, 0))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def pixel(data: bytes, x: int, y: int) -> tuple[int, ...]:
    with Image.open(io.BytesIO(data)) as img:
        value = img.convert("RGB").getpixel((x, y))
    return tuple(value) if isinstance(value, tuple) else (int(value or 0),)


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as img:
        return img.size


def zip_bytes(members: Iterable[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()

"""Real image handling with Pillow: decoding, Bria's preprocessing, generated pictures.

Bria accepts jpg/jpeg/png/webp, upscales images whose short side is between 256 and 1024 px
(unless ``increase_resolution=false``), resizes the short side to 1024 and keeps the centred
1024x1024 crop; transparency becomes black. Generated images are drawn from a seed so the same
inputs always give byte-identical PNGs.
"""

from __future__ import annotations

import hashlib
import io
import random
import warnings
from dataclasses import dataclass

from PIL import Image, ImageDraw, UnidentifiedImageError

SUPPORTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

ASPECT_SIZES = {
    "1:1": (1024, 1024),
    "2:3": (832, 1248),
    "3:2": (1248, 832),
    "3:4": (896, 1152),
    "4:3": (1152, 896),
    "4:5": (912, 1136),
    "5:4": (1136, 912),
    "9:16": (768, 1344),
    "16:9": (1344, 768),
}


class ImageRejected(Exception):
    """An input image Bria would refuse; ``status`` is the HTTP status documented for it."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ProcessedImage:
    #: The upload as received, stored with ``content_type`` and rendered by :func:`stored_png`.
    source: bytes
    content_type: str
    width: int
    height: int
    source_format: str
    source_size: tuple[int, int]
    digest: str
    mean_color: tuple[int, int, int]


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    if not data:
        raise ImageRejected(415, "the file is empty", "empty_file")
    with warnings.catch_warnings():
        # Pillow warns before it refuses; the refusal below is the message the client needs.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise ImageRejected(413, "the image has too many pixels", "too_many_pixels") from None
        except UnidentifiedImageError:
            raise ImageRejected(
                415,
                "the file is not a decodable image; supported formats are jpg, jpeg, png, webp",
                "unsupported_format",
            ) from None
        except Exception:
            # Pillow's plugins raise a zoo of types (OSError, SyntaxError, struct.error, ...)
            # on corrupt headers; all of them mean the same thing to the client.
            raise ImageRejected(
                415, "the file looks like an image but its header is corrupt", "corrupt_image"
            ) from None
        if img.format not in SUPPORTED_FORMATS:
            raise ImageRejected(
                415,
                f"image format {img.format} is not supported; use jpg, jpeg, png or webp",
                "unsupported_format",
            )
        if img.width * img.height > max_pixels:
            raise ImageRejected(
                413,
                f"the image has {img.width}x{img.height} pixels, more than the mock's limit "
                f"of {max_pixels} pixels",
                "too_many_pixels",
            )
        try:
            img.load()
        except Exception:
            raise ImageRejected(
                415, f"the {img.format} data is truncated or corrupt", "corrupt_image"
            ) from None
    return img


def check_size(
    width: int, height: int, increase_resolution: bool, target: int, min_upscale: int
) -> None:
    short = min(width, height)
    if short >= target:
        return
    if not increase_resolution:
        raise ImageRejected(
            412,
            f"the image is {width}x{height}px; with increase_resolution=false both sides must be "
            f"at least {target}px",
            "resolution_too_low",
        )
    if short < min_upscale:
        raise ImageRejected(
            412,
            f"the image is {width}x{height}px; images are upscaled only down to "
            f"{min_upscale}x{min_upscale}px",
            "resolution_too_low",
        )


def _flatten(img: Image.Image) -> Image.Image:
    """Drop transparency onto black, as Bria documents, and normalise the mode to RGB."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


#: Content type of a stored upload: the file as received, rendered to Bria's preprocessed PNG
#: (the centred square at ``side`` pixels) when it is served. Rendering on read keeps uploads
#: fast, and most uploaded images are never fetched again.
UPLOAD_CONTENT_TYPE = "application/x-bria-upload"


def preprocess(
    data: bytes,
    *,
    increase_resolution: bool,
    target: int = 1024,
    min_upscale: int = 256,
    max_pixels: int = 40_000_000,
) -> ProcessedImage:
    """Check an upload as Bria does and describe the image it becomes (rendered on read)."""
    img = open_image(data, max_pixels)
    source_format = SUPPORTED_FORMATS[str(img.format)]
    width, height = img.size
    check_size(width, height, increase_resolution, target, min_upscale)
    side = min(width, height)
    left, top = (width - side) / 2, (height - side) / 2
    small = _flatten(img).resize(
        (1, 1), Image.Resampling.BOX, box=(left, top, left + side, top + side)
    )
    pixel = small.getpixel((0, 0))
    assert isinstance(pixel, tuple)
    return ProcessedImage(
        source=data,
        content_type=f"{UPLOAD_CONTENT_TYPE}; side={target}",
        width=target,
        height=target,
        source_format=source_format,
        source_size=(width, height),
        digest=hashlib.sha256(data).hexdigest(),
        mean_color=(int(pixel[0]), int(pixel[1]), int(pixel[2])),
    )


def stored_png(content_type: str, data: bytes) -> bytes:
    """The PNG a stored image is served as (state files may hold already rendered PNGs)."""
    if not content_type.startswith(UPLOAD_CONTENT_TYPE):
        return data
    target = int(content_type.rpartition("side=")[2])
    # The upload passed open_image's pixel bound when it was stored.
    rgb = _flatten(open_image(data, max_pixels=2**62))
    scale = target / min(rgb.width, rgb.height)
    new_size = (max(target, round(rgb.width * scale)), max(target, round(rgb.height * scale)))
    if new_size != rgb.size:
        rgb = rgb.resize(new_size, Image.Resampling.LANCZOS)
    left = (rgb.width - target) // 2
    top = (rgb.height - target) // 2
    rgb = rgb.crop((left, top, left + target, top + target))
    out = io.BytesIO()
    rgb.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def thumbnail(png: bytes, side: int = 256) -> bytes:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    img.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def render(
    seed_material: str, aspect_ratio: str = "1:1", size: tuple[int, int] | None = None
) -> bytes:
    """Draw a deterministic picture: same material, same bytes (Pillow's PNG writer is stable)."""
    digest = hashlib.sha256(seed_material.encode()).digest()
    rng = random.Random(digest)
    width, height = size or ASPECT_SIZES.get(aspect_ratio, ASPECT_SIZES["1:1"])
    top = tuple(rng.randrange(256) for _ in range(3))
    bottom = tuple(rng.randrange(256) for _ in range(3))
    gradient = Image.linear_gradient("L").resize((width, height))
    img = Image.composite(
        Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), gradient
    )
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randrange(4, 9)):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(width // 10, width // 2), rng.randrange(height // 10, height // 2)
        fill = tuple(rng.randrange(256) for _ in range(3))
        box = (x0 - w // 2, y0 - h // 2, x0 + w // 2, y0 + h // 2)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=fill)
        else:
            draw.rectangle(box, fill=fill)
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def contains_marker(data: bytes, marker: str) -> bool:
    return bool(marker) and marker.encode() in data

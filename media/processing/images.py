"""Still images with Pillow, as Mastodon treats them: the format is read from the bytes, the
pixel limits are checked from the header before anything is decoded, the EXIF orientation is
applied and then every piece of metadata is dropped (only the ICC colour profile is kept, as
Mastodon keeps it), large images are scaled down, and a small preview and a blurhash are made.
"""

import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import blurhash
from PIL import Image, ImageOps, UnidentifiedImageError

from media.processing.errors import MediaRejected

try:  # HEIC needs a plugin that is not a dependency; AVIF is built into recent Pillow.
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

    register_heif_opener()
except ImportError:
    pass

MAX_MATRIX_LIMIT = 33_177_600  # 7680x4320: the largest image decoded at all
GIF_MATRIX_LIMIT = 921_600  # 1280x720: GIFs become videos, which costs far more
ORIGINAL_PIXELS = 8_294_400  # 3840x2160: larger originals are scaled down to this area
SMALL_PIXELS = 230_400  # 640x360: the preview shown in timelines
BLURHASH_SIDE = 32
BLURHASH_COMPONENTS = (4, 4)
JPEG_QUALITY = 90

# Pillow's format name → (content type, extension, format written).
FORMATS: dict[str, tuple[str, str, str]] = {
    "JPEG": ("image/jpeg", "jpeg", "JPEG"),
    "PNG": ("image/png", "png", "PNG"),
    "WEBP": ("image/webp", "webp", "WEBP"),
    "GIF": ("image/png", "png", "PNG"),  # a still GIF is kept as PNG; animated ones as video
    "HEIF": ("image/jpeg", "jpeg", "JPEG"),  # converted, as Mastodon converts them
    "AVIF": ("image/jpeg", "jpeg", "JPEG"),
}
UNVERIFIED = "File type of uploaded media could not be verified"
INVALID_TYPE = "Validation failed: File content type is invalid"


@dataclass
class Rendition:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int

    def geometry(self) -> dict[str, Any]:
        return geometry(self.width, self.height)


@dataclass
class Header:
    """What the file's header says, read without decoding any pixels."""

    format: str
    width: int
    height: int
    frames: int

    @property
    def animated(self) -> bool:
        return self.frames > 1


@dataclass
class ProcessedImage:
    original: Rendition
    small: Rendition
    blurhash: str


def geometry(width: int, height: int) -> dict[str, Any]:
    return {"width": width, "height": height, "size": f"{width}x{height}",
            "aspect": width / height if height else 0}  # fmt: skip


def open_image(path: Path) -> Image.Image:
    try:
        return Image.open(path)
    except Image.DecompressionBombError as error:
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        count = f"{pixels.group(1)} pixels" if pixels else "this many pixels"
        raise MediaRejected(f"Images of {count} are not supported") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise MediaRejected(UNVERIFIED) from error


def read_header(path: Path, *, formats: tuple[str, ...] = tuple(FORMATS)) -> Header:
    """Refuse what we do not take, or what would be too large to decode, before decoding."""
    with open_image(path) as image:
        if image.format not in formats:
            raise MediaRejected(INVALID_TYPE)
        width, height = image.size
        if image.format == "GIF" and width * height > GIF_MATRIX_LIMIT:
            raise MediaRejected(f"{width}x{height} GIF files are not supported")
        if width * height > MAX_MATRIX_LIMIT:
            raise MediaRejected(f"{width}x{height} images are not supported")
        try:
            frames = getattr(image, "n_frames", 1)
        except (OSError, SyntaxError, ValueError) as error:
            raise MediaRejected(UNVERIFIED) from error
        return Header(image.format, width, height, frames)


def decode(path: Path) -> Image.Image:
    """The first frame, fully decoded, turned upright, with no metadata but its colour profile.
    Truncated or corrupt files fail here rather than later."""
    image = open_image(path)
    try:
        image.load()
        upright = ImageOps.exif_transpose(image) or image
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise MediaRejected(UNVERIFIED) from error
    finally:
        image.close()
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    clean = upright.convert("RGBA" if has_alpha else "RGB")
    icc = upright.info.get("icc_profile")
    clean.info = {"icc_profile": icc} if icc else {}
    return clean


def fit_pixels(image: Image.Image, limit: int) -> Image.Image:
    """Scale down, keeping the aspect, to at most `limit` pixels; never scale up."""
    width, height = image.size
    if width * height <= limit:
        return image
    scale = math.sqrt(limit / (width * height))
    size = (max(1, int(width * scale)), max(1, int(height * scale)))
    resized = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    resized.info = dict(image.info)
    return resized


def flatten(image: Image.Image, background: str = "white") -> Image.Image:
    if image.mode != "RGBA":
        return image.convert("RGB")
    base = Image.new("RGB", image.size, background)
    base.paste(image, mask=image.getchannel("A"))
    base.info = dict(image.info)
    return base


def encode(image: Image.Image, writer: str) -> bytes:
    """Only the pixels and the ICC profile are written: no EXIF, XMP, comments or text."""
    if writer == "JPEG":
        image = flatten(image)
    options: dict[str, Any] = {}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if writer in ("JPEG", "WEBP"):
        options["quality"] = JPEG_QUALITY
    buffer = io.BytesIO()
    image.save(buffer, format=writer, **options)
    return buffer.getvalue()


def rendition(image: Image.Image, content_type: str, extension: str, writer: str) -> Rendition:
    return Rendition(encode(image, writer), content_type, extension, *image.size)


def blurhash_of(image: Image.Image) -> str:
    tiny = flatten(image.copy())
    tiny.thumbnail((BLURHASH_SIDE, BLURHASH_SIDE), Image.Resampling.BILINEAR)
    width, height = tiny.size
    pixels = list(tiny.getdata())
    rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
    return str(blurhash.encode(rows, *BLURHASH_COMPONENTS))


def preview(image: Image.Image) -> tuple[Rendition, str]:
    """The small version and the blurhash, for an image, a video frame or a cover."""
    small = fit_pixels(image, SMALL_PIXELS)
    writer = "PNG" if small.mode == "RGBA" else "JPEG"
    extension = "png" if writer == "PNG" else "jpeg"
    return rendition(small, f"image/{extension}", extension, writer), blurhash_of(small)


def process_image(path: Path, header: Header) -> ProcessedImage:
    content_type, extension, writer = FORMATS[header.format]
    image = decode(path)
    original = rendition(fit_pixels(image, ORIGINAL_PIXELS), content_type, extension, writer)
    small_image = fit_pixels(image, SMALL_PIXELS)
    small = rendition(small_image, content_type, extension, writer)
    return ProcessedImage(original, small, blurhash_of(small_image))


def process_thumbnail(path: Path) -> tuple[Rendition, str]:
    """A custom thumbnail, or a frame taken from a video: a checked image, made small."""
    read_header(path)
    return preview(decode(path))

"""Avatars, headers and custom emoji, as Mastodon makes them: avatars cropped to fill
400x400, headers scaled down to at most 1500x500 worth of pixels, metadata dropped, and for a
GIF (which may move) a still PNG of its first frame beside it, for those who prefer no
animation."""

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageOps, ImageSequence

from media.processing.errors import MediaRejected
from media.processing.images import (
    Header,
    Rendition,
    decode,
    encode,
    fit_pixels,
    open_image,
    read_header,
    rendition,
)

Kind = Literal["avatar", "header", "emoji"]
AVATAR_SIZE = (400, 400)
HEADER_PIXELS = 750_000  # 1500x500
EMOJI_PIXELS = 160_000  # 400x400, far more than any emoji is shown at
PROFILE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
EMOJI_FORMATS = ("PNG", "GIF", "WEBP")  # what Mastodon takes for custom emoji
# Frames times pixels decoded for an animated GIF: about 600 frames of 400x400.
MAX_ANIMATION_PIXELS = 100_000_000
WRITERS = {"JPEG": ("image/jpeg", "jpeg"), "PNG": ("image/png", "png"),
           "WEBP": ("image/webp", "webp")}  # fmt: skip


@dataclass
class ProfileImage:
    image: Rendition
    static: Rendition | None  # the first frame of a GIF (or with `always_static`, any), as PNG


def _shape(image: Image.Image, kind: Kind) -> Image.Image:
    if kind == "avatar":
        fitted = ImageOps.fit(image, AVATAR_SIZE, Image.Resampling.LANCZOS)
        fitted.info = dict(image.info)
        return fitted
    return fit_pixels(image, HEADER_PIXELS if kind == "header" else EMOJI_PIXELS)


def _animated_gif(path: Path, header: Header, kind: Kind) -> ProfileImage:
    if header.frames * header.width * header.height > MAX_ANIMATION_PIXELS:
        raise MediaRejected(f"GIF files of {header.frames} frames are not supported")
    frames, durations = [], []
    with open_image(path) as source:
        try:
            for frame in ImageSequence.Iterator(source):
                frames.append(_shape(frame.convert("RGBA"), kind))
                durations.append(frame.info.get("duration", 100))
        except (OSError, SyntaxError, ValueError) as error:
            raise MediaRejected("File type of uploaded media could not be verified") from error
        loop = source.info.get("loop", 0)
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:],
                   duration=durations, loop=loop, disposal=2)  # fmt: skip
    width, height = frames[0].size
    gif = Rendition(buffer.getvalue(), "image/gif", "gif", width, height)
    still = Rendition(encode(frames[0], "PNG"), "image/png", "png", width, height)
    return ProfileImage(gif, still)


def process_profile_image(
    path: Path,
    kind: Kind,
    *,
    always_static: bool = False,
    formats: tuple[str, ...] = PROFILE_FORMATS,
) -> ProfileImage:
    header = read_header(path, formats=formats)
    if header.format == "GIF":
        return _animated_gif(path, header, kind)
    content_type, extension = WRITERS[header.format]
    shaped = _shape(decode(path), kind)
    image = rendition(shaped, content_type, extension, header.format)
    still = rendition(shaped, "image/png", "png", "PNG") if always_static else None
    return ProfileImage(image, still)

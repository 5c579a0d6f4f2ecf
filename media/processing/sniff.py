"""Deciding what a file is from its bytes alone: the name and the type a client claims are
never trusted. Only the family is decided here (an image for Pillow, or a stream for
ffprobe); the decoders then have the last word."""

import re
from enum import Enum


class Family(Enum):
    IMAGE = "image"
    STREAM = "stream"  # audio or video, probed by ffprobe


# ISO base media brands (the `ftyp` box) that are still images rather than movies.
IMAGE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif",
                b"avis"}  # fmt: skip

# Browsers that sniff content look at the first 1445 bytes (WHATWG MIME Sniffing); a polyglot
# (a valid image that is also HTML, SVG or script) must put its markup there to be run as a
# page, so markup there refuses the file. Elsewhere it cannot survive: every image is decoded
# and encoded again, and every stream is remuxed without metadata.
SNIFF_WINDOW = 1445
MARKUP = re.compile(
    rb"<\s*(script|html|svg|body|iframe|object|embed|!doctype\s+html)\b|javascript:",
    re.IGNORECASE,
)


def family(head: bytes) -> Family | None:
    """The family of a file from its first bytes, or None for anything we do not take."""
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")):
        return Family.IMAGE
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Family.IMAGE
    if head[4:8] == b"ftyp":
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(len(head), 64), 4)}
        if head[8:12] in IMAGE_BRANDS or (brands & IMAGE_BRANDS and b"isom" not in brands):
            return Family.IMAGE
        return Family.STREAM
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Family.STREAM
    if head.startswith((b"\x1a\x45\xdf\xa3", b"OggS", b"fLaC", b"ID3")):
        return Family.STREAM
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):  # ASF (WMA)
        return Family.STREAM
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # MPEG audio or ADTS
        return Family.STREAM
    return None


def carries_markup(head: bytes) -> bool:
    return MARKUP.search(head[:SNIFF_WINDOW]) is not None

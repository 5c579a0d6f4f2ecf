"""From a checked source file to what we store, for the kinds that need ffmpeg: animated GIFs,
videos and audio. Images are done by media.processing.images alone."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from media.processing import images, streams
from media.processing.images import Rendition


@dataclass
class StreamResult:
    type: str  # a MediaType value
    original: Path
    content_type: str
    extension: str
    meta: dict[str, Any]  # the original's duration, size, frame rate, bitrate
    small: Rendition | None
    blurhash: str


def _still(source: Path, work: Path, *, cover: bool) -> tuple[Rendition | None, str]:
    frame = work / "frame.png"
    streams.first_frame(source, frame, cover=cover)
    small, blurhash = images.preview(images.decode(frame))
    return small, blurhash


def process_stream(source: Path, work: Path, *, gif: bool) -> StreamResult:
    """Raises MediaRejected when the source is outside the limits or ffmpeg fails on it."""
    if gif:
        target, kind = work / "original.mp4", "gifv"
        streams.gif_to_mp4(source, target)
    else:
        found = streams.probe(source)
        streams.check(found)
        if found.video is None:
            target = work / "original.mp3"
            streams.transcode_audio(source, target)
            small, blurhash = (None, "")
            if found.cover is not None:
                small, blurhash = _still(source, work, cover=True)
            meta = streams.probe(target).video_meta()
            return StreamResult("audio", target, "audio/mpeg", "mp3", meta, small, blurhash)
        target = work / "original.mp4"
        streams.transcode_video(source, target, found)
        # A video without sound plays like a GIF: looping and muted, as Mastodon shows it.
        kind = "video" if found.audio is not None else "gifv"
    small, blurhash = _still(target, work, cover=False)
    meta = streams.probe(target).video_meta()
    return StreamResult(kind, target, "video/mp4", "mp4", meta, small, blurhash)

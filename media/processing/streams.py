"""Audio and video with ffmpeg and ffprobe from the system's packages, within Mastodon's
limits: videos become H.264/AAC MP4 (copied without re-encoding when they already are),
animated GIFs and silent videos become looping `gifv`, audio becomes MP3. Every output is
written without the source's metadata, chapters, subtitles or data streams."""

import json
import math
import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from media.processing.errors import MediaRejected
from media.processing.images import INVALID_TYPE, UNVERIFIED

MAX_VIDEO_MATRIX_LIMIT = 8_294_400  # 3840x2160
MAX_VIDEO_FRAME_RATE = 120
MAX_VIDEO_FRAMES = 36_000  # about five minutes at 120 fps; longer videos are cut there
PROBE_TIMEOUT = 30
TRANSCODE_TIMEOUT = 600
NO_FFMPEG = "Audio, video and animated GIF uploads are not available: ffmpeg is not installed"
FAILED = "Error processing thumbnail for uploaded media"
# Containers ffmpeg may read for us. Nothing that can point elsewhere (playlists, concat
# lists, image sequences), and only local files (-protocol_whitelist) in any case.
CONTAINERS = {"mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "ogg", "mp3",
              "wav", "flac", "aac", "asf", "gif"}  # fmt: skip
SAFE_INPUT = ["-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file"]
CLEAN_OUTPUT = ["-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"]
EVEN_SIZE = "pad=ceil(iw/2)*2:ceil(ih/2)*2"  # H.264 wants even sides


def available() -> bool:
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


@dataclass
class Probe:
    formats: set[str]
    duration: float | None
    bitrate: int | None
    video: dict[str, Any] | None
    audio: dict[str, Any] | None
    cover: dict[str, Any] | None  # the attached picture of an audio file

    @property
    def frame_rate(self) -> Fraction | None:
        if self.video is None:
            return None
        for key in ("avg_frame_rate", "r_frame_rate"):
            rate = _fraction(self.video.get(key))
            if rate:
                return rate
        return None

    def video_meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        if self.video is not None:
            meta.update(width=self.video.get("width"), height=self.video.get("height"))
            rate = self.frame_rate
            if rate:
                meta["frame_rate"] = f"{rate.numerator}/{rate.denominator}"
        if self.duration is not None:
            meta["duration"] = self.duration
        if self.bitrate is not None:
            meta["bitrate"] = self.bitrate
        return {key: value for key, value in meta.items() if value is not None}


def _fraction(value: Any) -> Fraction | None:
    try:
        rate = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return rate if rate > 0 else None


def _number(value: Any, kind: type) -> Any:
    try:
        return kind(float(value)) if kind is int else kind(value)
    except (TypeError, ValueError):
        return None


def probe(path: Path) -> Probe:
    args = ["ffprobe", *SAFE_INPUT, "-print_format", "json", "-show_format", "-show_streams"]
    try:
        done = subprocess.run([*args, str(path)], capture_output=True, timeout=PROBE_TIMEOUT)
        found = json.loads(done.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError) as error:
        raise MediaRejected(UNVERIFIED) from error
    if done.returncode != 0 or "format" not in found:
        raise MediaRejected(UNVERIFIED)
    streams = found.get("streams", [])
    pictures = [s for s in streams if s.get("codec_type") == "video"]
    covers = [s for s in pictures if s.get("disposition", {}).get("attached_pic")]
    videos = [s for s in pictures if s not in covers]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    container = found["format"]
    return Probe(
        formats=set(str(container.get("format_name", "")).split(",")),
        duration=_number(container.get("duration"), float),
        bitrate=_number(container.get("bit_rate"), int),
        video=videos[0] if videos else None,
        audio=audios[0] if audios else None,
        cover=covers[0] if covers else None,
    )


def check(found: Probe) -> None:
    """Mastodon's limits, checked on the probe before any transcoding."""
    if not found.formats & CONTAINERS or (found.video is None and found.audio is None):
        raise MediaRejected(INVALID_TYPE)
    if found.video is None:
        return
    width, height = found.video.get("width") or 0, found.video.get("height") or 0
    rate = found.frame_rate
    if not width or not height or rate is None:
        raise MediaRejected("Video has no video stream")
    if width * height > MAX_VIDEO_MATRIX_LIMIT:
        raise MediaRejected(f"{width}x{height} videos are not supported")
    if math.floor(rate) > MAX_VIDEO_FRAME_RATE:
        raise MediaRejected(f"{math.floor(rate)}fps videos are not supported")


def run_ffmpeg(source: Path, output_args: list[str], target: Path) -> None:
    args = ["ffmpeg", "-nostdin", *SAFE_INPUT, "-i", str(source), *output_args, "-y", str(target)]
    try:
        done = subprocess.run(args, capture_output=True, timeout=TRANSCODE_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        raise MediaRejected(FAILED) from error
    if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise MediaRejected(FAILED)


def passthrough(found: Probe) -> bool:
    """Already what every browser plays: copy the streams rather than encode them again."""
    video, audio = found.video or {}, found.audio
    return (
        video.get("codec_name") == "h264"
        and video.get("pix_fmt") == "yuv420p"
        and (audio is None or audio.get("codec_name") == "aac")
        and bool(found.formats & {"mp4", "mov"})
    )


def transcode_video(source: Path, target: Path, found: Probe) -> None:
    streams = ["-map", "0:v:0", "-map", "0:a:0?"]
    if passthrough(found):
        codecs = ["-c:v", "copy", "-c:a", "copy"]
    else:
        codecs = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
                  "-vf", EVEN_SIZE, "-c:a", "aac", "-b:a", "192k",
                  "-frames:v", str(MAX_VIDEO_FRAMES)]  # fmt: skip
        rate = found.frame_rate
        if rate is not None and rate > MAX_VIDEO_FRAME_RATE:
            codecs += ["-fps_mode", "vfr", "-r", str(MAX_VIDEO_FRAME_RATE)]
    run_ffmpeg(source, [*streams, *codecs, *CLEAN_OUTPUT, "-movflags", "+faststart",
                        "-f", "mp4"], target)  # fmt: skip


def gif_to_mp4(source: Path, target: Path) -> None:
    args = ["-map", "0:v:0", "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            "-pix_fmt", "yuv420p", "-vf", EVEN_SIZE, "-frames:v", str(MAX_VIDEO_FRAMES),
            *CLEAN_OUTPUT, "-movflags", "+faststart", "-f", "mp4"]  # fmt: skip
    run_ffmpeg(source, args, target)


def transcode_audio(source: Path, target: Path) -> None:
    args = ["-map", "0:a:0", "-vn", "-c:a", "libmp3lame", "-q:a", "2", *CLEAN_OUTPUT,
            "-f", "mp3"]  # fmt: skip
    run_ffmpeg(source, args, target)


def first_frame(source: Path, target: Path, *, cover: bool = False) -> None:
    """A still for the preview: the first frame of a video, or an audio file's cover art."""
    stream = "0:v:0" if not cover else "0:v"
    run_ffmpeg(source, ["-map", stream, "-an", "-frames:v", "1", "-f", "image2",
                        "-c:v", "png"], target)  # fmt: skip

"""Real files for the media tests, made on the spot with Pillow and ffmpeg."""

import io
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg is not installed (apt-get install ffmpeg): video, audio and GIF tests skip",
)


def image_bytes(format: str = "PNG", size: tuple[int, int] = (64, 48), **options: object) -> bytes:
    mode = "RGBA" if format in ("PNG", "WEBP") and options.pop("alpha", False) else "RGB"
    image = Image.new(mode, size, (200, 30, 30, 255) if mode == "RGBA" else (200, 30, 30))
    # Two halves of different colours, so that orientation and blurhash can be seen.
    image.paste((20, 20, 220) + ((255,) if mode == "RGBA" else ()), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def gps_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "Spy Camera Co"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    return exif


def rotated_jpeg_with_gps(size: tuple[int, int] = (80, 40)) -> bytes:
    """Stored landscape, but EXIF orientation 6 says "turn it a quarter to the right"."""
    return image_bytes("JPEG", size, exif=gps_exif(6).tobytes(), quality=95)


def transparent_png(size: tuple[int, int] = (40, 40)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((0, 200, 0, 255), (10, 10, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def animated_gif(frames: int = 6, size: tuple[int, int] = (32, 24)) -> bytes:
    pictures = [Image.new("RGB", size, (i * 40 % 256, 100, 200 - i * 20)) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:],
                     duration=100, loop=0)  # fmt: skip
    return buffer.getvalue()


def png_bomb(side: int = 20_000) -> bytes:
    """A tiny file that claims side x side pixels: decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (side + 1) * 64)  # only the first rows; enough to lie
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))  # fmt: skip


def ffmpeg_output(args: list[str], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"out{suffix}"
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", *args, "-y", str(target)],
                       check=True, timeout=120)  # fmt: skip
        return target.read_bytes()


def webm_video(seconds: float = 1, size: str = "64x48", rate: int = 25) -> bytes:
    """VP8 with Vorbis sound and a title: must become H.264/AAC MP4 without the title."""
    return ffmpeg_output(
        ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-metadata", "title=secret title", "-c:v", "libvpx", "-c:a", "libvorbis",
         "-shortest"], ".webm")  # fmt: skip


def mp4_video(seconds: float = 1, size: str = "64x48", rate: int = 25, audio: bool = True) -> bytes:
    sound = ["-f", "lavfi", "-i", f"sine=duration={seconds}", "-c:a", "aac"] if audio else []
    return ffmpeg_output(
        ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}", *sound,
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-metadata", "location=+48.85+002.29/", "-shortest"], ".mp4")  # fmt: skip


def ogg_audio(seconds: float = 1) -> bytes:
    return ffmpeg_output(
        ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
         "-metadata", "artist=someone", "-c:a", "libvorbis"], ".ogg")  # fmt: skip


def wav_audio(seconds: float = 1) -> bytes:
    return ffmpeg_output(["-f", "lavfi", "-i", f"sine=duration={seconds}"], ".wav")

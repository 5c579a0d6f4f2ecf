"""Opening an uploaded zip only after its directory has been checked: every entry name must
stay inside the archive, and the sizes it declares must be plausible. Declared sizes can be
trusted as upper bounds because reading an entry stops at its declared size and then checks
its CRC, so a lying entry fails to read rather than growing."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

GIGABYTE = 1024**3
MAX_ENTRIES = 200_000
MAX_TOTAL_SIZE = 32 * GIGABYTE
# Beyond this ratio an entry is a bomb rather than text; small entries are exempt because
# a few kilobytes of repeated bytes compress absurdly well and harm nobody.
MAX_RATIO = 200
RATIO_EXEMPT_SIZE = 1024 * 1024


class ArchiveRefused(Exception):
    """The archive cannot be imported; the message says why, for the person who sent it."""


def _check_name(name: str) -> None:
    windows = len(name) > 1 and name[1] == ":"
    parts = PurePosixPath(name).parts
    if name.startswith(("/", "\\")) or windows or "\\" in name or ".." in parts or "\0" in name:
        raise ArchiveRefused(f"The archive contains an unsafe file name: {name[:200]!r}.")


def _check_entry(info: zipfile.ZipInfo) -> None:
    _check_name(info.filename)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ArchiveRefused(f"The archive contains a symbolic link: {info.filename[:200]!r}.")
    if info.flag_bits & 0x1:
        raise ArchiveRefused("The archive is encrypted.")
    if info.file_size > RATIO_EXEMPT_SIZE and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        raise ArchiveRefused(
            f"The archive entry {info.filename[:200]!r} expands too much to be genuine."
        )


def check_directory(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The entries by name, once all of them have passed."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused(f"The archive has more than {MAX_ENTRIES:,} files.")
    total = 0
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_entry(info)
        total += info.file_size
        if not info.is_dir():
            entries[info.filename] = info
    if total > MAX_TOTAL_SIZE:
        raise ArchiveRefused(
            f"The archive would expand to more than {MAX_TOTAL_SIZE // GIGABYTE} GB."
        )
    return entries


@contextmanager
def open_archive(path: Path) -> Iterator[SafeArchive]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ArchiveRefused("This is not a zip archive, or it is truncated.") from error
    with archive:
        yield SafeArchive(archive, check_directory(archive))


class LimitedReader(io.RawIOBase):
    """An entry's bytes, refusing to hand out more than `limit` of them."""

    def __init__(self, source: IO[bytes], name: str, limit: int) -> None:
        self.source, self.name, self.limit, self.seen = source, name, limit, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.source.read(size)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise ArchiveRefused(f"{self.name} is damaged or truncated.") from error
        self.seen += len(data)
        if self.seen > self.limit:
            raise ArchiveRefused(f"{self.name} is too large.")
        return data

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class SafeArchive:
    def __init__(self, archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> None:
        self.archive = archive
        self.entries = entries

    def has(self, name: str) -> bool:
        return name in self.entries

    def names(self) -> list[str]:
        return list(self.entries)

    def size(self, name: str) -> int:
        return self.entries[name].file_size

    @contextmanager
    def open(self, name: str, *, limit: int) -> Iterator[LimitedReader]:
        info = self.entries.get(name)
        if info is None:
            raise ArchiveRefused(f"The archive has no {name}.")
        if info.file_size > limit:
            raise ArchiveRefused(f"{name} is too large ({info.file_size:,} bytes).")
        try:
            handle = self.archive.open(info)
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError) as error:
            raise ArchiveRefused(f"{name} cannot be read from the archive.") from error
        with handle:
            yield LimitedReader(handle, name, limit)

    def copy_to(self, name: str, target: Path, *, limit: int) -> None:
        with self.open(name, limit=limit) as source, target.open("wb") as sink:
            while chunk := source.read(1024 * 1024):
                sink.write(chunk)

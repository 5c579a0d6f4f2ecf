"""Reading an uploaded CSV file into a BulkImport, with Mastodon's rules: files as this server
or Mastodon writes them, with or without their header line, at most 20 MB and 20,000 rows. A
file that breaks a rule is refused whole: nothing of it is stored."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account
from accounts.models_imports import BulkImport, BulkImportRow, ImportType
from fediverse.effects import enqueue

FILE_SIZE_LIMIT = 20 * 1024 * 1024
ROWS_LIMIT = 20_000
INSERT_CHUNK = 1000

EXPECTED_HEADERS: dict[str, list[str]] = {
    ImportType.FOLLOWING: ["Account address", "Show boosts", "Notify on new posts", "Languages"],
    ImportType.BLOCKING: ["Account address"],
    ImportType.MUTING: ["Account address", "Hide notifications"],
    ImportType.DOMAIN_BLOCKING: ["#domain"],
    ImportType.BOOKMARKS: ["#uri"],
    ImportType.LISTS: ["List name", "Account address"],
}
# The columns a file without a header line has, in order.
HEADERLESS_COLUMNS: dict[str, list[str]] = {
    ImportType.FOLLOWING: ["Account address"],
    ImportType.BLOCKING: ["Account address"],
    ImportType.MUTING: ["Account address"],
    ImportType.DOMAIN_BLOCKING: ["#domain"],
    ImportType.BOOKMARKS: ["#uri"],
    ImportType.LISTS: ["List name", "Account address"],
}
KNOWN_FIRST_HEADERS = {columns[0] for columns in EXPECTED_HEADERS.values()}
ATTRIBUTES = {
    "Account address": "acct",
    "Show boosts": "show_reblogs",
    "Notify on new posts": "notify",
    "Languages": "languages",
    "Hide notifications": "hide_notifications",
    "#domain": "domain",
    "#uri": "uri",
    "List name": "list_name",
}
FALSE_WORDS = {"false", "f", "0", "off"}


def _boolean(value: str) -> bool | None:
    value = value.strip().lower()
    return None if not value else value not in FALSE_WORDS


def _value(header: str, raw: str) -> Any:
    if header in ("Show boosts", "Notify on new posts", "Hide notifications"):
        return _boolean(raw)
    if header == "Languages":
        return [code.strip() for code in raw.split(",") if code.strip()] or None
    if header == "Account address":
        return raw.strip().removeprefix("@")
    if header == "#domain":
        return raw.strip().lower()
    return raw.strip()


def _reader(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers; a byte-order mark is dropped."""
    text = codecs.getreader("utf-8-sig")(file)
    reader = csv.reader(text, strict=True)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row
    except csv.Error as error:
        raise ValidationError(
            f"This is not a valid CSV file (line {reader.line_num}: {error})."
        ) from error
    except UnicodeDecodeError as error:
        raise ValidationError("This file is not UTF-8 text.") from error


def _columns(kind: str, first: list[str]) -> tuple[list[str], bool]:
    """The file's columns and whether its first row is a header line."""
    if first[0].strip() in KNOWN_FIRST_HEADERS:
        headers = [cell.strip() for cell in first]
        missing = [h for h in HEADERLESS_COLUMNS[kind] if h not in headers]
        if missing:
            raise ValidationError(
                f"This file does not fit the selected type ({ImportType(kind).label}): "
                f"it has no “{'”, “'.join(missing)}” column."
            )
        return headers, True
    return HEADERLESS_COLUMNS[kind], False


def parse_rows(*, kind: str, file: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each data row of the file as (line, attributes); ValidationError for a file that
    does not fit the import type, is not CSV, or is too long."""
    wanted = EXPECTED_HEADERS[kind]
    headers: list[str] | None = None
    count = 0
    for line, row in _reader(file):
        if headers is None:
            headers, is_header = _columns(kind, row)
            if is_header:
                continue
        if len(row) > len(headers):
            raise ValidationError(
                f"Line {line} has {len(row)} columns where a "
                f"{ImportType(kind).label.lower()} file has {len(headers)}: "
                "is this the right file for the selected type?"
            )
        count += 1
        if count > ROWS_LIMIT:
            raise ValidationError(f"This file has more than {ROWS_LIMIT:,} rows.")
        cells = dict(zip(headers, row, strict=False))
        yield line, {ATTRIBUTES[h]: _value(h, cells[h]) for h in wanted if h in cells}
    if headers is None:
        raise ValidationError("This file is empty.")


def check_upload(*, kind: str, size: int) -> None:
    if kind not in ImportType.values:
        raise ValidationError("Choose what the file contains.")
    if size > FILE_SIZE_LIMIT:
        raise ValidationError(
            f"This file is too large: the limit is {FILE_SIZE_LIMIT // (1024 * 1024)} MB."
        )


def do_create_import(
    *, account: Account, kind: str, overwrite: bool, file: IO[bytes], size: int, filename: str
) -> BulkImport:
    """Store the import and all its rows, then start working through them."""
    from accounts.tasks import process_bulk_import

    check_upload(kind=kind, size=size)
    with transaction.atomic():
        bulk_import = BulkImport.objects.create(
            account=account, type=kind, overwrite=overwrite, original_filename=filename[:255]
        )
        chunk: list[BulkImportRow] = []
        total = 0
        for line, data in parse_rows(kind=kind, file=file):
            chunk.append(BulkImportRow(bulk_import=bulk_import, line=line, data=data))
            if len(chunk) >= INSERT_CHUNK:
                total += len(BulkImportRow.objects.bulk_create(chunk))
                chunk = []
        total += len(BulkImportRow.objects.bulk_create(chunk))
        bulk_import.total_items = total
        bulk_import.save(update_fields=["total_items"])
        enqueue(process_bulk_import, bulk_import.pk)
    return bulk_import

"""CSV exports of a person's relations, written as Mastodon writes them so that either server
can import them: one generator per file, streaming rows straight from the database."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from accounts.models import Account, AccountDomainBlock, Block, Follow, Mute
from federation.lookup import local_host
from timelines.models import Bookmark
from timelines.models_curation import List, ListAccount

CHUNK = 1000


class _Line:
    """A file-like object whose write() hands back the text, so csv.writer makes one line."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[list[Any]], header: list[str] | None = None) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\n")
    if header is not None:
        yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def _cell(value: Any) -> str:
    # Ruby's CSV writes true/false in lower case and nil as an empty field.
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _address(username: str, domain: str | None) -> str:
    """Local accounts with this server's domain, so that the file works anywhere."""
    return f"{username}@{domain or local_host()}"


def following_csv(account: Account) -> Iterator[str]:
    follows = (
        Follow.objects.filter(account=account)
        .order_by("-id")
        .values_list(
            "target_account__username",
            "target_account__domain",
            "show_reblogs",
            "notify",
            "languages",
        )
    )
    rows = (
        [_address(u, d), reblogs, notify, ", ".join(langs) if langs else None]
        for u, d, reblogs, notify, langs in follows.iterator(chunk_size=CHUNK)
    )
    return _csv_lines(rows, ["Account address", "Show boosts", "Notify on new posts", "Languages"])


def muted_csv(account: Account) -> Iterator[str]:
    mutes = (
        Mute.objects.filter(account=account)
        .order_by("-id")
        .values_list("target_account__username", "target_account__domain", "hide_notifications")
    )
    rows = ([_address(u, d), hide] for u, d, hide in mutes.iterator(chunk_size=CHUNK))
    return _csv_lines(rows, ["Account address", "Hide notifications"])


def blocked_csv(account: Account) -> Iterator[str]:
    blocks = (
        Block.objects.filter(account=account)
        .order_by("-id")
        .values_list("target_account__username", "target_account__domain")
    )
    return _csv_lines([_address(u, d)] for u, d in blocks.iterator(chunk_size=CHUNK))


def blocked_domains_csv(account: Account) -> Iterator[str]:
    domains = AccountDomainBlock.objects.filter(account=account).order_by("id")
    return _csv_lines([d] for d in domains.values_list("domain", flat=True).iterator(CHUNK))


def bookmarks_csv(account: Account) -> Iterator[str]:
    uris = (
        Bookmark.objects.filter(account=account)
        .order_by("-id")
        .values_list("status__uri", flat=True)
    )
    return _csv_lines([uri] for uri in uris.iterator(chunk_size=CHUNK) if uri)


def lists_csv(account: Account) -> Iterator[str]:
    members = (
        ListAccount.objects.filter(list__account=account)
        .order_by("list_id", "id")
        .values_list("list__title", "account__username", "account__domain")
    )
    rows = ([title, _address(u, d)] for title, u, d in members.iterator(chunk_size=CHUNK))
    return _csv_lines(rows)


@dataclass(frozen=True)
class ExportFile:
    slug: str
    filename: str
    label: str


EXPORT_FILES = (
    ExportFile("follows", "following_accounts.csv", "Follows"),
    ExportFile("lists", "lists.csv", "Lists"),
    ExportFile("mutes", "muted_accounts.csv", "You mute"),
    ExportFile("blocks", "blocked_accounts.csv", "You block"),
    ExportFile("domain_blocks", "blocked_domains.csv", "Domain blocks"),
    ExportFile("bookmarks", "bookmarks.csv", "Bookmarks"),
)

WRITERS = {
    "follows": following_csv,
    "lists": lists_csv,
    "mutes": muted_csv,
    "blocks": blocked_csv,
    "domain_blocks": blocked_domains_csv,
    "bookmarks": bookmarks_csv,
}


def export_counts(account: Account) -> dict[str, int]:
    """How many rows each file will hold, for the export page."""
    return {
        "follows": Follow.objects.filter(account=account).count(),
        "followers": Follow.objects.filter(target_account=account).count(),
        "lists": List.objects.filter(account=account).count(),
        "mutes": Mute.objects.filter(account=account).count(),
        "blocks": Block.objects.filter(account=account).count(),
        "domain_blocks": AccountDomainBlock.objects.filter(account=account).count(),
        "bookmarks": Bookmark.objects.filter(account=account).count(),
    }

"""Reads for the moderation app's API entities, each done once for a whole list."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q

from accounts.models import Account
from fediverse import uris
from fediverse.formatting import extract_mentions, tokenize
from moderation.models import (
    AccountWarning,
    Announcement,
    AnnouncementReaction,
    AnnouncementRead,
    CustomEmoji,
)
from timelines.models import Status, Visibility

SHORTCODE_IN_TEXT_RE = re.compile(r":([a-zA-Z0-9_]{2,}):")


def local_emojis(shortcodes: set[str]) -> dict[str, CustomEmoji]:
    found = CustomEmoji.objects.filter(
        domain__isnull=True, disabled=False, shortcode__in=shortcodes
    )
    return {emoji.shortcode: emoji for emoji in found}


def listed_emojis() -> list[CustomEmoji]:
    """What the emoji picker offers: this server's enabled emojis shown in the picker."""
    return list(
        CustomEmoji.objects.filter(
            domain__isnull=True, disabled=False, visible_in_picker=True
        ).order_by("category", "shortcode")
    )


def linked_status_ids(text: str) -> list[int]:
    """Ids of this server's posts that the text links to."""
    pattern = re.compile(rf"^{re.escape(uris.base_url())}/(?:@[^/]+|users/[^/]+/statuses)/(\d+)$")
    matches = (pattern.match(t.value) for t in tokenize(text) if t.kind == "url")
    return list(dict.fromkeys(int(m.group(1)) for m in matches if m))


def mention_key(name: str, domain: str | None) -> tuple[str, str | None]:
    """@name and @name@this-server are the same local account."""
    domain = domain.lower() if domain else None
    return name.lower(), None if domain == settings.FEDIVERSE_DOMAIN.lower() else domain


def mentioned_keys(text: str) -> list[tuple[str, str | None]]:
    return list(dict.fromkeys(mention_key(name, domain) for name, domain in extract_mentions(text)))


@dataclass
class AnnouncementFacts:
    """Everything the announcement entities need, looked up in a fixed number of queries."""

    accounts: dict[tuple[str, str | None], Account] = field(default_factory=dict)
    statuses: dict[int, Status] = field(default_factory=dict)
    emojis: dict[str, CustomEmoji] = field(default_factory=dict)
    reactions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    read: set[int] = field(default_factory=set)


def _mentioned_accounts(texts: list[str]) -> dict[tuple[str, str | None], Account]:
    wanted = {key for text in texts for key in mentioned_keys(text)}
    if not wanted:
        return {}
    query = Q()
    for name, domain in wanted:
        query |= Q(username__iexact=name) & (
            Q(domain__isnull=True) if domain is None else Q(domain__iexact=domain)
        )
    found = Account.objects.filter(query, suspended_at__isnull=True)
    return {(a.username.lower(), a.domain.lower() if a.domain else None): a for a in found}


def _linked_statuses(texts: list[str]) -> dict[int, Status]:
    ids = {status_id for text in texts for status_id in linked_status_ids(text)}
    if not ids:
        return {}
    visible = Status.objects.filter(
        pk__in=ids, visibility__in=(Visibility.PUBLIC, Visibility.UNLISTED)
    ).select_related("account")
    return {status.pk: status for status in visible}


def _reactions(viewer: Account, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = (
        AnnouncementReaction.objects.filter(announcement_id__in=ids)
        .values("announcement_id", "name", "custom_emoji_id")
        .annotate(
            count=Count("id"),
            me=Count("id", filter=Q(account=viewer)),
            first=Min("created_at"),
        )
        .order_by("announcement_id", "first")
    )
    emoji_ids = {row["custom_emoji_id"] for row in rows if row["custom_emoji_id"]}
    emojis = CustomEmoji.objects.in_bulk(emoji_ids)
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        row["custom_emoji"] = emojis.get(row["custom_emoji_id"])
        grouped.setdefault(row["announcement_id"], []).append(row)
    return grouped


def announcement_facts(viewer: Account, announcements: list[Announcement]) -> AnnouncementFacts:
    if not announcements:
        return AnnouncementFacts()
    texts = [a.text for a in announcements]
    ids = [a.pk for a in announcements]
    shortcodes = {code for text in texts for code in SHORTCODE_IN_TEXT_RE.findall(text)}
    return AnnouncementFacts(
        accounts=_mentioned_accounts(texts),
        statuses=_linked_statuses(texts),
        emojis=local_emojis(shortcodes) if shortcodes else {},
        reactions=_reactions(viewer, ids),
        read=set(
            AnnouncementRead.objects.filter(account=viewer, announcement_id__in=ids).values_list(
                "announcement_id", flat=True
            )
        ),
    )


def unread_strikes(account: Account) -> list[AccountWarning]:
    """Strikes the account has not opened yet, newest first, for the banner on every page."""
    found = AccountWarning.objects.filter(target_account=account, read_at__isnull=True)
    return list(found.order_by("-id")[:3])

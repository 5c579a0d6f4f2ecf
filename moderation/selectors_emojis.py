"""Which custom emoji a post, a poll or a profile shows: every `:shortcode:` in its text that
names an enabled emoji of its author's server (this server's own for local authors), found
for a whole page of posts or accounts in one query."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q

from fediverse.formatting import SHORTCODE_SCAN_RE
from moderation.models import CustomEmoji

if TYPE_CHECKING:
    from accounts.models import Account
    from timelines.models import Poll, Status


Key = TypeVar("Key", bound=Hashable)


@dataclass
class PageEmojis:
    """The emoji shown by each status, each status's poll (by status id) and each author."""

    statuses: dict[int, list[CustomEmoji]] = field(default_factory=dict)
    polls: dict[int, list[CustomEmoji]] = field(default_factory=dict)
    accounts: dict[int, list[CustomEmoji]] = field(default_factory=dict)


def shortcodes_in(texts: Iterable[str]) -> list[str]:
    """Shortcodes in the order they first appear."""
    found = (code for text in texts if text for code in SHORTCODE_SCAN_RE.findall(text))
    return list(dict.fromkeys(found))


def emojis_for(wanted: Mapping[Key, tuple[str | None, list[str]]]) -> dict[Key, list[CustomEmoji]]:
    """For each key, given (domain, shortcodes), the enabled emoji of that domain found among
    the shortcodes, in their order. One query for all keys; emoji of another server whose
    image is not copied here yet are left out rather than loaded from that server."""
    by_domain: dict[str | None, set[str]] = {}
    for domain, codes in wanted.values():
        if codes:
            by_domain.setdefault(domain.lower() if domain else None, set()).update(codes)
    if not by_domain:
        return {key: [] for key in wanted}
    query = Q()
    for domain, wanted_codes in by_domain.items():
        place = Q(domain__isnull=True) if domain is None else Q(domain=domain)
        query |= place & Q(shortcode__in=sorted(wanted_codes))
    rows = CustomEmoji.objects.filter(query, disabled=False).exclude(image="")
    found = {(emoji.domain, emoji.shortcode): emoji for emoji in rows}
    result: dict[Key, list[CustomEmoji]] = {}
    for key, (domain, codes) in wanted.items():
        place_key = domain.lower() if domain else None
        result[key] = [found[(place_key, c)] for c in codes if (place_key, c) in found]
    return result


def account_texts(account: Account) -> list[str]:
    """What of a profile may carry emoji: name, bio and the fields' names and values."""
    fields = account.fields if isinstance(account.fields, list) else []
    texts = [account.display_name, account.note]
    for item in fields:
        if isinstance(item, dict):
            texts += [str(item.get("name", "")), str(item.get("value", ""))]
    return texts


def body_text(status: Status) -> str:
    """What the author wrote: the source of a local post (not the links rendered from it),
    the HTML of a remote one, as Mastodon scans them."""
    return status.text if status.local and status.text else status.content


def loaded_poll(status: Status) -> Poll | None:
    """The poll already selected with the status; never a query of its own."""
    from timelines.models import Poll, Status

    if not Status.poll.is_cached(status):  # type: ignore[attr-defined]
        return None
    try:
        return status.poll
    except Poll.DoesNotExist:
        return None


def account_emojis(accounts: Iterable[Account]) -> dict[int, list[CustomEmoji]]:
    wanted = {a.pk: (a.domain, shortcodes_in(account_texts(a))) for a in accounts}
    return emojis_for(wanted)


def poll_emojis(poll: Poll, domain: str | None) -> list[CustomEmoji]:
    return emojis_for({poll.pk: (domain, shortcodes_in(poll.options))})[poll.pk]


def page_emojis(statuses: Iterable[Status]) -> PageEmojis:
    """Emoji of the statuses (content, content warning and poll options, as Mastodon counts
    them), of their polls and of their authors, in one query."""
    wanted: dict[tuple[str, int], tuple[str | None, list[str]]] = {}
    for status in statuses:
        domain = status.account.domain
        poll = loaded_poll(status)
        options = list(poll.options) if poll is not None else []
        texts = [status.spoiler_text, body_text(status), *options]
        wanted[("status", status.pk)] = (domain, shortcodes_in(texts))
        if poll is not None:
            wanted[("poll", status.pk)] = (domain, shortcodes_in(options))
        author = shortcodes_in(account_texts(status.account))
        wanted[("account", status.account_id)] = (domain, author)
    page = PageEmojis()
    slots = {"status": page.statuses, "poll": page.polls, "account": page.accounts}
    for (kind, pk), emojis in emojis_for(wanted).items():
        slots[kind][pk] = emojis
    return page

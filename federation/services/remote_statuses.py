"""Posts that arrive from other servers become Status rows (local=False): sanitised HTML,
the visibility their audience implies, their place in a known thread, their hashtags, and
mentions of the accounts this server knows, with notifications for the local ones."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Account, Follow
from federation.lookup import account_by_uri, status_by_uri
from federation.parse import RemoteNote
from federation.parse.values import PUBLIC_ALIASES
from federation.tombstones import is_tombstoned
from fediverse.formatting import sanitize_html
from timelines.models import Mention, NotificationType, Status, Tag, Visibility
from timelines.services.conversations import do_record_direct_status
from timelines.services.notifications import notify

MAX_SPOILER = 1000


def visibility_of(note: RemoteNote, account: Account) -> str:
    """Mastodon's reading of the audience: the public in `to` is public, in `cc` unlisted;
    the author's followers in `to` is followers-only; anything else reaches only those
    named."""
    if any(uri in PUBLIC_ALIASES for uri in note.to):
        return Visibility.PUBLIC
    if any(uri in PUBLIC_ALIASES for uri in note.cc):
        return Visibility.UNLISTED
    if account.followers_url and account.followers_url in note.to:
        return Visibility.PRIVATE
    return Visibility.DIRECT


def _mentioned(note: RemoteNote) -> list[Account]:
    found: dict[int, Account] = {}
    for mention in note.mentions:
        account = account_by_uri(mention.href)
        if account is not None:
            found[account.pk] = account
    return list(found.values())


def is_relevant(
    note: RemoteNote, account: Account, parent: Status | None, recipient: Account | None
) -> bool:
    """Whether anyone here has reason to receive the post: it came to a local account's own
    inbox, the author has local followers, it names a local account in its audience or
    mentions, or it replies to a post known here. Unsolicited posts are dropped, as
    Mastodon drops them."""
    if recipient is not None or parent is not None:
        return True
    if Follow.objects.filter(target_account=account, account__domain__isnull=True).exists():
        return True
    named = [*note.audience, *(m.href for m in note.mentions)]
    return any((a := account_by_uri(uri)) is not None and a.local for uri in named)


def _tags(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag = Tag.objects.annotate(lname=Lower("name")).filter(lname=name.lower()).first()
        tags.append(tag or Tag.objects.create(name=name))
    return tags


def do_create_remote_status(
    *, account: Account, note: RemoteNote, recipient: Account | None = None
) -> Status | None:
    """The post, created once; None when it was deleted first or concerns nobody here.
    `recipient` is the local account whose personal inbox it came to: a direct post that
    reaches someone this way is theirs to see even when it does not mention them."""
    existing = Status.objects.filter(uri=note.id).first()
    if existing is not None:
        return existing
    if is_tombstoned(note.id) or account.suspended_at is not None:
        return None
    parent = status_by_uri(note.in_reply_to) if note.in_reply_to else None
    if not is_relevant(note, account, parent, recipient):
        return None
    now = timezone.now()
    published = min(note.published or now, now)
    with transaction.atomic():
        status = Status.objects.create(
            account=account,
            uri=note.id,
            url=note.url or note.id,
            content=sanitize_html(note.content),
            spoiler_text=note.summary[:MAX_SPOILER],
            sensitive=note.sensitive or bool(note.summary),
            visibility=visibility_of(note, account),
            language=(note.language or "")[:16] or None,
            in_reply_to=parent,
            in_reply_to_account=parent.account if parent is not None else None,
            local=False,
            created_at=published,
            edited_at=note.updated if note.updated and note.updated > published else None,
        )
        status.tags.set(_tags(note.hashtags))
        mentioned = _mentioned(note)
        Mention.objects.bulk_create(
            [Mention(status=status, account=a) for a in mentioned], ignore_conflicts=True
        )
        if recipient is not None and status.visibility == Visibility.DIRECT:
            Mention.objects.get_or_create(
                status=status, account=recipient, defaults={"silent": True}
            )
        for target in mentioned:
            notify(account=target, from_account=account, type=NotificationType.MENTION,
                   status=status)  # fmt: skip
        do_record_direct_status(status=status)
    return status

"""Posts that arrive from other servers become Status rows (local=False): sanitised HTML,
the visibility their audience implies, their place in a known thread, their hashtags, and
mentions of the accounts this server knows, with notifications for the local ones."""

from __future__ import annotations

from html import escape
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Follow
from federation import http
from federation.instance_actor import instance_signing_key
from federation.lookup import account_by_uri, is_local_uri, same_origin, status_by_uri
from federation.parse import ParseError, RemoteNote, parse_note
from federation.parse.note import CONVERTED_TYPES, RemotePoll
from federation.parse.values import PUBLIC_ALIASES
from federation.resolve import ResolveError, resolve_account_url
from federation.services.remote_media import (
    do_attach_remote_media,
    do_store_remote_emojis,
    do_update_remote_media,
)
from federation.tombstones import is_tombstoned
from fediverse.formatting import sanitize_html
from media.services.attachments import attached_ids
from timelines import feed_events
from timelines.models import Mention, NotificationType, Poll, Status, StatusEdit, Visibility
from timelines.services import cards
from timelines.services.conversations import do_record_direct_status
from timelines.services.hashtags import tags_named
from timelines.services.notifications import notify
from timelines.streaming import events as streaming_events

MAX_SPOILER = 1000
# How far up a thread the parents of an incoming reply are fetched.
MAX_PARENT_DEPTH = 5


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


def content_of(note: RemoteNote) -> str:
    """The HTML shown: the note's own, or for converted objects (an Article, a Video…)
    their title, summary and link, as Mastodon shows them."""
    if note.type not in CONVERTED_TYPES:
        return sanitize_html(note.content)
    link = note.url or note.id
    parts = [f"<h2>{escape(note.name)}</h2>" if note.name else "",
             sanitize_html(f"<p>{note.summary}</p>") if note.summary else "",
             f'<p><a href="{escape(link)}">{escape(link)}</a></p>']  # fmt: skip
    return "".join(parts)


def _parent(note: RemoteNote, depth: int) -> Status | None:
    if not note.in_reply_to:
        return None
    parent = status_by_uri(note.in_reply_to)
    if parent is None and depth < MAX_PARENT_DEPTH:
        parent = fetch_remote_status(note.in_reply_to, depth=depth + 1)
    return parent


def do_create_remote_status(
    *,
    account: Account,
    note: RemoteNote,
    recipient: Account | None = None,
    fetched: bool = False,
    depth: int = 0,
) -> Status | None:
    """The post, created once; None when it was deleted first or concerns nobody here.
    `recipient` is the local account whose personal inbox it came to: a direct post that
    reaches someone this way is theirs to see even when it does not mention them.
    `fetched` posts were asked for (a search, a boost, a thread) and are kept regardless."""
    existing = Status.objects.filter(uri=note.id).first()
    if existing is not None:
        return existing
    if is_tombstoned(note.id) or account.suspended_at is not None:
        return None
    known_parent = status_by_uri(note.in_reply_to) if note.in_reply_to else None
    if not fetched and not is_relevant(note, account, known_parent, recipient):
        return None
    parent = known_parent or _parent(note, depth)
    now = timezone.now()
    published = min(note.published or now, now)
    with transaction.atomic():
        status = Status.objects.create(
            account=account,
            uri=note.id,
            url=note.url or note.id,
            content=content_of(note),
            spoiler_text="" if note.type in CONVERTED_TYPES else note.summary[:MAX_SPOILER],
            sensitive=note.sensitive or (bool(note.summary) and note.type not in CONVERTED_TYPES),
            visibility=visibility_of(note, account),
            language=(note.language or "")[:16] or None,
            in_reply_to=parent,
            in_reply_to_account=parent.account if parent is not None else None,
            local=False,
            created_at=published,
            edited_at=note.updated if note.updated and note.updated > published else None,
        )
        status.tags.set(tags_named(note.hashtags))
        mentioned = _mentioned(note)
        Mention.objects.bulk_create(
            [Mention(status=status, account=a) for a in mentioned], ignore_conflicts=True
        )
        if recipient is not None and status.visibility == Visibility.DIRECT:
            Mention.objects.get_or_create(
                status=status, account=recipient, defaults={"silent": True}
            )
        if parent is not None and parent.account.local and parent.account not in mentioned:
            # A reply reaches the author it answers, as a local reply does.
            Mention.objects.get_or_create(
                status=status, account=parent.account, defaults={"silent": True}
            )
            mentioned.append(parent.account)
        for target in mentioned:
            notify(account=target, from_account=account, type=NotificationType.MENTION,
                   status=status)  # fmt: skip
        if note.poll is not None:
            store_poll(status, note.poll)
        do_attach_remote_media(status, note.attachments)
        do_store_remote_emojis(account, note.emojis)
        do_record_direct_status(status=status)
        feed_events.schedule_fan_out(status)
        streaming_events.schedule_status(status)
        cards.schedule_card(status)
    return status


def store_poll(status: Status, poll: RemotePoll) -> None:
    tallies = [option.votes for option in poll.options]
    Poll.objects.update_or_create(
        status=status,
        defaults={
            "account": status.account,
            "options": [option.name for option in poll.options],
            "tallies": tallies,
            "multiple": poll.multiple,
            "expires_at": poll.ends_at,
            "votes_count": sum(tallies),
            "voters_count": poll.voters_count,
            "closed": poll.closed,
        },
    )


def fetch_remote_status(uri: str, *, depth: int = 0) -> Status | None:
    """A remote post by its id (a boosted post, a reply's parent, a Create that named only
    an id): fetched, signed by the instance actor, from its own server."""
    known = status_by_uri(uri)
    if known is not None or is_local_uri(uri) or is_tombstoned(uri):
        return known
    try:
        note = parse_note(http.fetch_document(uri, signer=instance_signing_key()))
        if not same_origin(note.id, note.attributed_to):
            return None
        author = resolve_account_url(note.attributed_to)
    except (http.FetchError, ParseError, ResolveError):
        return None
    return do_create_remote_status(account=author, note=note, fetched=True, depth=depth)


def do_update_remote_status(*, account: Account, note: RemoteNote) -> Status | None:
    """An edit: the post takes the new text, the old one is kept as a revision."""
    status = Status.objects.filter(uri=note.id, account=account, local=False).first()
    if status is None:
        return None
    with transaction.atomic():
        if not status.edits.exists():
            _revision(status, status.created_at, attached_ids(status_id=status.pk))
        status.content = content_of(note)
        status.spoiler_text = "" if note.type in CONVERTED_TYPES else note.summary[:MAX_SPOILER]
        status.sensitive = note.sensitive or bool(status.spoiler_text)
        status.edited_at = min(note.updated or timezone.now(), timezone.now())
        status.save()
        status.tags.set(tags_named(note.hashtags))
        if note.poll is not None:
            store_poll(status, note.poll)
        media_ids = do_update_remote_media(status, note.attachments)
        do_store_remote_emojis(account, note.emojis)
        _revision(status, status.edited_at, media_ids)
        for reblog in Status.objects.filter(reblog=status).select_related("account"):
            notify(account=reblog.account, from_account=account, type=NotificationType.UPDATE,
                   status=status)  # fmt: skip
        streaming_events.schedule_status(status, edited=True)
        cards.schedule_card(status)
    return status


def _revision(status: Status, at: Any, media_ids: list[int]) -> None:
    StatusEdit.objects.create(
        status=status, account=status.account, content=status.content,
        spoiler_text=status.spoiler_text, sensitive=status.sensitive,
        language=status.language, media_ids=media_ids, created_at=at,
    )  # fmt: skip

"""The media of remote posts and accounts: attachments become MediaAttachment rows through
the media app, and avatars, headers and custom emoji are copied here on the `media` queue, as
Mastodon does when it stores a remote post or account."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Account
from federation.parse.note import RemoteDocument, RemoteEmoji
from fediverse.effects import enqueue
from media.models import MAX_DESCRIPTION_LENGTH, MediaAttachment
from media.services.attachments import do_delete_media_rows
from media.services.remote import MAX_REMOTE_ATTACHMENTS, RemoteMedia, do_add_remote_media
from media.tasks import cache_remote_emoji, cache_remote_profile_image
from moderation.models import CustomEmoji
from timelines.models import Status


def _remote_media(document: RemoteDocument) -> RemoteMedia:
    return RemoteMedia(
        url=document.url,
        media_type=document.media_type,
        description=document.name,
        blurhash=document.blurhash,
        focus=document.focal_point,
        width=document.width,
        height=document.height,
    )


def _kept(documents: list[RemoteDocument]) -> list[RemoteDocument]:
    """The first four with distinct URLs: Mastodon keeps no more of a remote post."""
    unique = {d.url[:2048]: d for d in reversed(documents)}
    ordered = [d for d in documents if unique.get(d.url[:2048]) is d]
    return ordered[:MAX_REMOTE_ATTACHMENTS]


def do_attach_remote_media(status: Status, documents: list[RemoteDocument]) -> None:
    """A new remote post's attachments, in the author's order, fetched once it is committed."""
    kept = _kept(documents)
    if kept:
        do_add_remote_media(
            account=status.account, status_id=status.pk, items=[_remote_media(d) for d in kept]
        )


def do_update_remote_media(status: Status, documents: list[RemoteDocument]) -> list[int]:
    """An edited remote post's attachments: those it still lists (by URL) keep their rows and
    cached copies and take the new description and focus; new ones are added; the others go.
    Returns the attachment ids in their new order."""
    kept = _kept(documents)
    with transaction.atomic():
        current = {m.remote_url: m for m in MediaAttachment.objects.filter(status=status)}
        wanted = {d.url[:2048] for d in kept}
        gone = [m for url, m in current.items() if url not in wanted]
        if gone:
            do_delete_media_rows(gone)
        new = [d for d in kept if d.url[:2048] not in current]
        added = do_add_remote_media(
            account=status.account, status_id=status.pk, items=[_remote_media(d) for d in new]
        )
        by_url = {**{m.remote_url: m for m in added}, **current}
        pairs = [(d, by_url[d.url[:2048]]) for d in kept if d.url[:2048] in by_url]
        for position, (document, media) in enumerate(pairs):
            _refresh(media, document, position)
    return [media.pk for _, media in pairs]


def _refresh(media: MediaAttachment, document: RemoteDocument, position: int) -> None:
    media.position = position
    media.description = document.name.strip()[:MAX_DESCRIPTION_LENGTH]
    if document.focal_point is not None:
        x, y = (max(-1.0, min(1.0, value)) for value in document.focal_point)
        media.meta = {**media.meta, "focus": {"x": x, "y": y}}
    media.save(update_fields=["position", "description", "meta", "updated_at"])


def _unchanged(known: CustomEmoji, emoji: RemoteEmoji) -> bool:
    same = known.image_remote_url == emoji.url and bool(known.image)
    return same and (emoji.updated is None or known.updated_at >= emoji.updated)


def do_store_remote_emojis(account: Account, emojis: list[RemoteEmoji]) -> None:
    """Custom emoji a remote post uses, stored under the author's domain and fetched on the
    media queue when new or when their image changed, as Mastodon's process_emoji does."""
    if not account.domain:
        return
    wanted = {e.shortcode: e for e in emojis}
    stored = CustomEmoji.objects.filter(shortcode__in=list(wanted), domain=account.domain)
    by_code = {e.shortcode: e for e in stored}
    for emoji in wanted.values():
        known = by_code.get(emoji.shortcode)
        if known is not None and _unchanged(known, emoji):
            continue
        if known is None:
            known = CustomEmoji(shortcode=emoji.shortcode, domain=account.domain)
        known.uri = emoji.uri[:2048]
        known.image_remote_url = emoji.url[:2048]
        known.save()
        enqueue(cache_remote_emoji, known.pk, queue="media")


def do_cache_profile_images(account: Account, avatar: str | None, header: str | None) -> None:
    """A remote account's avatar and header, copied on the media queue after the commit."""
    for kind, url in (("avatar", avatar), ("header", header)):
        if url:
            enqueue(cache_remote_profile_image, account.pk, kind, url[:2048], queue="media")

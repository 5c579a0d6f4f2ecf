"""Editing a post in place, as Mastodon does: the edit replaces text, content warning,
sensitivity, language, poll and media together; every change is kept as a revision, and
those who boosted the post are told it changed."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from federation.services import outbox
from fediverse.formatting import extract_hashtags, extract_mentions
from timelines.models import Mention, NotificationType, Poll, Status, StatusEdit
from timelines.services import cards
from timelines.services.attachments import attach_media, attached_media_ids
from timelines.services.notifications import notify
from timelines.services.polls import PollInput, replace_poll
from timelines.services.rendering import find_mentioned_account, render_status_text
from timelines.services.statuses import StatusInput, _attach_tags, check_status
from timelines.streaming import events as streaming_events


@dataclass(frozen=True)
class EditInput:
    text: str
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    poll: PollInput | None = None
    media_ids: tuple[int, ...] = ()


def check_edit(*, account: Account, status: Status, data: EditInput) -> None:
    if status.account_id != account.pk or status.reblog_id is not None:
        raise ValidationError(
            {"__all__": ValidationError("You can only edit your own posts.", code="forbidden")}
        )
    check_status(
        account=account,
        data=StatusInput(
            text=data.text,
            spoiler_text=data.spoiler_text,
            visibility=status.visibility,
            sensitive=data.sensitive,
            language=data.language,
            poll=data.poll,
            media_ids=data.media_ids,
        ),
        editing_id=status.pk,
    )


def _poll_options(status: Status) -> list[str] | None:
    poll = Poll.objects.filter(status=status).first()
    return list(poll.options) if poll is not None else None


def _snapshot(status: Status, *, account: Account, at: datetime) -> StatusEdit:
    return StatusEdit.objects.create(
        status=status,
        account=account,
        text=status.text,
        content=status.content,
        spoiler_text=status.spoiler_text,
        sensitive=status.sensitive,
        language=status.language,
        poll_options=_poll_options(status),
        created_at=at,
    )


def do_edit_status(*, account: Account, status: Status, data: EditInput) -> Status:
    check_edit(account=account, status=status, data=data)
    with transaction.atomic():
        status = Status.objects.select_for_update().select_related("account").get(pk=status.pk)
        spoiler_text = data.spoiler_text.strip()
        before = (status.text, status.spoiler_text, status.sensitive, status.language)
        after = (data.text, spoiler_text, data.sensitive or bool(spoiler_text),
                 data.language or status.language)  # fmt: skip
        # A poll sent again always changes (its end moves), as in Mastodon.
        has_poll = Poll.objects.filter(status=status).exists()
        media_before = attached_media_ids(status_id=status.pk)
        same_media = media_before == list(dict.fromkeys(data.media_ids))
        if before == after and data.poll is None and not has_poll and same_media:
            return status
        if not status.edits.exists():
            # The first edit also keeps the post as first published.
            _snapshot(status, account=status.account, at=status.created_at)
        status.text, status.spoiler_text, status.sensitive, status.language = after
        replace_poll(status=status, data=data.poll)
        # As in Mastodon, the edit carries the whole list: media left out come off the post.
        attach_media(account=account, status_id=status.pk, media_ids=data.media_ids)
        status.content = render_status_text(status.text)
        status.edited_at = timezone.now()
        status.save()
        _attach_tags(status, extract_hashtags(status.text))
        for target in _update_mentions(status):
            notify(account=target, from_account=account, type=NotificationType.MENTION,
                   status=status)  # fmt: skip
        _snapshot(status, account=account, at=status.edited_at)
        streaming_events.schedule_status(status, edited=True)
        for reblog in Status.objects.filter(reblog=status).select_related("account"):
            notify(account=reblog.account, from_account=status.account,
                   type=NotificationType.UPDATE, status=status)  # fmt: skip
        outbox.federate_edit(status)
        cards.schedule_card(status)
    return status


def _update_mentions(status: Status) -> list[Account]:
    """Mentions follow the edited text; the silent mention of the author being answered stays.
    Returns the newly mentioned, who are told as for a new post."""
    wanted: dict[int, Account] = {}
    for username, domain in extract_mentions(status.text):
        target = find_mentioned_account(username, domain)
        if target is not None:
            wanted[target.pk] = target
    current = {mention.account_id: mention for mention in status.mentions.all()}
    dropped = [m.pk for pk, m in current.items() if pk not in wanted and not m.silent]
    Mention.objects.filter(pk__in=dropped).delete()
    Mention.objects.filter(status=status, account_id__in=wanted, silent=True).update(silent=False)
    added = [target for pk, target in wanted.items() if pk not in current]
    Mention.objects.bulk_create([Mention(status=status, account=target) for target in added])
    return added


def revisions(status: Status) -> list[StatusEdit]:
    """The history oldest first; a post never edited has one revision: itself."""
    edits = list(status.edits.select_related("account").order_by("id"))
    if edits:
        return edits
    current = StatusEdit(
        status=status,
        account=status.account,
        text=status.text,
        content=status.content,
        spoiler_text=status.spoiler_text,
        sensitive=status.sensitive,
        language=status.language,
        poll_options=_poll_options(status),
        created_at=status.edited_at or status.created_at,
    )
    return [current]

"""Posting and deleting. The web compose box and the API call these same functions."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account
from accounts.services.migration import check_can_post
from federation.services import outbox
from fediverse import uris
from fediverse.formatting import count_characters, extract_hashtags, extract_mentions
from moderation.models import InstanceSettings
from timelines import feed_events
from timelines.models import Mention, NotificationType, Status, Visibility
from timelines.services import cards
from timelines.services.attachments import attach_media, check_media_ids
from timelines.services.conversations import do_record_direct_status
from timelines.services.hashtags import tags_named
from timelines.services.notifications import notify
from timelines.services.polls import PollInput, check_poll, create_poll
from timelines.services.rendering import find_mentioned_account, render_status_text
from timelines.streaming import events as streaming_events

SPOILER_MAX_LENGTH = 1000  # counted within the character limit too, as Mastodon does
LANGUAGE_MAX_LENGTH = 16


@dataclass(frozen=True)
class StatusInput:
    text: str
    spoiler_text: str = ""
    visibility: str = Visibility.PUBLIC
    sensitive: bool = False
    language: str | None = None
    in_reply_to_id: int | None = None
    application_id: int | None = None
    poll: PollInput | None = None
    media_ids: tuple[int, ...] = ()


def check_status(
    *, account: Account, data: StatusInput, editing_id: int | None = None
) -> Status | None:
    """Validate a new post and return the post it replies to, if any. `editing_id`: the post
    being edited, whose own attachments may stay on it."""
    check_can_post(account)
    # Media refusals come first: Mastodon checks the attachments before the post itself.
    errors = check_media_ids(
        account=account,
        media_ids=data.media_ids,
        with_poll=data.poll is not None,
        status_id=editing_id,
    )
    limit = InstanceSettings.current().character_limit
    if not data.text.strip() and not data.media_ids:
        errors["text"] = ValidationError("Write something to post.", code="blank")
    elif count_characters(data.text) + count_characters(data.spoiler_text) > limit:
        errors["text"] = ValidationError(f"Posts are at most {limit} characters.", code="too_long")
    if data.visibility not in Visibility.values:
        errors["visibility"] = ValidationError(
            "Choose public, unlisted, followers-only or direct.", code="invalid"
        )
    if data.language and len(data.language) > LANGUAGE_MAX_LENGTH:
        errors["language"] = ValidationError("This is not a language code.", code="invalid")
    if data.poll is not None:
        errors.update(check_poll(data.poll))
    in_reply_to = None
    if data.in_reply_to_id is not None:
        in_reply_to = (
            Status.objects.visible_to(account)
            .filter(pk=data.in_reply_to_id, reblog__isnull=True)
            .select_related("account")
            .first()
        )
        if in_reply_to is None:
            errors["in_reply_to_id"] = ValidationError(
                "The post you are replying to does not exist.", code="not_found"
            )
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    return in_reply_to


def do_create_status(*, account: Account, data: StatusInput) -> Status:
    in_reply_to = check_status(account=account, data=data)
    with transaction.atomic():
        status = Status(
            account=account,
            text=data.text,
            content=render_status_text(data.text),
            spoiler_text=data.spoiler_text.strip(),
            sensitive=data.sensitive or bool(data.spoiler_text.strip()),
            visibility=data.visibility,
            language=data.language or None,
            in_reply_to=in_reply_to,
            in_reply_to_account=in_reply_to.account if in_reply_to else None,
            local=True,
            application_id=data.application_id,
        )
        status.uri = uris.status_uri(account.username, status.id)
        status.url = uris.status_url(account.username, status.id)
        status.save()
        if data.poll is not None:
            create_poll(status=status, data=data.poll)
        attach_media(account=account, status_id=status.pk, media_ids=data.media_ids)
        _attach_tags(status, extract_hashtags(data.text))
        mentioned = _attach_mentions(status, data.text)
        for target in mentioned:
            notify(account=target, from_account=account, type=NotificationType.MENTION,
                   status=status)  # fmt: skip
        do_record_direct_status(status=status)
        streaming_events.schedule_status(status)
        feed_events.schedule_fan_out(status)
        outbox.federate_status(status)
        cards.schedule_card(status)
    return status


def _attach_tags(status: Status, names: list[str]) -> None:
    status.tags.set(tags_named(names))


def _attach_mentions(status: Status, text: str) -> list[Account]:
    accounts: dict[int, Account] = {}
    for username, domain in extract_mentions(text):
        target = find_mentioned_account(username, domain)
        if target is not None:
            accounts[target.pk] = target
    # A reply reaches the author it answers even when the text does not name them.
    if status.in_reply_to_account is not None and status.visibility != Visibility.DIRECT:
        author = status.in_reply_to_account
        if author.pk not in accounts and author.pk != status.account_id:
            Mention.objects.create(status=status, account=author, silent=True)
            notify(account=author, from_account=status.account, type=NotificationType.MENTION,
                   status=status)  # fmt: skip
    Mention.objects.bulk_create([Mention(status=status, account=a) for a in accounts.values()])
    return list(accounts.values())


def check_delete(*, account: Account, status: Status) -> None:
    if status.account_id != account.pk:
        raise ValidationError("You can only delete your own posts.", code="forbidden")


def do_delete_status(*, account: Account, status: Status) -> None:
    check_delete(account=account, status=status)
    with transaction.atomic():
        streaming_events.schedule_delete(status.pk)
        outbox.federate_delete(status)
        feed_events.schedule_removal(status)
        status.delete()

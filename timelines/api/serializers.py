"""Mastodon's Status entity. Nothing here queries: relations are prefetched by
timelines.selectors.hydrate and per-viewer facts come from status_facts."""

from typing import Any

from rest_framework import serializers

from accounts.api.serializers import AccountSerializer
from accounts.models import Account
from fediverse import uris
from fediverse.api.render import iso
from media.api.serializers import media_entity
from moderation.api.emojis import emoji_entities
from moderation.models import CustomEmoji
from timelines.api.cards import card_of
from timelines.api.filter_entities import filter_result_entity
from timelines.models import Poll, Status, Visibility
from timelines.selectors import StatusFacts

PINNABLE = (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE)


def mention_entity(account: Account) -> dict[str, str]:
    return {
        "id": str(account.pk),
        "username": account.username,
        "url": account.url or uris.account_url(account.username),
        "acct": account.acct,
    }


def poll_of(status: Status) -> Poll | None:
    """The poll hydrate() selected along with the status, if it has one."""
    try:
        return status.poll
    except Poll.DoesNotExist:
        return None


def poll_entity(
    poll: Poll,
    own_votes: list[int] | None,
    viewer: Account | None,
    emojis: list[CustomEmoji] | None = None,
) -> dict[str, Any]:
    # Totals stay hidden until the end when the author asked so, from the author too.
    show_totals = poll.expired or not poll.hide_totals
    tallies = list(poll.tallies) + [0] * (len(poll.options) - len(poll.tallies))
    data: dict[str, Any] = {
        "id": str(poll.pk),
        "expires_at": iso(poll.expires_at),
        "expired": poll.expired,
        "multiple": poll.multiple,
        "votes_count": poll.votes_count,
        "voters_count": poll.voters_count,
        "options": [
            {"title": title, "votes_count": tallies[index] if show_totals else None}
            for index, title in enumerate(poll.options)
        ],
        "emojis": emoji_entities(emojis),
    }
    if viewer is not None:
        data.update(poll_viewer_fields(poll.account_id, own_votes, viewer))
    return data


def poll_viewer_fields(author_id: int, own_votes: list[int] | None, viewer: Account) -> dict:
    return {"voted": author_id == viewer.pk or bool(own_votes), "own_votes": own_votes or []}


def viewer_fields(
    status_id: int, author_id: int, pinnable: bool, facts: StatusFacts, viewer: Account
) -> dict[str, Any]:
    """What only this viewer sees of a status: their own relation to it."""
    data = {
        "favourited": status_id in facts.favourited,
        "reblogged": status_id in facts.reblogged,
        "muted": status_id in facts.muted,
        "bookmarked": status_id in facts.bookmarked,
        "filtered": [filter_result_entity(m) for m in facts.filtered.get(status_id, ())],
    }
    if author_id == viewer.pk and pinnable:
        data["pinned"] = status_id in facts.pinned
    return data


def is_pinnable(status: Status) -> bool:
    return not status.reblog_id and status.visibility in PINNABLE


def shown_sensitive(status: Status, viewer: Account | None) -> bool:
    """Moderators can force an account's media behind a warning; its author still sees the
    flag they chose, as Mastodon shows it."""
    if viewer is not None and viewer.pk == status.account_id:
        return status.sensitive
    return status.sensitive or status.account.sensitized_at is not None


class StatusSerializer(serializers.BaseSerializer):
    """context: {"facts": StatusFacts, "stats": account stats, "viewer": Account | None}"""

    def to_representation(self, status: Status) -> dict[str, Any]:
        facts: StatusFacts = self.context["facts"]
        account = AccountSerializer(status.account, context=self.context).data
        reblog = self.to_representation(status.reblog) if status.reblog is not None else None
        key = status.pk
        viewer = self.context.get("viewer")
        data: dict[str, Any] = {
            "id": str(status.pk),
            "created_at": iso(status.created_at),
            "in_reply_to_id": str(status.in_reply_to_id) if status.in_reply_to_id else None,
            "in_reply_to_account_id": str(status.in_reply_to_account_id)
            if status.in_reply_to_account_id
            else None,
            "sensitive": shown_sensitive(status, viewer),
            "spoiler_text": status.spoiler_text,
            "visibility": status.visibility,
            "language": status.language,
            "uri": status.uri,
            "url": status.url or None,
            "replies_count": facts.replies.get(key, 0),
            "reblogs_count": facts.reblogs.get(key, 0),
            "favourites_count": facts.favourites.get(key, 0),
            "edited_at": iso(status.edited_at),
            "content": status.content,
            "reblog": reblog,
            "application": {
                "name": status.application.name,
                "website": status.application.website or None,
            }  # fmt: skip
            if status.application_id and status.application and status.local
            else None,
            "account": account,
            "media_attachments": [media_entity(m) for m in status.media_attachments.all()],
            "mentions": [mention_entity(m.account) for m in status.mentions.all()],
            "tags": [
                {"name": tag.name.lower(), "url": uris.tag_url(tag.name.lower())}
                for tag in status.tags.all()
            ],
            "emojis": emoji_entities(facts.emojis.statuses.get(key)),
            "card": card_of(facts.cards, key),
            "poll": None,
        }
        poll = poll_of(status)
        if poll is not None:
            emojis = facts.emojis.polls.get(key)
            data["poll"] = poll_entity(poll, facts.own_votes.get(key), viewer, emojis)
        if status.reblog_id:
            data.update(content="", spoiler_text="", mentions=[], tags=[], url=None)
        if viewer is not None:
            data.update(viewer_fields(key, status.account_id, is_pinnable(status), facts, viewer))
        if self.context.get("with_text"):
            data["text"] = status.text
        return data

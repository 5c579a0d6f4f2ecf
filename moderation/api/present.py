"""Mastodon entities for reports, announcements and custom emojis. Nothing here queries:
what the entities need comes looked up by moderation.selectors."""

from typing import Any

from accounts.api.views import present_account
from accounts.models import Account
from fediverse import uris
from fediverse.api.render import iso
from fediverse.formatting import extract_hashtags, render_plain_text
from moderation.api.emojis import custom_emoji_entity
from moderation.models import Announcement, CustomEmoji, Report
from moderation.selectors import (
    SHORTCODE_IN_TEXT_RE,
    AnnouncementFacts,
    linked_status_ids,
    mention_key,
    mentioned_keys,
)


def report_entity(report: Report) -> dict[str, Any]:
    return {
        "id": str(report.pk),
        "action_taken": report.action_taken,
        "action_taken_at": iso(report.action_taken_at),
        "category": report.category,
        "comment": report.comment,
        "forwarded": report.forwarded,
        "created_at": iso(report.created_at),
        "status_ids": [str(pk) for pk in report.status_ids],
        "rule_ids": [str(pk) for pk in report.rule_ids] if report.rule_ids else None,
        "target_account": present_account(report.target_account),
    }


def _mention_entity(account: Account) -> dict[str, Any]:
    return {
        "id": str(account.pk),
        "username": account.username,
        "url": account.url or uris.account_url(account.username),
        "acct": account.acct,
    }


def _reaction_entity(row: dict[str, Any]) -> dict[str, Any]:
    entity = {"name": row["name"], "count": row["count"], "me": row["me"] > 0}
    emoji: CustomEmoji | None = row["custom_emoji"]
    if emoji is not None:
        shown = custom_emoji_entity(emoji)
        entity.update(url=shown["url"], static_url=shown["static_url"])
    return entity


def announcement_entity(announcement: Announcement, facts: AnnouncementFacts) -> dict[str, Any]:
    text = announcement.text
    mentioned = [facts.accounts[key] for key in mentioned_keys(text) if key in facts.accounts]

    def mention_url(name: str, domain: str | None) -> str | None:
        account = facts.accounts.get(mention_key(name, domain))
        return None if account is None else _mention_entity(account)["url"]

    statuses = [facts.statuses[pk] for pk in linked_status_ids(text) if pk in facts.statuses]
    codes = dict.fromkeys(SHORTCODE_IN_TEXT_RE.findall(text))
    tags = [tag.lower() for tag in extract_hashtags(text)]
    return {
        "id": str(announcement.pk),
        "content": render_plain_text(text, resolve_mention=mention_url, tag_url=uris.tag_url),
        "starts_at": iso(announcement.starts_at),
        "ends_at": iso(announcement.ends_at),
        "all_day": announcement.all_day,
        "published_at": iso(announcement.published_at),
        "updated_at": iso(announcement.updated_at),
        "read": announcement.pk in facts.read,
        "mentions": [_mention_entity(a) for a in mentioned],
        "statuses": [
            {"id": str(s.pk), "url": s.url or uris.status_url(s.account.username, s.pk)}
            for s in statuses
        ],
        "tags": [{"name": tag, "url": uris.tag_url(tag)} for tag in tags],
        "emojis": [custom_emoji_entity(facts.emojis[c]) for c in codes if c in facts.emojis],
        "reactions": [_reaction_entity(r) for r in facts.reactions.get(announcement.pk, [])],
    }

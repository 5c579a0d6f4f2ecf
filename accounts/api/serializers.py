"""Mastodon's Account, CredentialAccount and Relationship entities. Nothing here queries: the
counts and relations come in from selectors, computed for a whole page at once."""

from typing import Any

from django.templatetags.static import static
from rest_framework import serializers

from accounts.models import Account, Role, User
from accounts.selectors import AccountStats, Relationship
from fediverse import uris
from fediverse.api.render import iso, iso_date
from media.services.profile_images import profile_image_url
from moderation.api.emojis import emoji_entities


def avatar_url(account: Account, *, still: bool = False) -> str:
    found = profile_image_url(account.avatar, still=still)
    return found or uris.absolute(static("herd/avatar.png"))


def header_url(account: Account, *, still: bool = False) -> str:
    found = profile_image_url(account.header, still=still)
    return found or uris.absolute(static("herd/header.png"))


def render_fields(account: Account) -> list[dict[str, Any]]:
    from fediverse.formatting import render_plain_text
    from timelines.services.rendering import resolve_local_mention, tag_url

    return [
        {
            "name": field.get("name", ""),
            "value": render_plain_text(
                field.get("value", ""), resolve_mention=resolve_local_mention, tag_url=tag_url
            )
            .removeprefix("<p>")
            .removesuffix("</p>")
            if account.local
            else field.get("value", ""),
            "verified_at": field.get("verified_at"),
        }
        for field in account.fields
    ]


def stats_fields(stats: AccountStats) -> dict[str, Any]:
    return {
        "followers_count": stats.followers,
        "following_count": stats.following,
        "statuses_count": stats.statuses,
        "last_status_at": iso_date(stats.last_status_at),
    }


class AccountSerializer(serializers.BaseSerializer):
    """context: {"stats": {account id: AccountStats}}"""

    def to_representation(self, account: Account) -> dict[str, Any]:
        stats: AccountStats = self.context.get("stats", {}).get(account.pk) or AccountStats()
        data: dict[str, Any] = {
            "id": str(account.pk),
            "username": account.username,
            "acct": account.acct,
            "display_name": account.display_name,
            "locked": account.locked,
            "bot": account.bot,
            "discoverable": account.discoverable,
            "indexable": account.indexable,
            "group": False,
            "created_at": iso(
                account.created_at.replace(hour=0, minute=0, second=0, microsecond=0)
            ),
            "note": account.note,
            "url": account.url or uris.account_url(account.username),
            "uri": account.uri or uris.account_uri(account.username),
            "avatar": avatar_url(account),
            "avatar_static": avatar_url(account, still=True),
            "header": header_url(account),
            "header_static": header_url(account, still=True),
            **stats_fields(stats),
            "hide_collections": account.hide_collections,
            "noindex": not account.indexable,
            "emojis": emoji_entities(stats.emojis),
            "roles": [],
            "fields": render_fields(account),
        }
        if account.suspended_at is not None:
            data.update(suspended=True)
        if account.silenced_at is not None:
            data.update(limited=True)
        if account.moved_to_id is not None and not self.context.get("nested_move"):
            moved = account.moved_to
            if moved is not None:
                context = {**self.context, "nested_move": True}
                data["moved"] = AccountSerializer(moved, context=context).data
        return data


ROLE_IDS = {Role.USER: "-99", Role.MODERATOR: "1", Role.ADMIN: "2", Role.OWNER: "3"}
# Mastodon's permission bit fields: moderators manage reports and users, admins everything.
ROLE_PERMISSIONS = {Role.USER: "65536", Role.MODERATOR: "1308", Role.ADMIN: "1048575",
                    Role.OWNER: "1"}  # fmt: skip


def role_entity(user: User) -> dict[str, Any]:
    return {
        "id": ROLE_IDS[Role(user.role)],
        "name": "" if user.role == Role.USER else Role(user.role).label,
        "permissions": ROLE_PERMISSIONS[Role(user.role)],
        "color": "",
        "highlighted": user.role != Role.USER,
    }


class CredentialAccountSerializer(AccountSerializer):
    """context also holds "follow_requests_count"."""

    def to_representation(self, account: Account) -> dict[str, Any]:
        data = super().to_representation(account)
        user: User = account.user
        data["source"] = {
            "privacy": user.default_privacy,
            "sensitive": user.default_sensitive,
            "language": user.default_language or None,
            "note": account.note_source,
            "fields": [
                {
                    "name": f.get("name", ""),
                    "value": f.get("value", ""),
                    "verified_at": f.get("verified_at"),
                }  # fmt: skip
                for f in account.fields
            ],
            "follow_requests_count": self.context.get("follow_requests_count", 0),
            "hide_collections": account.hide_collections,
            "discoverable": account.discoverable,
            "indexable": account.indexable,
            "attribution_domains": [],
        }
        data["role"] = role_entity(user)
        return data


def relationship_entity(account: Account, rel: Relationship) -> dict[str, Any]:
    return {
        "id": str(account.pk),
        "following": rel.following,
        "showing_reblogs": rel.showing_reblogs,
        "notifying": rel.notifying,
        "languages": rel.languages,
        "followed_by": rel.followed_by,
        "blocking": rel.blocking,
        "blocked_by": rel.blocked_by,
        "muting": rel.muting,
        "muting_notifications": rel.muting_notifications,
        "requested": rel.requested,
        "requested_by": rel.requested_by,
        "domain_blocking": rel.domain_blocking,
        "endorsed": rel.endorsed,
        "note": rel.note,
    }

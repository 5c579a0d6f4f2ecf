"""The small activities around accounts and posts, shaped as Mastodon sends them: Follow,
Accept, Reject, Undo, Like, Block, Update of an actor, Add/Remove of a featured post, and a
poll vote (app/serializers/activitypub/*_serializer.rb)."""

from __future__ import annotations

from typing import Any

from accounts.models import Account
from federation.render.context import PUBLIC, with_context


def follow(follow_uri: str, account: Account, target: Account) -> dict[str, Any]:
    return {"id": follow_uri, "type": "Follow", "actor": account.uri, "object": target.uri}


def answer(kind: str, follow_uri: str, follower: Account, target: Account) -> dict[str, Any]:
    """Accept or Reject of a Follow, sent by the followed account, embedding the Follow."""
    return with_context(
        {
            "id": f"{target.uri}#{kind.lower()}s/follows/{follower.pk}",
            "type": kind,
            "actor": target.uri,
            "object": follow(follow_uri, follower, target),
        }
    )


def undo(actor: Account, inner: dict[str, Any]) -> dict[str, Any]:
    inner = {k: v for k, v in inner.items() if k != "@context"}
    return with_context(
        {"id": f"{inner['id']}/undo", "type": "Undo", "actor": actor.uri, "object": inner}
    )


def like(like_uri: str, account: Account, status_uri: str) -> dict[str, Any]:
    return {"id": like_uri, "type": "Like", "actor": account.uri, "object": status_uri}


def block(block_uri: str, account: Account, target: Account) -> dict[str, Any]:
    return {"id": block_uri, "type": "Block", "actor": account.uri, "object": target.uri}


def update_actor(account: Account, actor_document: dict[str, Any]) -> dict[str, Any]:
    document = dict(actor_document)
    context = document.pop("@context")
    stamp = int(account.updated_at.timestamp()) if hasattr(account, "updated_at") else 0
    return {
        "@context": context,
        "id": f"{account.uri}#updates/{stamp}",
        "type": "Update",
        "actor": account.uri,
        "to": [PUBLIC],
        "object": document,
    }


def delete_actor(account: Account) -> dict[str, Any]:
    return with_context(
        {
            "id": f"{account.uri}#delete",
            "type": "Delete",
            "actor": account.uri,
            "to": [PUBLIC],
            "object": account.uri,
        }
    )


def move(account: Account, target: Account) -> dict[str, Any]:
    """The account moved to `target`: the object is the account itself, as Mastodon sends it."""
    stamp = int(account.moved_at.timestamp()) if account.moved_at else 0
    return with_context(
        {
            "id": f"{account.uri}#moves/{stamp}",
            "type": "Move",
            "actor": account.uri,
            "object": account.uri,
            "target": target.uri,
        }
    )


def featured(kind: str, account: Account, status_uri: str) -> dict[str, Any]:
    """Add or Remove of a pinned post on the account's featured collection."""
    return with_context(
        {
            "type": kind,
            "actor": account.uri,
            "target": f"{account.uri}/collections/featured",
            "object": status_uri,
        }
    )


def vote(vote_uri: str, account: Account, question_uri: str, owner_uri: str, name: str) -> dict:
    """A poll vote: a Create of a Note whose `name` is the option chosen, sent to the owner."""
    note = {
        "id": vote_uri,
        "type": "Note",
        "name": name,
        "attributedTo": account.uri,
        "to": owner_uri,
        "inReplyTo": question_uri,
    }
    return with_context(
        {
            "id": f"{vote_uri}/activity",
            "type": "Create",
            "actor": account.uri,
            "to": owner_uri,
            "object": note,
        }
    )


def flag(flag_uri: str, actor: Account, object_uris: list[str], content: str) -> dict[str, Any]:
    """A report sent on to the reported account's server, from the instance actor so that
    the reporter stays anonymous, as Mastodon forwards it."""
    document = {"id": flag_uri, "type": "Flag", "actor": actor.uri, "content": content}
    return with_context({**document, "object": object_uris})

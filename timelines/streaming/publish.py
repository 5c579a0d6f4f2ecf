"""Publishing streaming events on Redis pub/sub. Call these after commit (from a task run by
`fediverse.effects.enqueue`, or `transaction.on_commit`): every web process subscribed to the
channel, on any machine, passes the event to its connections.

A payload is an entity (dict or list), or a string sent as it is (a status id for `delete`,
a JSON document already rendered). Status payloads are rendered once, without a viewer; the
streaming side adds what depends on the viewer (filters) and drops what they may not see."""

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import redis
from django.conf import settings

from timelines.streaming import channels


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _redis() -> redis.Redis | None:
    return _client(settings.REDIS_URL) if settings.REDIS_URL else None


def encode(event: str, payload: Any, **routing: Any) -> str:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return json.dumps({"event": event, "payload": text, **routing})


def _publish(messages: Iterable[tuple[str, str]]) -> None:
    client = _redis()
    if client is None:
        return
    with client.pipeline(transaction=False) as pipe:
        for channel, message in messages:
            pipe.publish(channel, message)
        pipe.execute()


def publish_to_user(account_id: int, event: str, payload: Any) -> None:
    """An event on the `user` stream of one local account (and `user:notification` for
    notifications): `update` from home fan-out, `notification`, `filters_changed`, ..."""
    _publish([(channels.user(account_id), encode(event, payload))])


def publish_to_users(account_ids: Iterable[int], event: str, payload: Any) -> None:
    """The same event to many users' streams in one round trip (fan-out batches)."""
    message = encode(event, payload)
    _publish((channels.user(account_id), message) for account_id in account_ids)


def publish_to_list(list_id: int, event: str, payload: Any) -> None:
    _publish([(channels.list_(list_id), encode(event, payload))])


def publish_to_lists(list_ids: Iterable[int], event: str, payload: Any) -> None:
    message = encode(event, payload)
    _publish((channels.list_(list_id), message) for list_id in list_ids)


def publish_to_direct(account_id: int, event: str, payload: Any) -> None:
    """The `direct` stream of one local account: `conversation` events."""
    _publish([(channels.direct(account_id), encode(event, payload))])


def publish_public_status(
    *,
    event: str,
    status_id: int,
    payload: Any,
    account_id: int,
    local: bool,
    media: bool,
    tags: list[str],
) -> None:
    """A public post (`update` or `status.update`) for the public, local, remote, media and
    hashtag streams; each connection is checked against its viewer before it is sent."""
    routing = {
        "status_id": status_id,
        "account_id": account_id,
        "local": local,
        "media": media,
        "tags": [tag.lower() for tag in tags],
    }
    _publish([(channels.STATUSES, encode(event, payload, **routing))])


def publish_delete(status_id: int) -> None:
    """`delete` reaches every stream of every connection, as the id alone reveals nothing."""
    _publish([(channels.BROADCAST, encode("delete", str(status_id)))])


def publish_announcement(event: str, payload: Any) -> None:
    """`announcement`, `announcement.reaction` or `announcement.delete`, on every user stream."""
    _publish([(channels.ANNOUNCEMENTS, encode(event, payload))])

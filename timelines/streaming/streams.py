"""Mastodon's stream names, what each needs (a token, a tag, a list) and which events reach
it. A subscription is one stream with its parameter, such as ("hashtag", "cats")."""

from dataclasses import dataclass
from typing import Any

from timelines.streaming import channels

PUBLIC = {
    "public",
    "public:media",
    "public:local",
    "public:local:media",
    "public:remote",
    "public:remote:media",
}
TAGGED = {"hashtag", "hashtag:local"}
PRIVATE = {"user", "user:notification", "list", "direct"}
ALL = PUBLIC | TAGGED | PRIVATE

# The path after /api/v1/streaming/ for Server-Sent Events, and the stream it opens.
SSE_PATHS = {
    "user": "user",
    "user/notification": "user:notification",
    "public": "public",
    "public/local": "public:local",
    "public/remote": "public:remote",
    "hashtag": "hashtag",
    "hashtag/local": "hashtag:local",
    "list": "list",
    "direct": "direct",
}


class StreamError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Subscription:
    name: str
    param: str = ""  # the tag (lowercased) or the list id
    account_id: int | None = None

    @property
    def label(self) -> list[str]:
        """The `stream` field of events: ["hashtag", "Cats"] or ["public:local"]."""
        return [self.name, self.param] if self.param else [self.name]

    @property
    def channels(self) -> list[str]:
        if self.name in PUBLIC or self.name in TAGGED:
            return [channels.STATUSES, channels.BROADCAST]
        assert self.account_id is not None
        if self.name == "user":
            return [channels.user(self.account_id), channels.BROADCAST, channels.ANNOUNCEMENTS]
        if self.name == "user:notification":
            return [channels.user(self.account_id)]
        if self.name == "list":
            return [channels.list_(int(self.param)), channels.BROADCAST]
        return [channels.direct(self.account_id), channels.BROADCAST]

    def wants(self, channel: str, message: dict[str, Any]) -> bool:
        """Whether an event heard on `channel` belongs to this stream (privacy aside)."""
        if channel == channels.BROADCAST:
            return self.name != "user:notification"
        if channel != channels.STATUSES:
            return self.name != "user:notification" or message["event"] == "notification"
        if self.name in TAGGED and self.param not in message.get("tags", ()):
            return False
        if ":local" in self.name and not message.get("local"):
            return False
        if ":remote" in self.name and message.get("local"):
            return False
        return not self.name.endswith(":media") or bool(message.get("media"))


def subscription(
    name: str,
    *,
    tag: str | None = None,
    list_id: str | None = None,
    account_id: int | None = None,
    only_media: bool = False,
) -> Subscription:
    """Checks a requested stream; ownership of a list is checked by the caller."""
    if name in {"public", "public:local", "public:remote"} and only_media:
        name += ":media"
    if name not in ALL:
        raise StreamError("Unknown stream type", 400)
    if name in PRIVATE and account_id is None:
        raise StreamError("Missing access token", 401)
    if name in TAGGED:
        if not tag:
            raise StreamError("No tag for stream provided", 400)
        return Subscription(name, tag.lstrip("#").lower())
    if name == "list":
        if not list_id or not list_id.isdigit():
            raise StreamError("No list for stream provided", 400)
        return Subscription(name, list_id, account_id)
    return Subscription(name, "", account_id if name in PRIVATE else None)

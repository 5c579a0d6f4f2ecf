"""Names of the Redis pub/sub channels. Publishers and the streaming hub share only these."""

PREFIX = "streaming:"
# Public posts (with what routing needs: local, media, tags) for every public and tag stream.
STATUSES = PREFIX + "statuses"
# Events every connection hears on each of its streams: deletions.
BROADCAST = PREFIX + "broadcast"
# Announcements, heard on every `user` stream.
ANNOUNCEMENTS = PREFIX + "announcements"


def user(account_id: int) -> str:
    return f"{PREFIX}user:{account_id}"


def direct(account_id: int) -> str:
    return f"{PREFIX}direct:{account_id}"


def list_(list_id: int) -> str:
    return f"{PREFIX}list:{list_id}"

"""The one place that spells out this server's URLs and ActivityPub ids."""

from django.conf import settings


def base_url() -> str:
    return f"{settings.FEDIVERSE_SCHEME}://{settings.FEDIVERSE_DOMAIN}"


def absolute(path: str) -> str:
    return base_url() + path


def account_uri(username: str) -> str:
    return absolute(f"/users/{username}")


def account_url(username: str) -> str:
    return absolute(f"/@{username}")


def status_uri(username: str, status_id: int) -> str:
    return absolute(f"/users/{username}/statuses/{status_id}")


def status_url(username: str, status_id: int) -> str:
    return absolute(f"/@{username}/{status_id}")


def tag_url(name: str) -> str:
    return absolute(f"/tags/{name}")


def shared_inbox_url() -> str:
    return absolute("/inbox")

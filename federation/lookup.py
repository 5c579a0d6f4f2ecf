"""Finding what an ActivityPub id refers to on this server, without any network."""

from __future__ import annotations

from django.conf import settings

from accounts.models import Account
from federation.parse.values import host_of
from timelines.models import Status


def local_host() -> str:
    return settings.FEDIVERSE_DOMAIN.lower()


def is_local_uri(uri: str) -> bool:
    return host_of(uri) == local_host()


def same_origin(first: str, second: str) -> bool:
    return bool(host_of(first)) and host_of(first) == host_of(second)


def account_by_uri(uri: str) -> Account | None:
    """Local accounts answer to their id and their profile URL; remote ones to their id."""
    uri = uri.split("#", 1)[0]
    if is_local_uri(uri):
        local = Account.objects.filter(domain__isnull=True)
        return local.filter(uri=uri).first() or local.filter(url=uri).first()
    return Account.objects.filter(uri=uri).exclude(domain__isnull=True).first()


def status_by_uri(uri: str) -> Status | None:
    statuses = Status.objects.filter(reblog__isnull=True).select_related("account")
    if is_local_uri(uri):
        return statuses.filter(local=True, uri=uri).first() or (
            statuses.filter(local=True, url=uri).first()
        )
    return statuses.filter(local=False, uri=uri).first()

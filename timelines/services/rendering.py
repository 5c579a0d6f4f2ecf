"""How local text becomes HTML: which mentions resolve, and where hashtags point."""

from accounts.models import Account
from fediverse import uris
from fediverse.formatting import render_plain_text


def find_mentioned_account(username: str, domain: str | None) -> Account | None:
    if domain is not None and domain.lower() == _local_domain():
        domain = None
    accounts = Account.objects.filter(username__iexact=username, suspended_at__isnull=True)
    if domain is None:
        return accounts.filter(domain__isnull=True).first()
    return accounts.filter(domain__iexact=domain).first()


def _local_domain() -> str:
    return uris.base_url().split("://", 1)[1].lower()


def resolve_local_mention(username: str, domain: str | None) -> str | None:
    account = find_mentioned_account(username, domain)
    if account is None:
        return None
    return account.url or uris.account_url(account.username)


def tag_url(name: str) -> str:
    return uris.tag_url(name)


def render_status_text(text: str) -> str:
    return render_plain_text(text, resolve_mention=resolve_local_mention, tag_url=tag_url)

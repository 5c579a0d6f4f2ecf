"""The instance actor: a local account that stands for the server itself. It signs the
server's own fetches (key lookups, account resolution), as Mastodon's /actor does, so that
servers that require signed fetches answer them. It has no login and posts nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import Account
from accounts.services.keys import generate_key_pair
from federation.signatures import SigningKey
from fediverse import uris

# Reserved at sign-up (accounts.services.registration.RESERVED_USERNAMES).
USERNAME = "actor"


def instance_actor_uri() -> str:
    return uris.absolute("/actor")


def _find() -> Account | None:
    return Account.objects.filter(domain__isnull=True, uri=instance_actor_uri()).first()


def get_instance_actor() -> Account:
    """The instance actor, created with its key pair the first time it is needed."""
    actor = _find()
    if actor is not None:
        return actor
    private_key, public_key = generate_key_pair()
    try:
        with transaction.atomic():
            return Account.objects.create(
                username=USERNAME,
                uri=instance_actor_uri(),
                url=uris.absolute("/about"),
                inbox_url=uris.absolute("/actor/inbox"),
                outbox_url=uris.absolute("/actor/outbox"),
                shared_inbox_url=uris.shared_inbox_url(),
                locked=True,
                discoverable=False,
                indexable=False,
                private_key=private_key,
                public_key=public_key,
            )
    except IntegrityError:
        # Another process created it first.
        actor = _find()
        if actor is None:
            raise
        return actor


def is_instance_actor(account: Account) -> bool:
    return account.domain is None and account.uri == instance_actor_uri()


def key_id_for(account: Account) -> str:
    return f"{account.uri}#main-key"


def signing_key_for(account: Account) -> SigningKey:
    return SigningKey(key_id=key_id_for(account), private_key_pem=account.private_key)


def instance_signing_key() -> SigningKey:
    return signing_key_for(get_instance_actor())

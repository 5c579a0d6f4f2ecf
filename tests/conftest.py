"""Fixtures shared by every test: real PostgreSQL (pytest-django's test database, with real
commits), real Redis (a dedicated database index, flushed around each test), eager Celery."""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import Role, User
from accounts.services.registration import do_create_local_account

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clean_redis() -> Iterator[None]:
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture(autouse=True)
def _db_and_mail(transactional_db: Any) -> None:
    """Real commits, so that side effects scheduled on commit run as in production."""
    mail.outbox = []


@pytest.fixture
def make_user() -> Callable[..., User]:
    def make(
        username: str = "alice",
        *,
        role: str = Role.USER,
        confirmed: bool = True,
        approved: bool = True,
        locked: bool = False,
        email: str | None = None,
    ) -> User:
        user = do_create_local_account(
            username=username,
            email=email or f"{username}@example.com",
            password=PASSWORD,
            role=role,
            confirmed=confirmed,
            approved=approved,
        )
        if locked:
            user.account.locked = True
            user.account.save()
        return user

    return make


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user("alice")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user("bob")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def link_in_last_email(pattern: str = r"https?://\S+") -> str:
    assert mail.outbox, "no email was sent"
    match = re.search(pattern, str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(0)

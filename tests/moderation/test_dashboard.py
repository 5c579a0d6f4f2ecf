"""The admin index's dashboard: figures read from the database, Celery queue depths read from
the Redis broker, and federation health from the delivery tables."""

from collections.abc import Callable
from datetime import timedelta

import redis
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from accounts.services.registration import do_create_local_account
from federation.models import Delivery, OutgoingActivity, UnavailableDomain
from moderation.models import Report
from moderation.services.dashboard import dashboard
from tests.conftest import PASSWORD
from tests.moderation.actions_support import post

MakeUser = Callable[..., User]


def test_figures(alice: User, bob: User, make_user: MakeUser) -> None:
    make_user("warden", role=Role.MODERATOR)
    do_create_local_account(
        username="waiting", email="w@example.com", password=PASSWORD, confirmed=True, approved=False
    )
    User.objects.filter(pk=alice.pk).update(last_active_at=timezone.now())
    User.objects.filter(pk=bob.pk).update(created_at=timezone.now() - timedelta(days=30))
    post(alice.account)
    post(bob.account)
    Report.objects.create(account=bob.account, target_account=alice.account)
    Report.objects.create(
        account=alice.account, target_account=bob.account, action_taken_at=timezone.now()
    )
    figures = dashboard()
    assert (figures.accounts_total, figures.accounts_active_week, figures.accounts_new_week) == (
        4,
        1,
        3,
    )
    assert (figures.posts_total, figures.open_reports, figures.pending_sign_ups) == (2, 1, 1)


def test_queue_depths_and_federation_health() -> None:
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.rpush("ingress", "a", "b", "c")
    broker.rpush("push", "x")
    activity = OutgoingActivity.objects.create(body="{}", key_id="k", private_key="")
    Delivery.objects.create(
        activity=activity, inbox_url="https://a.example/inbox", domain="a.example"
    )
    Delivery.objects.create(
        activity=activity, inbox_url="https://b.example/inbox", domain="b.example", attempts=3
    )
    UnavailableDomain.objects.create(domain="b.example", unavailable_since=timezone.now())
    UnavailableDomain.objects.create(domain="flaky.example")
    figures = dashboard()
    assert figures.queue_depths is not None
    assert figures.queue_depths["ingress"] == 3 and figures.queue_depths["push"] == 1
    assert figures.queue_depths["default"] == 0
    health = figures.federation
    assert (health.deliveries_waiting, health.deliveries_failing) == (2, 1)
    assert health.unavailable_domains == ["b.example"]
    assert health.oldest_delivery_at is not None


def test_dashboard_on_the_admin_index(
    make_user: MakeUser, client_for: Callable[[User], Client]
) -> None:
    moderator = make_user("warden", role=Role.MODERATOR)
    redis.Redis.from_url(settings.CELERY_BROKER_URL).rpush("fanout", "job")
    page = client_for(moderator).get("/admin/").content.decode()
    assert 'id="dashboard-module"' in page
    assert 'data-queue="fanout">fanout 1<' in page
    assert 'id="registrations-module"' in page


def test_users_see_no_dashboard(alice: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(alice).get("/admin/")
    assert response.status_code == 302
    assert Client().get("/admin/").status_code == 302

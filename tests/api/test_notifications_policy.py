"""Mastodon 4.3's notification filtering through the API: the policy (v2 and v1 shapes), what
each line of it filters or drops, and the notification requests holding filtered mentions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Follow, Role
from accounts.services.follows import do_follow
from timelines.models import Notification, NotificationPermission, NotificationRequest
from timelines.services.interactions import do_favourite
from timelines.services.notification_policy import do_update_policy
from timelines.services.statuses import StatusInput, do_create_status

OUT_OF_SCOPE = {"error": "This action is outside the authorized scopes"}
DEFAULT_POLICY = {
    "for_not_following": "accept",
    "for_not_followers": "accept",
    "for_new_accounts": "accept",
    "for_private_mentions": "filter",
    "for_limited_accounts": "filter",
    "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
}


def post(user, text, **kwargs):
    return do_create_status(account=user.account, data=StatusInput(text=text, **kwargs))


def listed(user) -> list[str]:
    """The types in the user's notification list, newest first."""
    return list(
        Notification.objects.filter(account=user.account, filtered__isnull=True)
        .order_by("-id")
        .values_list("type", flat=True)
    )


@pytest.fixture
def eve(make_user):
    return make_user("eve")


@pytest.fixture
def strict_alice(alice):
    do_update_policy(account=alice.account, changes={"for_not_following": "filter"})
    return alice


def test_default_policy_in_both_shapes(alice, http_for, api_for) -> None:
    client = http_for(alice)
    assert client.get("/api/v2/notifications/policy").json() == DEFAULT_POLICY
    assert client.get("/api/v1/notifications/policy").json() == {
        "filter_not_following": False,
        "filter_not_followers": False,
        "filter_new_accounts": False,
        "filter_private_mentions": True,
        "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
    }
    assert api_for(alice).notifications_policy().for_private_mentions == "filter"


def test_update_policy(alice, http_for, api_for) -> None:
    updated = api_for(alice).update_notifications_policy(
        for_not_following="filter", for_new_accounts="drop"
    )
    assert updated.for_not_following == "filter" and updated.for_new_accounts == "drop"
    client = http_for(alice)
    as_json = client.patch("/api/v2/notifications/policy", json={"for_not_followers": "filter"})
    assert as_json.json()["for_not_followers"] == "filter"
    assert as_json.json()["for_not_following"] == "filter"
    bad = client.patch(
        "/api/v2/notifications/policy",
        data={"for_not_following": "accept", "for_limited_accounts": "ignore"},
    )
    assert bad.status_code == 422
    assert bad.json() == {
        "error": "Validation failed: For limited accounts is not included in the list"
    }
    assert client.get("/api/v2/notifications/policy").json()["for_not_following"] == "filter"
    v1 = client.patch("/api/v1/notifications/policy", data={"filter_not_following": "false"})
    assert v1.json()["filter_not_following"] is False
    assert client.get("/api/v2/notifications/policy").json()["for_not_following"] == "accept"


def test_filtered_mentions_wait_in_a_request(strict_alice, eve, http_for) -> None:
    alice = strict_alice
    status = post(alice, "Hello")
    first = post(eve, "@alice hello?")
    do_favourite(account=eve.account, status=status)
    last = post(eve, "@alice anybody?")
    assert listed(alice) == []
    client = http_for(alice)
    assert client.get("/api/v1/notifications").json() == []
    held = client.get("/api/v1/notifications?include_filtered=true").json()
    assert [n["type"] for n in held] == ["mention", "favourite", "mention"]
    assert all(n["filtered"] is True and n["group_key"].startswith("ungrouped-") for n in held)
    by_sender = client.get(f"/api/v1/notifications?account_id={eve.account.pk}").json()
    assert len(by_sender) == 3
    assert client.get("/api/v2/notifications").json()["notification_groups"] == []
    assert client.get("/api/v2/notifications/policy").json()["summary"] == {
        "pending_requests_count": 1,
        "pending_notifications_count": 2,
    }
    requests = client.get("/api/v1/notifications/requests")
    [request] = requests.json()
    assert set(request) == {
        "id", "created_at", "updated_at", "notifications_count", "account", "last_status",
    }  # fmt: skip
    assert request["notifications_count"] == "2" and request["account"]["acct"] == "eve"
    assert request["last_status"]["id"] == str(last.pk) != str(first.pk)
    one = client.get(f"/api/v1/notifications/requests/{request['id']}")
    assert one.json()["id"] == request["id"]


def test_accepting_merges_and_lets_future_ones_through(strict_alice, eve, api_for) -> None:
    alice = strict_alice
    post(eve, "@alice hello?")
    api = api_for(alice)
    [request] = api.notification_requests()
    api.accept_notification_request(request.id)
    assert not NotificationRequest.objects.exists()
    assert NotificationPermission.objects.filter(
        account=alice.account, from_account=eve.account
    ).exists()
    assert api.notifications_merged() is True
    assert [n.type for n in api.notifications()] == ["mention"]
    post(eve, "@alice thanks")
    assert listed(alice) == ["mention", "mention"]


def test_dismissing_deletes_what_it_held(strict_alice, eve, make_user, http_for) -> None:
    alice = strict_alice
    post(eve, "@alice hello?")
    client = http_for(alice)
    [request] = client.get("/api/v1/notifications/requests").json()
    dismissed = client.post(f"/api/v1/notifications/requests/{request['id']}/dismiss")
    assert dismissed.status_code == 200 and dismissed.json() == {}
    assert not NotificationRequest.objects.exists()
    assert not Notification.objects.filter(account=alice.account).exists()
    post(eve, "@alice please")
    assert NotificationRequest.objects.get().notifications_count == 1
    assert listed(alice) == []


def test_requests_in_bulk_and_refusals(strict_alice, eve, make_user, bob, http_for) -> None:
    alice = strict_alice
    mallory = make_user("mallory")
    for sender in (eve, mallory):
        post(sender, "@alice hi")
    post(alice, "@bob hi")  # bob's notification, outside alice's reach
    do_update_policy(account=bob.account, changes={"for_not_following": "filter"})
    post(eve, "@bob hi")
    bobs = NotificationRequest.objects.get(account=bob.account)
    client = http_for(alice)
    for path in (f"/api/v1/notifications/requests/{bobs.pk}", "/api/v1/notifications/requests/x"):
        assert client.get(path).status_code == 404
    assert client.post(f"/api/v1/notifications/requests/{bobs.pk}/accept").status_code == 404
    reader = http_for(alice, scope="read")
    ids = list(
        NotificationRequest.objects.filter(account=alice.account).values_list("id", flat=True)
    )
    refused = reader.post("/api/v1/notifications/requests/accept", data={"id[]": ids})
    assert refused.status_code == 403 and refused.json() == OUT_OF_SCOPE
    assert NotificationRequest.objects.filter(account=alice.account).count() == 2
    both = client.post("/api/v1/notifications/requests/accept", data={"id[]": [*ids, bobs.pk]})
    assert both.status_code == 200
    assert not NotificationRequest.objects.filter(account=alice.account).exists()
    assert NotificationRequest.objects.filter(pk=bobs.pk).exists()
    assert listed(alice) == ["mention", "mention"]
    client.post("/api/v1/notifications/requests/dismiss", json={"id": [bobs.pk]})
    assert NotificationRequest.objects.filter(pk=bobs.pk).exists()


def test_drop_creates_nothing(alice, eve) -> None:
    do_update_policy(account=alice.account, changes={"for_not_following": "drop"})
    post(eve, "@alice hello?")
    do_follow(account=eve.account, target=alice.account)
    assert not Notification.objects.filter(account=alice.account).exists()
    assert not NotificationRequest.objects.exists()
    # Notifications about things the person asked for are never filtered.
    do_follow(account=alice.account, target=eve.account)
    post(eve, "@alice now you follow me")
    assert listed(alice) == ["mention"]


def test_private_mentions_from_strangers(alice, eve, make_user) -> None:
    frank = make_user("frank")
    do_follow(account=alice.account, target=frank.account)
    post(eve, "@alice secret", visibility="direct")
    assert listed(alice) == [] and NotificationRequest.objects.count() == 1
    post(frank, "@alice secret from a friend", visibility="direct")
    assert listed(alice) == ["mention"]
    opener = post(alice, "@make_them_talk @eve what do you think?", visibility="direct")
    post(eve, "@alice here is my answer", visibility="direct", in_reply_to_id=opener.pk)
    assert listed(alice) == ["mention", "mention"]
    post(eve, "@alice and in public")
    assert listed(alice)[0] == "mention" and len(listed(alice)) == 3


def test_followers_new_and_limited_accounts(alice, eve, make_user) -> None:
    old_friend = make_user("old_friend")
    follow = do_follow(account=old_friend.account, target=alice.account)
    Follow.objects.filter(pk=follow.pk).update(created_at=timezone.now() - timedelta(days=4))
    Notification.objects.all().delete()
    do_update_policy(account=alice.account, changes={"for_not_followers": "filter"})
    post(old_friend, "@alice hi")
    post(eve, "@alice hi")
    assert listed(alice) == ["mention"]
    do_update_policy(
        account=alice.account, changes={"for_not_followers": "accept", "for_new_accounts": "drop"}
    )
    post(eve, "@alice hi again")
    assert Notification.objects.filter(account=alice.account, from_account=eve.account).count() == 1
    do_update_policy(account=alice.account, changes={"for_new_accounts": "accept"})
    eve.account.silenced_at = timezone.now()
    eve.account.save()
    do_follow(account=eve.account, target=alice.account)
    assert listed(alice) == ["mention"]  # the limited account's follow is held back
    assert Notification.objects.filter(account=alice.account, filtered__isnull=False).count() == 2


def test_staff_are_not_filtered(strict_alice, make_user) -> None:
    admin = make_user("boss", role=Role.ADMIN)
    Notification.objects.filter(account=admin.account).delete()
    post(admin, "@alice about your account")
    assert listed(strict_alice) == ["mention"]


def test_policy_scopes(alice, http_for) -> None:
    client = http_for(alice, scope="read:statuses")
    response = client.get("/api/v2/notifications/policy")
    assert response.status_code == 403 and response.json() == OUT_OF_SCOPE
    reader = http_for(alice, scope="read:notifications")
    refused = reader.patch("/api/v2/notifications/policy", data={"for_not_following": "drop"})
    assert refused.status_code == 403
    assert reader.get("/api/v2/notifications/policy").json() == DEFAULT_POLICY

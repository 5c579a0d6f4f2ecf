"""GET/POST /api/v2/notifications…: grouped notifications as Mastodon 4.3 groups them, their
accounts, dismissal, the grouped unread count, paging and query counts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.services.follows import do_follow
from tests.api.test_notifications import local
from timelines.models import Notification
from timelines.services.interactions import do_favourite, do_reblog
from timelines.services.markers import do_set_markers
from timelines.services.statuses import StatusInput, do_create_status

OUT_OF_SCOPE = {"error": "This action is outside the authorized scopes"}


def post(user, text):
    return do_create_status(account=user.account, data=StatusInput(text=text))


@pytest.fixture
def crowd(alice, make_user):
    """Three people favourite alice's post, two follow her, one of them mentions her."""
    status = post(alice, "Hello")
    fans = [make_user(name) for name in ("fan_a", "fan_b", "fan_c")]
    for fan in fans:
        do_favourite(account=fan.account, status=status)
    do_follow(account=fans[0].account, target=alice.account)
    do_follow(account=fans[1].account, target=alice.account)
    mention = post(fans[2], "@alice look")
    return status, fans, mention


def test_groups_accounts_and_statuses(crowd, alice, http_for) -> None:
    status, fans, mention = crowd
    response = http_for(alice).get("/api/v2/notifications?expand_accounts=full")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"accounts", "statuses", "notification_groups"}
    groups = body["notification_groups"]
    assert [g["type"] for g in groups] == ["mention", "follow", "favourite"]
    mention_group, follow_group, favourite_group = groups
    ids = {fan.account.username: str(fan.account.pk) for fan in fans}
    assert favourite_group["notifications_count"] == 3
    assert favourite_group["sample_account_ids"] == [ids["fan_c"], ids["fan_b"], ids["fan_a"]]
    assert favourite_group["status_id"] == str(status.pk)
    assert re.match(rf"^favourite-{status.pk}-\d+$", favourite_group["group_key"])
    assert follow_group["notifications_count"] == 2 and "status_id" not in follow_group
    assert follow_group["sample_account_ids"] == [ids["fan_b"], ids["fan_a"]]
    newest = Notification.objects.filter(account=alice.account, type="follow").latest("id")
    assert follow_group["most_recent_notification_id"] == newest.pk
    assert follow_group["page_max_id"] == str(newest.pk)
    oldest = Notification.objects.filter(account=alice.account, type="follow").earliest("id")
    assert follow_group["page_min_id"] == str(oldest.pk)
    assert re.match(r"^\d{4}-.*\.\d{3}Z$", follow_group["latest_page_notification_at"])
    assert mention_group["group_key"] == f"ungrouped-{mention_group['most_recent_notification_id']}"
    assert mention_group["status_id"] == str(mention.pk)
    assert sorted(a["id"] for a in body["accounts"]) == sorted(ids.values())
    assert sorted(s["id"] for s in body["statuses"]) == sorted([str(status.pk), str(mention.pk)])


def test_grouped_types_and_partial_accounts(crowd, alice, api_for, http_for) -> None:
    client = http_for(alice)
    only_favourites = client.get("/api/v2/notifications?grouped_types[]=favourite").json()
    keys = [g["group_key"] for g in only_favourites["notification_groups"]]
    assert len(keys) == 4 and sum(k.startswith("ungrouped-") for k in keys) == 3
    partial = api_for(alice).grouped_notifications()  # Mastodon.py asks for partial avatars
    full_ids = {a.id for a in partial.accounts}
    partial_ids = {a.id for a in partial.partial_accounts}
    assert full_ids and not full_ids & partial_ids
    assert full_ids | partial_ids == {str(fan.account.pk) for fan in crowd[1]}
    raw = client.get("/api/v2/notifications?expand_accounts=partial_avatars").json()
    for account in raw["partial_accounts"]:
        assert set(account) == {"id", "acct", "locked", "bot", "url", "avatar", "avatar_static"}
    bad = client.get("/api/v2/notifications?expand_accounts=everything")
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("Invalid value for 'expand_accounts'")


def test_one_group_its_accounts_and_dismissal(crowd, alice, http_for) -> None:
    client = http_for(alice)
    groups = client.get("/api/v2/notifications").json()["notification_groups"]
    favourite = next(g for g in groups if g["type"] == "favourite")
    key = favourite["group_key"]
    one = client.get(f"/api/v2/notifications/{key}").json()
    assert [g["group_key"] for g in one["notification_groups"]] == [key]
    assert one["notification_groups"][0]["notifications_count"] == 3
    assert "page_min_id" not in one["notification_groups"][0]
    accounts = client.get(f"/api/v2/notifications/{key}/accounts?limit=2")
    assert [a["acct"] for a in accounts.json()] == ["fan_c", "fan_b"]
    assert 'rel="next"' in accounts.headers["link"]
    for missing in ("favourite-1-12", "ungrouped-5", "nonsense", "follow-13"):
        response = client.get(f"/api/v2/notifications/{missing}")
        assert response.status_code == 404 and response.json() == {"error": "Record not found"}
    assert client.post(f"/api/v2/notifications/{key}/dismiss").json() == {}
    assert not Notification.objects.filter(account=alice.account, type="favourite").exists()
    assert Notification.objects.filter(account=alice.account).count() == 3
    mention = next(g for g in groups if g["type"] == "mention")
    client.post(f"/api/v2/notifications/{mention['group_key']}/dismiss")
    assert not Notification.objects.filter(account=alice.account, type="mention").exists()


def test_pages_of_groups(alice, make_user, http_for) -> None:
    statuses = [post(alice, f"post {n}") for n in range(3)]
    fans = [make_user(f"fan{n}") for n in range(2)]
    for status in statuses:
        for fan in fans:
            do_favourite(account=fan.account, status=status)
    client = http_for(alice)
    first = client.get("/api/v2/notifications?limit=2")
    page = first.json()["notification_groups"]
    assert [g["status_id"] for g in page] == [str(statuses[2].pk), str(statuses[1].pk)]
    assert all(g["notifications_count"] == 2 for g in page)
    found = re.search(r'<([^>]+)>; rel="next"', first.headers["link"])
    assert found is not None
    next_url = found.group(1)
    # As in Mastodon, the next page starts below the last group's newest notification: a
    # group cut by the page boundary shows again with what is left of it (clients merge it).
    second = client.get(local(next_url)).json()["notification_groups"]
    assert [g["status_id"] for g in second] == [str(statuses[1].pk), str(statuses[0].pk)]
    assert [g["notifications_count"] for g in second] == [1, 2]
    assert second[0]["group_key"] == page[1]["group_key"]
    newest_id = page[0]["most_recent_notification_id"]
    assert client.get(f"/api/v2/notifications?min_id={newest_id}").json() == {
        "accounts": [], "statuses": [], "notification_groups": [],
    }  # fmt: skip


def test_grouped_unread_count(crowd, alice, api_for) -> None:
    api = api_for(alice)
    assert api.unread_grouped_notifications_count() == 3
    assert api.unread_grouped_notifications_count(grouped_types=["follow"]) == 5
    first_favourite = Notification.objects.filter(account=alice.account).earliest("id")
    do_set_markers(account=alice.account, positions={"notifications": first_favourite.pk})
    assert api.unread_grouped_notifications_count() == 3
    last = Notification.objects.filter(account=alice.account).latest("id")
    do_set_markers(account=alice.account, positions={"notifications": last.pk})
    assert api.unread_grouped_notifications_count() == 0


def test_scopes(crowd, alice, http_for) -> None:
    client = http_for(alice, scope="read:statuses")
    for path in ("/api/v2/notifications", "/api/v2/notifications/unread_count"):
        response = client.get(path)
        assert response.status_code == 403 and response.json() == OUT_OF_SCOPE
    reader = http_for(alice, scope="read:notifications")
    key = reader.get("/api/v2/notifications").json()["notification_groups"][0]["group_key"]
    refused = reader.post(f"/api/v2/notifications/{key}/dismiss")
    assert refused.status_code == 403
    assert Notification.objects.filter(account=alice.account).count() == 6


def _grouped_page_queries(client: Client, token: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/api/v2/notifications?limit=40&expand_accounts=partial_avatars",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 200
    return len(queries)


def test_a_page_of_groups_costs_a_fixed_number_of_queries(alice, make_user, token_for) -> None:
    token = token_for(alice, "read")
    client = Client()

    def add_round(name: str) -> None:
        fan = make_user(name)
        status = post(alice, f"post for {name}")
        do_follow(account=fan.account, target=alice.account)
        do_favourite(account=fan.account, status=status)
        do_reblog(account=fan.account, status=status)
        post(fan, f"@alice hello from {name}")

    add_round("fan0")
    small = _grouped_page_queries(client, token)
    for index in range(1, 12):
        add_round(f"fan{index}")
    assert _grouped_page_queries(client, token) == small

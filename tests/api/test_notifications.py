"""GET/POST /api/v1/notifications…: the Notification entity, filters, paging, dismissal, the
unread count against the notifications marker, admin.sign_up, scopes and query counts."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.services.follows import do_follow
from accounts.services.registration import do_create_local_account
from timelines.models import Notification
from timelines.services.interactions import do_favourite, do_reblog
from timelines.services.markers import do_set_markers
from timelines.services.statuses import StatusInput, do_create_status

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
OUT_OF_SCOPE = {"error": "This action is outside the authorized scopes"}


def local(url: str) -> str:
    """Link headers carry the instance's public URL; the test server answers on loopback."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def post(user, text, **kwargs):
    return do_create_status(account=user.account, data=StatusInput(text=text, **kwargs))


@pytest.fixture
def busy_alice(alice, bob):
    """alice's notifications, oldest first: bob follows, favourites, boosts and mentions."""
    status = post(alice, "Hello")
    do_follow(account=bob.account, target=alice.account)
    do_favourite(account=bob.account, status=status)
    do_reblog(account=bob.account, status=status)
    mention = post(bob, "@alice hi there")
    return status, mention


def test_each_type_has_mastodons_entity(busy_alice, alice, bob, http_for) -> None:
    status, mention = busy_alice
    response = http_for(alice).get("/api/v1/notifications")
    assert response.status_code == 200
    body = response.json()
    assert [n["type"] for n in body] == ["mention", "reblog", "favourite", "follow"]
    for n in body:
        assert set(n) >= {"id", "type", "created_at", "group_key", "account"}
        assert isinstance(n["id"], str) and ISO.match(n["created_at"])
        assert n["account"]["id"] == str(bob.account.pk) and n["account"]["acct"] == "bob"
        assert "filtered" not in n
    by_type = {n["type"]: n for n in body}
    assert "status" not in by_type["follow"]
    assert by_type["favourite"]["status"]["id"] == str(status.pk)
    assert by_type["reblog"]["status"]["id"] == str(status.pk)
    assert by_type["mention"]["status"]["id"] == str(mention.pk)
    assert by_type["mention"]["status"]["account"]["acct"] == "bob"
    assert by_type["mention"]["group_key"] == f"ungrouped-{by_type['mention']['id']}"
    assert re.match(rf"^favourite-{status.pk}-\d+$", by_type["favourite"]["group_key"])
    assert re.match(r"^follow-\d+$", by_type["follow"]["group_key"])


def test_mastodon_py_reads_them(busy_alice, alice, api_for) -> None:
    api = api_for(alice)
    notifications = api.notifications(types=["favourite", "follow"])
    assert [n.type for n in notifications] == ["favourite", "follow"]
    single = api.notifications(id=notifications[0].id)
    assert single.type == "favourite" and single.status.content == "<p>Hello</p>"


def test_types_exclude_types_and_account_id(busy_alice, alice, bob, make_user, http_for) -> None:
    carol = make_user("carol")
    do_follow(account=carol.account, target=alice.account)
    client = http_for(alice)

    def types(query: str) -> list[str]:
        response = client.get(f"/api/v1/notifications?{query}")
        assert response.status_code == 200, response.text
        return [n["type"] for n in response.json()]

    assert types("types[]=follow") == ["follow", "follow"]
    assert types("exclude_types[]=follow&exclude_types[]=mention") == ["reblog", "favourite"]
    assert types("types[]=follow&types[]=mention&exclude_types[]=mention") == ["follow", "follow"]
    assert types("types[]=nonsense") == []
    assert types(f"account_id={carol.account.pk}") == ["follow"]
    assert types("account_id=nope") == []


def test_pages_with_link_header(alice, make_user, http_for) -> None:
    for name in ("n1", "n2", "n3", "n4", "n5"):
        do_follow(account=make_user(name).account, target=alice.account)
    ids = list(Notification.objects.filter(account=alice.account).order_by("-id"))
    client = http_for(alice)
    first = client.get("/api/v1/notifications", params={"limit": 2})
    assert [n["id"] for n in first.json()] == [str(ids[0].pk), str(ids[1].pk)]
    links = dict(
        (rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first.headers["link"])
    )
    assert first.headers["link"].index('rel="next"') < first.headers["link"].index('rel="prev"')
    assert f"max_id={ids[1].pk}" in links["next"] and "limit=2" in links["next"]
    assert f"min_id={ids[0].pk}" in links["prev"] and links["next"].startswith("http")
    second = client.get(local(links["next"]))
    assert [n["id"] for n in second.json()] == [str(ids[2].pk), str(ids[3].pk)]
    newer = client.get("/api/v1/notifications", params={"min_id": ids[3].pk, "limit": 2})
    assert [n["id"] for n in newer.json()] == [str(ids[1].pk), str(ids[2].pk)]
    since = client.get("/api/v1/notifications", params={"since_id": ids[3].pk, "limit": 2})
    assert [n["id"] for n in since.json()] == [str(ids[0].pk), str(ids[1].pk)]
    assert len(client.get("/api/v1/notifications", params={"limit": 500}).json()) == 5


def test_get_one_and_refuse_others(busy_alice, alice, bob, http_for) -> None:
    mine = Notification.objects.filter(account=alice.account).first()
    assert mine is not None
    client = http_for(alice)
    assert client.get(f"/api/v1/notifications/{mine.pk}").json()["id"] == str(mine.pk)
    post(alice, "@bob back at you")
    theirs = Notification.objects.get(account=bob.account)
    for path in (f"/api/v1/notifications/{theirs.pk}", "/api/v1/notifications/12x"):
        response = client.get(path)
        assert response.status_code == 404 and response.json() == {"error": "Record not found"}
    refused = client.post(f"/api/v1/notifications/{theirs.pk}/dismiss")
    assert refused.status_code == 404
    assert Notification.objects.filter(pk=theirs.pk).exists()


def test_dismiss_and_clear(busy_alice, alice, api_for) -> None:
    api = api_for(alice)
    first = api.notifications()[0]
    api.notifications_dismiss(first.id)
    assert not Notification.objects.filter(pk=first.id).exists()
    assert len(api.notifications()) == 3
    api.notifications_clear()
    assert api.notifications() == []
    assert not Notification.objects.filter(account=alice.account).exists()


def test_unread_count_follows_the_marker(busy_alice, alice, http_for) -> None:
    client = http_for(alice)
    assert client.get("/api/v1/notifications/unread_count").json() == {"count": 4}
    assert client.get("/api/v1/notifications/unread_count?limit=2").json() == {"count": 2}
    ids = list(
        Notification.objects.filter(account=alice.account)
        .order_by("id")
        .values_list("id", flat=True)
    )
    do_set_markers(account=alice.account, positions={"notifications": str(ids[1])})
    assert client.get("/api/v1/notifications/unread_count").json() == {"count": 2}
    counted = client.get("/api/v1/notifications/unread_count?types[]=mention")
    assert counted.json() == {"count": 1}


def test_staff_hear_of_sign_ups(make_user, http_for) -> None:
    admin = make_user("boss", role=Role.ADMIN)
    moderator = make_user("mod_erin", role=Role.MODERATOR)
    plain = make_user("plain")
    newcomer = do_create_local_account(username="newbie", email="n@example.com", password=None)
    for staff in (admin, moderator):
        body = http_for(staff).get("/api/v1/notifications?types[]=admin.sign_up").json()
        assert [n["account"]["acct"] for n in body][0] == "newbie"
        assert body[0]["type"] == "admin.sign_up" and "status" not in body[0]
        assert body[0]["account"]["id"] == str(newcomer.account.pk)
    assert not Notification.objects.filter(account=plain.account).exists()


def test_staff_hear_of_reports_with_the_report(alice, bob, make_user, http_for) -> None:
    from moderation.services.reports import ReportRequest, do_create_report

    moderator = make_user("mod_erin", role=Role.MODERATOR)
    evidence = post(bob, "something rude")
    report = do_create_report(
        reporter=alice.account,
        target=bob.account,
        ask=ReportRequest(status_ids=[str(evidence.pk)], comment="rude", category="spam"),
    )
    client = http_for(moderator)
    [notification] = client.get("/api/v1/notifications?types[]=admin.report").json()
    assert notification["account"]["acct"] == "alice"
    assert notification["report"]["id"] == str(report.pk)
    assert notification["report"]["status_ids"] == [str(evidence.pk)]
    assert notification["report"]["target_account"]["acct"] == "bob"
    assert notification["report"]["comment"] == "rude" and "status" not in notification
    [group] = client.get("/api/v2/notifications").json()["notification_groups"][:1]
    assert group["type"] == "admin.report" and group["report"]["id"] == str(report.pk)
    assert not Notification.objects.filter(account=bob.account, type="admin.report").exists()


def test_scopes_and_tokens(busy_alice, alice, http_for, base_url) -> None:
    import httpx

    statuses_only = http_for(alice, scope="read:statuses")
    response = statuses_only.get("/api/v1/notifications")
    assert response.status_code == 403 and response.json() == OUT_OF_SCOPE
    read_only = http_for(alice, scope="read")
    assert read_only.get("/api/v1/notifications").status_code == 200
    notification = Notification.objects.filter(account=alice.account).first()
    assert notification is not None
    for path in ("/api/v1/notifications/clear", f"/api/v1/notifications/{notification.pk}/dismiss"):
        refused = read_only.post(path)
        assert refused.status_code == 403 and refused.json() == OUT_OF_SCOPE
    assert Notification.objects.filter(account=alice.account).count() == 4
    anonymous = httpx.get(f"{base_url}/api/v1/notifications")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"error": "The access token is invalid"}


def _page_queries(client: Client, token: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/api/v1/notifications?limit=40", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert response.status_code == 200
    return len(queries)


def test_a_page_costs_a_fixed_number_of_queries(alice, make_user, token_for) -> None:
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
    small = _page_queries(client, token)
    for index in range(1, 10):
        add_round(f"fan{index}")
    assert Notification.objects.filter(account=alice.account).count() == 40
    assert _page_queries(client, token) == small

"""/api/v1/conversations: direct-message threads per participant, unread state, removal,
paging by last status, the notification policy's say, and scopes."""

import re
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Block
from accounts.services.follows import do_follow
from timelines.models import AccountConversation, Status
from timelines.services.notification_policy import do_update_policy
from timelines.services.statuses import StatusInput, do_create_status, do_delete_status

OUT_OF_SCOPE = {"error": "This action is outside the authorized scopes"}


def dm(user, text, **kwargs):
    return do_create_status(
        account=user.account, data=StatusInput(text=text, visibility="direct", **kwargs)
    )


def test_a_direct_thread_for_each_participant(alice, bob, http_for) -> None:
    do_follow(account=bob.account, target=alice.account)
    opener = dm(alice, "@bob psst")
    for_alice = http_for(alice).get("/api/v1/conversations").json()
    for_bob = http_for(bob).get("/api/v1/conversations").json()
    assert len(for_alice) == len(for_bob) == 1
    assert set(for_bob[0]) == {"id", "unread", "accounts", "last_status"}
    assert for_alice[0]["unread"] is False and for_bob[0]["unread"] is True
    assert [a["acct"] for a in for_alice[0]["accounts"]] == ["bob"]
    assert [a["acct"] for a in for_bob[0]["accounts"]] == ["alice"]
    assert for_bob[0]["last_status"]["id"] == str(opener.pk)
    assert for_bob[0]["last_status"]["visibility"] == "direct"
    reply = dm(bob, "@alice what?", in_reply_to_id=opener.pk)
    again = http_for(alice).get("/api/v1/conversations").json()
    assert len(again) == 1 and again[0]["id"] == for_alice[0]["id"]
    assert again[0]["unread"] is True and again[0]["last_status"]["id"] == str(reply.pk)


def test_read_and_remove(alice, bob, api_for, http_for) -> None:
    do_follow(account=bob.account, target=alice.account)
    dm(alice, "@bob psst")
    api = api_for(bob)
    [conversation] = api.conversations()
    assert conversation.unread is True
    read = api.conversations_read(conversation.id)
    assert read.unread is False and read.id == conversation.id
    assert api.conversations()[0].unread is False
    client = http_for(alice)
    bobs = AccountConversation.objects.get(account=bob.account)
    assert client.delete(f"/api/v1/conversations/{bobs.pk}").status_code == 404
    assert client.post(f"/api/v1/conversations/{bobs.pk}/read").status_code == 404
    assert client.delete("/api/v1/conversations/nope").status_code == 404
    removed = http_for(bob).delete(f"/api/v1/conversations/{bobs.pk}")
    assert removed.status_code == 200 and removed.json() == {}
    assert api.conversations() == []
    assert len(client.get("/api/v1/conversations").json()) == 1


def test_a_conversation_with_oneself_and_deleted_posts(alice, http_for) -> None:
    note = dm(alice, "a note to self")
    [entry] = http_for(alice).get("/api/v1/conversations").json()
    assert [a["acct"] for a in entry["accounts"]] == ["alice"]
    do_delete_status(account=alice.account, status=note)
    assert http_for(alice).get("/api/v1/conversations").json() == []


def test_pages_by_last_status(alice, make_user, http_for) -> None:
    friends = [make_user(f"friend{n}") for n in range(3)]
    sent = []
    for friend in friends:
        do_follow(account=friend.account, target=alice.account)
        sent.append(dm(alice, f"@{friend.account.username} hello"))
    client = http_for(alice)
    first = client.get("/api/v1/conversations?limit=2")
    assert [c["last_status"]["id"] for c in first.json()] == [str(sent[2].pk), str(sent[1].pk)]
    found = re.search(r'<([^>]+)>; rel="next"', first.headers["link"])
    assert found is not None
    next_url = found.group(1)
    assert f"max_id={sent[1].pk}" in next_url
    rest = client.get(f"{urlsplit(next_url).path}?{urlsplit(next_url).query}").json()
    assert [c["last_status"]["id"] for c in rest] == [str(sent[0].pk)]
    newer = client.get(f"/api/v1/conversations?min_id={sent[0].pk}&limit=1").json()
    assert [c["last_status"]["id"] for c in newer] == [str(sent[1].pk)]


def test_filtered_and_blocked_senders_stay_out(alice, make_user, http_for) -> None:
    stranger, pest = make_user("stranger"), make_user("pest")
    dm(stranger, "@alice buy my stuff")  # private mentions from strangers are filtered
    client = http_for(alice)
    assert client.get("/api/v1/conversations").json() == []
    assert len(http_for(stranger).get("/api/v1/conversations").json()) == 1
    [request] = client.get("/api/v1/notifications/requests").json()
    client.post(f"/api/v1/notifications/requests/{request['id']}/accept")
    [accepted] = client.get("/api/v1/conversations").json()
    assert accepted["unread"] is True and accepted["accounts"][0]["acct"] == "stranger"
    do_update_policy(account=alice.account, changes={"for_private_mentions": "accept"})
    Block.objects.create(account=alice.account, target_account=pest.account)
    dm(pest, "@alice let me in")
    assert len(client.get("/api/v1/conversations").json()) == 1
    assert not Status.objects.filter(visibility="public").exists()


def test_scopes(alice, bob, http_for) -> None:
    do_follow(account=bob.account, target=alice.account)
    dm(alice, "@bob psst")
    entry = AccountConversation.objects.get(account=bob.account)
    client = http_for(bob, scope="read:notifications")
    response = client.get("/api/v1/conversations")
    assert response.status_code == 403 and response.json() == OUT_OF_SCOPE
    reader = http_for(bob, scope="read write:statuses")
    assert len(reader.get("/api/v1/conversations").json()) == 1
    for refused in (
        reader.post(f"/api/v1/conversations/{entry.pk}/read"),
        reader.delete(f"/api/v1/conversations/{entry.pk}"),
    ):
        assert refused.status_code == 403 and refused.json() == OUT_OF_SCOPE
    entry.refresh_from_db()
    assert entry.unread is True
    writer = http_for(bob, scope="write:conversations")
    assert writer.post(f"/api/v1/conversations/{entry.pk}/read").status_code == 200


def test_a_page_costs_a_fixed_number_of_queries(alice, make_user, token_for) -> None:
    token = token_for(alice, "read")
    client = Client()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                "/api/v1/conversations?limit=40", HTTP_AUTHORIZATION=f"Bearer {token}"
            )
        assert response.status_code == 200
        return len(captured)

    def talk(name: str) -> None:
        friend = make_user(name)
        do_follow(account=alice.account, target=friend.account)
        dm(friend, f"@alice hello from {name}")

    talk("friend0")
    small = queries()
    for index in range(1, 8):
        talk(f"friend{index}")
    assert queries() == small

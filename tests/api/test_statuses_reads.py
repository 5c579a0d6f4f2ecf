"""Context, reblogged_by, favourited_by, editing with PUT, history and source."""

from urllib.parse import parse_qs, urlparse

import httpx

from accounts.services.blocks import do_block
from accounts.services.follows import do_follow
from timelines.models import Favourite, Notification, Poll, PollVote, Status, StatusEdit, Visibility
from timelines.services.interactions import do_favourite, do_reblog
from timelines.services.polls import PollInput, do_vote
from timelines.services.statuses import StatusInput, do_create_status

EDIT_KEYS = {
    "content", "spoiler_text", "sensitive", "created_at", "account", "poll",
    "media_attachments", "emojis",
}  # fmt: skip


def post(user, text: str = "hello", **options) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text, **options))


def ids(statuses: list[dict]) -> list[str]:
    return [s["id"] for s in statuses]


def test_context_lists_ancestors_and_descendants_visible_to_the_viewer(
    alice, bob, make_user, base_url, http_for
) -> None:
    carol = make_user("carol")
    root = post(alice, "root")
    middle = post(bob, "middle", in_reply_to_id=root.pk)
    below = post(alice, "below", in_reply_to_id=middle.pk)
    hidden = post(carol, "followers only", in_reply_to_id=middle.pk,
                  visibility=Visibility.PRIVATE)  # fmt: skip
    anonymous = httpx.get(f"{base_url}/api/v1/statuses/{middle.pk}/context").json()
    assert ids(anonymous["ancestors"]) == [str(root.pk)]
    assert ids(anonymous["descendants"]) == [str(below.pk)]
    do_follow(account=alice.account, target=carol.account)
    seen = http_for(alice).get(f"/api/v1/statuses/{middle.pk}/context").json()
    assert ids(seen["descendants"]) == [str(below.pk), str(hidden.pk)]
    assert seen["ancestors"][0]["content"] == "<p>root</p>"
    assert http_for(alice).get("/api/v1/statuses/123/context").status_code == 404


def test_reblogged_by_and_favourited_by_page_by_their_own_ids(
    alice, bob, make_user, base_url
) -> None:
    status = post(alice)
    carol, dave = make_user("carol"), make_user("dave")
    for user in (bob, carol, dave):
        do_reblog(account=user.account, status=status)
        do_favourite(account=user.account, status=status)
    for path in ("reblogged_by", "favourited_by"):
        url = f"{base_url}/api/v1/statuses/{status.pk}/{path}"
        first = httpx.get(url, params={"limit": 2})
        assert first.status_code == 200
        assert [a["username"] for a in first.json()] == ["dave", "carol"]
        assert first.json()[0]["followers_count"] == 0
        # The Link header cuts at the id of the boost or favourite, not of the account.
        rows = (Status.objects.filter(reblog=status) if path == "reblogged_by"
                else Favourite.objects.filter(status=status)).order_by("-id")  # fmt: skip
        next_query = parse_qs(urlparse(first.links["next"]["url"]).query)
        assert next_query == {"limit": ["2"], "max_id": [str(rows[1].pk)]}
        prev_query = parse_qs(urlparse(first.links["prev"]["url"]).query)
        assert prev_query == {"limit": ["2"], "min_id": [str(rows[0].pk)]}
        rest = httpx.get(url, params={"limit": 2, "max_id": rows[1].pk}).json()
        assert [a["username"] for a in rest] == ["bob"]


def test_blocked_accounts_are_left_out_of_who_boosted(alice, bob, make_user, http_for) -> None:
    status = post(alice)
    carol = make_user("carol")
    do_reblog(account=bob.account, status=status)
    do_reblog(account=carol.account, status=status)
    do_block(account=alice.account, target=carol.account)
    listed = http_for(alice).get(f"/api/v1/statuses/{status.pk}/reblogged_by").json()
    assert [a["username"] for a in listed] == ["bob"]


def test_an_edit_changes_the_post_and_keeps_its_history(alice, api_for) -> None:
    api = api_for(alice)
    original = api.status_post("first words")
    edited = api.status_update(original["id"], "second words", spoiler_text="cw")
    assert edited["content"] == "<p>second words</p>"
    assert edited["spoiler_text"] == "cw" and edited["sensitive"] is True
    assert edited["edited_at"] is not None
    api.status_update(original["id"], "third words")
    history = api.status_history(original["id"])
    assert [h["content"] for h in history] == [
        "<p>first words</p>", "<p>second words</p>", "<p>third words</p>"
    ]  # fmt: skip
    assert [h["spoiler_text"] for h in history] == ["", "cw", ""]
    assert history[0]["created_at"] < history[1]["created_at"] < history[2]["created_at"]
    assert history[0]["account"]["username"] == "alice"
    source = api.status_source(original["id"])
    assert source == {"id": original["id"], "text": "third words", "spoiler_text": ""}


def test_history_entities_as_mastodon_shows_them(alice, http_for, base_url) -> None:
    status = post(alice, "never edited")
    history = httpx.get(f"{base_url}/api/v1/statuses/{status.pk}/history").json()
    assert len(history) == 1 and set(history[0]) == EDIT_KEYS
    assert history[0]["content"] == "<p>never edited</p>" and history[0]["poll"] is None
    http = http_for(alice)
    http.put(f"/api/v1/statuses/{status.pk}", json={
        "status": "with a poll", "poll": {"options": ["a", "b"], "expires_in": 600}})  # fmt: skip
    history = http.get(f"/api/v1/statuses/{status.pk}/history").json()
    assert history[0]["poll"] is None
    assert history[1]["poll"] == {"options": [{"title": "a"}, {"title": "b"}]}


def test_an_edit_without_changes_records_nothing(alice, http_for) -> None:
    status = post(alice, "same")
    response = http_for(alice).put(f"/api/v1/statuses/{status.pk}", data={"status": "same"})
    assert response.status_code == 200 and response.json()["edited_at"] is None
    assert not StatusEdit.objects.exists()


def test_editing_the_poll_options_resets_its_votes(alice, bob, http_for) -> None:
    status = post(alice, "vote", poll=PollInput(("a", "b"), 600))
    do_vote(account=bob.account, poll=status.poll, choices=[0])
    http = http_for(alice)
    same = {"status": "vote!", "poll": {"options": ["a", "b"], "expires_in": 900}}
    kept = http.put(f"/api/v1/statuses/{status.pk}", json=same).json()
    assert kept["poll"]["votes_count"] == 1
    changed = {"status": "vote!", "poll": {"options": ["a", "c"], "expires_in": 900}}
    reset = http.put(f"/api/v1/statuses/{status.pk}", json=changed).json()
    assert reset["poll"]["votes_count"] == 0
    assert [o["title"] for o in reset["poll"]["options"]] == ["a", "c"]
    assert not PollVote.objects.exists()
    removed = http.put(f"/api/v1/statuses/{status.pk}", json={"status": "no poll"}).json()
    assert removed["poll"] is None and not Poll.objects.exists()


def test_those_who_boosted_hear_of_an_edit(alice, bob, http_for) -> None:
    status = post(alice, "boost me")
    do_reblog(account=bob.account, status=status)
    http_for(alice).put(f"/api/v1/statuses/{status.pk}", data={"status": "boost me (edited)"})
    update = Notification.objects.get(account=bob.account, type="update")
    assert update.status_id == status.pk and update.from_account_id == alice.account.pk


def test_an_edit_updates_mentions_and_tags(alice, bob, http_for) -> None:
    status = post(alice, "plain")
    body = (
        http_for(alice)
        .put(f"/api/v1/statuses/{status.pk}", data={"status": "hi @bob #news"})
        .json()
    )
    assert [m["username"] for m in body["mentions"]] == ["bob"]
    assert [t["name"] for t in body["tags"]] == ["news"]
    assert Notification.objects.filter(account=bob.account, type="mention").count() == 1


def test_bad_edits_change_nothing(alice, bob, http_for) -> None:
    status = post(alice, "mine")
    theirs = post(bob, "theirs")
    http = http_for(alice)
    too_long = http.put(f"/api/v1/statuses/{status.pk}", data={"status": "x" * 501})
    assert too_long.status_code == 422
    assert too_long.json() == {"error": "Validation failed: Text character limit of 500 exceeded"}
    foreign = http.put(f"/api/v1/statuses/{theirs.pk}", data={"status": "hacked"})
    assert foreign.status_code == 404 and foreign.json() == {"error": "Record not found"}
    scoped = http_for(alice, "read").put(f"/api/v1/statuses/{status.pk}", data={"status": "x"})
    assert scoped.status_code == 403
    assert Status.objects.get(pk=status.pk).text == "mine"
    assert Status.objects.get(pk=theirs.pk).text == "theirs"
    assert not StatusEdit.objects.exists()


def test_source_needs_a_token_and_history_does_not(alice, base_url, http_for) -> None:
    status = post(alice, "text #tag", spoiler_text="careful")
    assert httpx.get(f"{base_url}/api/v1/statuses/{status.pk}/source").status_code == 401
    source = http_for(alice, "read:statuses").get(f"/api/v1/statuses/{status.pk}/source")
    assert source.json() == {"id": str(status.pk), "text": "text #tag", "spoiler_text": "careful"}
    wrong = http_for(alice, "read:accounts").get(f"/api/v1/statuses/{status.pk}/history")
    assert wrong.status_code == 403


def test_private_posts_stay_hidden_in_every_read(alice, bob, http_for) -> None:
    hidden = post(bob, "followers only", visibility=Visibility.PRIVATE)
    http = http_for(alice)
    for path in ("context", "reblogged_by", "favourited_by", "history", "source"):
        response = http.get(f"/api/v1/statuses/{hidden.pk}/{path}")
        assert response.status_code == 404, path
        assert response.json() == {"error": "Record not found"}

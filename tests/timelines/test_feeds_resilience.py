"""Feeds follow the database through follows, blocks and deletions, and survive Redis being
flushed, Redis being unreachable, and a fan-out that dies half-way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.services.blocks import do_block
from accounts.services.follows import do_follow, do_unfollow
from accounts.services.mutes import do_mute
from timelines import fanout, feeds
from timelines.selectors import home_timeline, paginate
from timelines.services.edits import EditInput, do_edit_status
from timelines.services.interactions import do_reblog
from timelines.services.statuses import do_delete_status

from .test_feeds import active, home, post


def read_home(user: User) -> list[int]:
    return [s.pk for s in paginate(home_timeline(user.account), limit=40)]


def test_following_merges_and_unfollowing_removes(alice, bob, make_user) -> None:
    carol = make_user("carol")
    active(bob)
    do_follow(account=bob.account, target=carol.account)
    by_carol = post(carol, "carol")
    assert read_home(bob) == [by_carol.pk]
    older = [post(alice, f"alice {n}").pk for n in range(3)]
    do_follow(account=bob.account, target=alice.account)
    assert home(bob) == [*reversed(older), by_carol.pk]
    do_unfollow(account=bob.account, target=alice.account)
    assert home(bob) == [by_carol.pk]


def test_blocking_and_muting_remove_posts_boosts_and_replies(alice, bob, make_user) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    active(bob)
    for target in (alice, carol, dave):
        do_follow(account=bob.account, target=target.account)
    by_carol = post(carol, "carol")
    boost = do_reblog(account=alice.account, status=by_carol)
    by_dave = post(dave, "dave")
    post(alice, "to dave", in_reply_to_id=by_dave.pk)
    kept = post(alice, "alice")
    read_home(bob)
    do_block(account=bob.account, target=carol.account)
    assert by_carol.pk not in home(bob) and boost.pk not in home(bob)
    do_mute(account=bob.account, target=dave.account)
    assert home(bob) == [kept.pk]


def test_deleting_removes_the_post_and_its_boosts_everywhere(alice, bob, make_user) -> None:
    carol = make_user("carol")
    active(bob, carol)
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=carol.account, target=bob.account)
    status = post(alice, "soon gone")
    boost = do_reblog(account=bob.account, status=status)
    assert home(bob) == [status.pk] and home(carol) == [boost.pk]
    do_delete_status(account=alice.account, status=status)
    assert home(alice) == [] and home(bob) == [] and home(carol) == []


def test_an_edited_post_reads_edited(alice, bob) -> None:
    active(bob)
    do_follow(account=bob.account, target=alice.account)
    status = post(alice, "first words")
    do_edit_status(account=alice.account, status=status, data=EditInput(text="second words"))
    assert "second words" in paginate(home_timeline(bob.account))[0].text


def test_redis_flushed_mid_run_rebuilds_from_the_database(alice, bob) -> None:
    active(bob)
    do_follow(account=bob.account, target=alice.account)
    before = [post(alice, f"before {n}").pk for n in range(3)]
    assert read_home(bob) == before[::-1]
    feeds.client().flushdb()
    after = post(alice, "after the flush")
    assert home(bob) == [after.pk]  # fan-out wrote into a feed not built yet
    assert read_home(bob) == [after.pk, *before[::-1]]
    assert home(bob) == [after.pk, *before[::-1]]


def test_redis_unreachable_serves_home_from_the_database(alice, bob, client_for, settings) -> None:
    active(bob)
    do_follow(account=bob.account, target=alice.account)
    status = post(alice, "still here")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    assert read_home(bob) == [status.pk]
    page = client_for(bob).get("/")
    assert page.status_code == 200 and "still here" in page.content.decode()


def test_fan_out_killed_half_way_completes_on_retry(alice, make_user, monkeypatch) -> None:
    followers = [make_user(f"f{n}") for n in range(7)]
    active(*followers)
    for follower in followers:
        do_follow(account=follower.account, target=alice.account)
    monkeypatch.setattr(fanout, "BATCH_SIZE", 3)
    real_write = feeds.write_batch
    calls = {"n": 0}

    def dies_on_third_batch(batch: feeds.FeedWrite) -> list[str]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")
        return real_write(batch)

    monkeypatch.setattr(feeds, "write_batch", dies_on_third_batch)
    status = alice.account.statuses.create(text="x", content="<p>x</p>", local=True)
    with pytest.raises(SystemExit):
        fanout.fan_out(status.pk)
    reached = [f for f in followers if home(f) == [status.pk]]
    assert 0 < len(reached) < len(followers)
    fanout.fan_out(status.pk)  # the redelivered task
    fanout.fan_out(status.pk)  # and once more: nothing doubles
    assert all(home(f) == [status.pk] for f in followers)


def test_feeds_are_trimmed_to_the_configured_size(alice, bob, settings) -> None:
    settings.FEED_MAX_SIZE = 5
    active(bob)
    do_follow(account=bob.account, target=alice.account)
    ids = [post(alice, f"n{n}").pk for n in range(8)]
    assert home(bob) == ids[::-1][:5]


def test_requests_mark_users_active_at_most_hourly(bob, client_for) -> None:
    User.objects.filter(pk=bob.pk).update(last_active_at=timezone.now() - timedelta(days=30))
    client_for(bob).get("/")
    bob.refresh_from_db()
    assert bob.last_active_at is not None
    assert timezone.now() - bob.last_active_at < timedelta(minutes=1)


def test_unfollowing_and_list_changes_reach_list_feeds(alice, bob, make_user) -> None:
    from timelines.services.lists import (
        do_add_list_accounts,
        do_create_list,
        do_remove_list_accounts,
        list_timeline,
    )

    carol = make_user("carol")
    active(bob)
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=bob.account, target=carol.account)
    friends = do_create_list(account=bob.account, title="friends")
    do_add_list_accounts(list_=friends, accounts=[alice.account, carol.account])
    by_alice, by_carol = post(alice, "alice"), post(carol, "carol")
    assert [s.pk for s in paginate(list_timeline(friends))] == [by_carol.pk, by_alice.pk]
    do_unfollow(account=bob.account, target=alice.account)
    assert feeds.ids_in(feeds.list_key(friends.pk)) == [by_carol.pk]
    do_remove_list_accounts(list_=friends, account_ids=[carol.account.pk])
    assert feeds.ids_in(feeds.list_key(friends.pk)) == []


def test_unmuting_and_following_a_tag_bring_posts_back(alice, bob, make_user) -> None:
    from accounts.services.mutes import do_unmute
    from timelines.services.tag_follows import do_follow_tag

    carol = make_user("carol")
    active(bob)
    do_follow(account=bob.account, target=alice.account)
    by_alice = post(alice, "alice")
    tagged = post(carol, "about #gardens")
    assert read_home(bob) == [by_alice.pk]
    do_mute(account=bob.account, target=alice.account)
    assert read_home(bob) == []
    do_unmute(account=bob.account, target=alice.account)
    assert read_home(bob) == [by_alice.pk]
    do_follow_tag(account=bob.account, name="gardens")
    assert read_home(bob) == [tagged.pk, by_alice.pk]

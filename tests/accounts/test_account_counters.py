"""The per-account counters PostgreSQL keeps with triggers agree with counting the rows,
whichever way the rows were written: services, bulk inserts, deletes and cascades."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from accounts.models import Account, Follow, User
from accounts.selectors import AccountStats, _count, _read_counters, account_stats
from accounts.services.follows import do_follow, do_unfollow
from timelines.models import Status
from timelines.services.statuses import StatusInput, do_create_status, do_delete_status


def _both(accounts: list[Account]) -> tuple[dict[int, tuple], dict[int, tuple]]:
    def shape(stats: dict[int, AccountStats]) -> dict[int, tuple]:
        return {
            pk: (s.statuses, s.followers, s.following, s.last_status_at) for pk, s in stats.items()
        }

    kept = {a.pk: AccountStats() for a in accounts}
    counted = {a.pk: AccountStats() for a in accounts}
    _read_counters(kept)
    _count(counted)
    return shape(kept), shape(counted)


def test_counters_follow_posts_and_follows(make_user: Callable[..., User]) -> None:
    alice, bob, carol = (make_user(n).account for n in ("alice", "bob", "carol"))
    people = [alice, bob, carol]
    first = do_create_status(account=alice, data=StatusInput(text="one"))
    do_create_status(account=alice, data=StatusInput(text="two"))
    do_follow(account=bob, target=alice)
    do_follow(account=carol, target=alice)
    do_follow(account=alice, target=bob)
    kept, counted = _both(people)
    assert kept == counted
    assert kept[alice.pk][:3] == (2, 2, 1)
    assert account_stats([alice])[alice.pk].followers == 2

    # Bulk inserts (archive imports) and an older post: the last post time stays the newest.
    older = timezone.now() - timedelta(days=3)
    Status.objects.bulk_create(
        [
            Status(account=bob, text=f"b{n}", content=f"<p>b{n}</p>", local=True, created_at=older)
            for n in range(3)
        ]  # fmt: skip
    )
    newest = do_create_status(account=alice, data=StatusInput(text="three"))
    do_unfollow(account=carol, target=alice)
    kept, counted = _both(people)
    assert kept == counted
    assert kept[bob.pk][0] == 3

    # Deleting the newest post moves the last post time back; deleting an older one does not.
    do_delete_status(account=alice, status=newest)
    Status.objects.filter(pk=first.pk).delete()
    kept, counted = _both(people)
    assert kept == counted
    assert kept[alice.pk][0] == 1

    # An account deleted takes its posts and follows with it, and its counter row.
    Follow.objects.create(account=carol, target_account=bob)
    alice.delete()
    kept, counted = _both([bob, carol])
    assert kept == counted
    assert kept[bob.pk][:3] == (3, 1, 0)
    stats = {alice.pk: AccountStats()}
    _read_counters(stats)
    assert stats[alice.pk].statuses == 0

"""What the services call, inside their transaction, to keep the Redis feeds in step with the
database: each schedules a task on the `fanout` queue that runs once the write commits."""

from fediverse.effects import enqueue
from timelines.models import Status


def schedule_fan_out(status: Status) -> None:
    from timelines.tasks import fan_out_status

    enqueue(fan_out_status, status.pk, queue="fanout")


def schedule_removal(status: Status) -> None:
    """Call before deleting: the post's boosts, tags and author are read while they exist."""
    from timelines.tasks import remove_from_feeds

    reblogs = list(Status.objects.filter(reblog=status).values_list("pk", "account_id"))
    status_ids = [status.pk, *(pk for pk, _ in reblogs)]
    author_ids = sorted({status.account_id, *(account_id for _, account_id in reblogs)})
    tag_ids = list(status.tags.values_list("pk", flat=True))
    enqueue(remove_from_feeds, status_ids, author_ids, tag_ids, queue="fanout")


def schedule_follow(account_id: int, target_id: int) -> None:
    from timelines.tasks import merge_into_home

    enqueue(merge_into_home, account_id, target_id, queue="fanout")


def schedule_unfollow(account_id: int, target_id: int, *, everything: bool = False) -> None:
    """`everything`: a block or mute, which also hides boosts of and replies to the target."""
    from timelines.tasks import unmerge_from_feeds

    enqueue(unmerge_from_feeds, account_id, target_id, everything, queue="fanout")


def schedule_reset(*, home_of: int | None = None, list_id: int | None = None) -> None:
    """Drop feeds whose rules changed (a list's replies policy or exclusivity): they are
    rebuilt from the database on their next read."""
    from timelines.tasks import drop_feeds

    enqueue(drop_feeds, home_of, list_id, queue="fanout")


def schedule_list_change(list_id: int, account_ids: list[int], *, remove: bool = False) -> None:
    from timelines.tasks import merge_into_list

    enqueue(merge_into_list, list_id, list(account_ids), remove, queue="fanout")

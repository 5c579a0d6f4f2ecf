from typing import Any

import redis
from celery import shared_task
from django.db import OperationalError

from timelines.services.notifications import do_create_notification


@shared_task
def create_notification(account_id: int, from_account_id: int, type: str, status_id: int | None):
    do_create_notification(
        account_id=account_id, from_account_id=from_account_id, type=type, status_id=status_id
    )


@shared_task
def unfilter_notifications(account_id: int, from_account_id: int) -> None:
    from timelines.services.notification_policy import do_unfilter_notifications

    do_unfilter_notifications(account_id=account_id, from_account_id=from_account_id)


@shared_task
def close_expired_polls() -> int:
    from timelines.services.polls import close_expired_polls as close

    return close()


@shared_task
def publish_scheduled_statuses() -> int:
    from timelines.services.scheduled import publish_due_statuses

    return publish_due_statuses()


# Fan-out tasks acknowledge only when done and go back on the queue when their worker dies:
# every write they make is idempotent, so a run cut short is completed by the next one.
FEED_TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (redis.RedisError, OperationalError),
    "retry_backoff": True,
    "max_retries": 8,
}


@shared_task(**FEED_TASK_OPTIONS)
def fan_out_status(status_id: int) -> None:
    from timelines.fanout import fan_out

    fan_out(status_id)


@shared_task(**FEED_TASK_OPTIONS)
def fan_out_status_update(status_id: int) -> None:
    """An edited post, as status.update to the streams of the feeds holding it (fanout)."""
    from timelines.fanout import fan_out_update

    fan_out_update(status_id)


@shared_task(**FEED_TASK_OPTIONS)
def remove_from_feeds(status_ids: list[int], author_ids: list[int], tag_ids: list[int]) -> None:
    from timelines.fanout import unfan

    unfan(status_ids, author_ids, tag_ids)


@shared_task(**FEED_TASK_OPTIONS)
def merge_into_home(account_id: int, target_id: int) -> None:
    from timelines.fanout import merge_account

    merge_account(account_id, target_id)


@shared_task(**FEED_TASK_OPTIONS)
def unmerge_from_feeds(account_id: int, target_id: int, everything: bool = False) -> None:
    from timelines.fanout import unmerge_account

    unmerge_account(account_id, target_id, everything=everything)


@shared_task(**FEED_TASK_OPTIONS)
def merge_into_list(list_id: int, account_ids: list[int], remove: bool = False) -> None:
    from timelines import fanout

    if remove:
        fanout.unmerge_list_members(list_id, account_ids)
    else:
        fanout.merge_list_members(list_id, account_ids)


@shared_task(**FEED_TASK_OPTIONS)
def drop_feeds(home_of: int | None, list_id: int | None) -> None:
    from timelines import feeds

    keys = [feeds.home_key(home_of)] if home_of is not None else []
    keys += [feeds.list_key(list_id)] if list_id is not None else []
    for key in keys:
        feeds.RankedFeed(key, lambda n: []).drop()


@shared_task
def fetch_preview_card(status_id: int) -> None:
    from timelines.services.cards import do_fetch_card

    do_fetch_card(status_id=status_id)


# Mastodon retries a push five times. The waits double from a minute (about half an hour in
# all), or follow the push service's Retry-After when it asks for longer, up to an hour.
PUSH_RETRIES = 5


@shared_task(bind=True, max_retries=PUSH_RETRIES)
def deliver_web_push(self: Any, subscription_id: int, notification_id: int) -> str:
    from timelines.services.push_delivery import PushFailed, deliver

    outcome = deliver(subscription_id=subscription_id, notification_id=notification_id)
    if outcome.result == "retry":
        wait = min(max(60 * 2**self.request.retries, outcome.retry_after or 0), 3600)
        raise self.retry(exc=PushFailed(outcome), countdown=wait)
    return outcome.result


# Archive jobs acknowledge only when done, so that a worker lost mid-way hands the job to the
# next one, which resumes after the last batch recorded.
ARCHIVE_TASK_OPTIONS: dict[str, Any] = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**ARCHIVE_TASK_OPTIONS)
def prepare_backup(backup_id: int) -> None:
    from timelines.services.archive_export import do_prepare_backup

    do_prepare_backup(backup_id=backup_id)


@shared_task(**ARCHIVE_TASK_OPTIONS)
def run_post_import(import_id: int) -> None:
    from timelines.services.archive_import import do_run_post_import

    do_run_post_import(import_id=import_id)


@shared_task
def resume_stalled_imports() -> int:
    from timelines.services.archive_import import resume_stalled_imports as resume

    return resume()


@shared_task
def remove_expired_backups() -> int:
    from timelines.services.archive_export import remove_expired_backups as remove

    return remove()

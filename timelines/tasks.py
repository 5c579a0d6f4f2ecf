from celery import shared_task

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

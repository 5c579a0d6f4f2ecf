from celery import shared_task

from timelines.services.notifications import do_create_notification


@shared_task
def create_notification(account_id: int, from_account_id: int, type: str, status_id: int | None):
    do_create_notification(
        account_id=account_id, from_account_id=from_account_id, type=type, status_id=status_id
    )

from celery import shared_task
from django.core.mail import send_mail


@shared_task
def send_email(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


# Acknowledged only once a run ends, so a run lost with its worker is delivered again; the
# rows it had settled are not taken twice.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def process_bulk_import(import_id: int) -> None:
    from accounts.services.import_rows import process_import_run

    wait = process_import_run(import_id=import_id)
    if wait is not None:
        process_bulk_import.apply_async(args=[import_id], countdown=wait)

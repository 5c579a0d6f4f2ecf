from celery import shared_task
from django.core.mail import send_mail


@shared_task
def send_email(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])

"""Moderation's background work: strike emails, and deleting what expired suspensions left."""

from celery import shared_task
from django.template.loader import render_to_string

from accounts.models import User
from accounts.tasks import send_email
from fediverse import uris
from moderation.models import AccountWarning, InstanceSettings
from moderation.services.appeals import APPEAL_WINDOW_DAYS, dispute_token
from moderation.services.purge import do_purge_expired_suspensions


@shared_task
def send_strike_email(strike_id: int) -> None:
    strike = AccountWarning.objects.select_related("target_account").filter(pk=strike_id).first()
    user = User.objects.filter(account_id=strike.target_account_id).first() if strike else None
    if strike is None or user is None:
        return
    context = {
        "strike": strike,
        "statuses": [uris.status_url(user.account.username, i) for i in strike.status_ids],
        "instance": InstanceSettings.current(),
        "appeal_days": APPEAL_WINDOW_DAYS,
        "link": uris.absolute(f"/disputes/{strike.pk}?token={dispute_token(strike)}"),
    }
    text = render_to_string("moderation/email/strike.txt", context)
    subject, _, body = text.strip().partition("\n")
    send_email(user.email, subject.strip(), body.strip() + "\n")


@shared_task
def purge_expired_suspensions() -> int:
    return do_purge_expired_suspensions()

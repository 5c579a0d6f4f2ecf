"""Emails to users. Each is sent by a task after the transaction that caused it commits."""

from django.core import signing
from django.template.loader import render_to_string

from accounts.models import User
from accounts.tasks import send_email
from fediverse import uris
from fediverse.effects import enqueue
from moderation.models import InstanceSettings

CONFIRMATION_SALT = "accounts.confirmation"
CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 2


def _send(to: str, template: str, **context: object) -> None:
    context.update(instance=InstanceSettings.current(), base_url=uris.base_url())
    text = render_to_string(f"accounts/email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    enqueue(send_email, to, subject.strip(), body.strip() + "\n")


def confirmation_token(user: User, email: str) -> str:
    return signing.dumps({"user": user.id, "email": email.lower()}, salt=CONFIRMATION_SALT)


def read_confirmation_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return None
    return int(data["user"]), str(data["email"])


def send_confirmation(user: User, email: str) -> None:
    link = uris.absolute(f"/auth/confirmation?confirmation_token={confirmation_token(user, email)}")
    _send(email, "confirmation", user=user, link=link)


def send_approved(user: User) -> None:
    _send(user.email, "approved", user=user, link=uris.absolute("/auth/sign_in"))


def send_rejected(email: str, username: str) -> None:
    _send(email, "rejected", username=username)


def send_password_reset(user: User, link: str) -> None:
    _send(user.email, "password_reset", user=user, link=link)

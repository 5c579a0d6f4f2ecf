"""Creating local accounts, from the sign-up page and the command line alike, and the steps
that follow: email confirmation, approval, rejection."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Account, Follow, RetiredUsername, Role, User
from accounts.services import mail
from accounts.services.keys import generate_key_pair
from fediverse import uris
from moderation.models import InstanceSettings, Invite, RegistrationMode
from moderation.services.sign_up_protection import (
    check_email_domain,
    check_sign_up_ip,
    needs_approval,
)
from timelines.models import ADMIN_SIGN_UP
from timelines.services.notifications import notify_staff

USERNAME_RE = re.compile(r"^[a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?$", re.IGNORECASE)
USERNAME_MAX_LENGTH = 30
EMAIL_MAX_LENGTH = 254
SIGN_UP_REASON_MAX_LENGTH = 500

# Names that would impersonate the server or collide with its paths, as Mastodon reserves.
RESERVED_USERNAMES = frozenset(
    [
        "admin",
        "administrator",
        "root",
        "support",
        "help",
        "moderator",
        "moderators",
        "mod",
        "mods",
        "staff",
        "security",
        "system",
        "webmaster",
        "postmaster",
        "hostmaster",
        "abuse",
        "noreply",
        "no-reply",
        "info",
        "official",
        "owner",
        "mastodon",
        "herd",
        "instance",
        "actor",
        "inbox",
        "outbox",
        "users",
        "tags",
        "api",
        "auth",
        "oauth",
        "settings",
        "about",
        "explore",
        "public",
        "local",
        "home",
        "notifications",
        "bookmarks",
        "health",
        "static",
        "system",
        "media",
        "well-known",
        "nodeinfo",
    ]
)


def check_username(username: str) -> None:
    if not username:
        raise ValidationError("Choose a username.", code="required")
    if len(username) > USERNAME_MAX_LENGTH:
        raise ValidationError(
            f"Usernames are at most {USERNAME_MAX_LENGTH} characters.", code="max_length"
        )
    if not USERNAME_RE.match(username):
        raise ValidationError(
            "Only letters, numbers, underscores, and dots or dashes between them.",
            code="invalid",
        )
    if username.lower() in RESERVED_USERNAMES:
        raise ValidationError("This username is reserved.", code="reserved")
    if Account.objects.filter(username__iexact=username, domain__isnull=True).exists():
        raise ValidationError("This username is taken.", code="taken")
    # A deleted account's name stays with it, as on Mastodon, so nobody can pose as it.
    if RetiredUsername.objects.filter(username__iexact=username).exists():
        raise ValidationError("This username is taken.", code="taken")


def check_email(email: str, *, user: User | None = None) -> None:
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError("This email address is too long.", code="max_length")
    validate_email(email)
    others = User.objects.filter(email__iexact=email)
    if user is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise ValidationError("This email address is already in use.", code="taken")
    check_email_domain(email)


def check_password(password: str, *, username: str = "", email: str = "") -> None:
    probe = User(email=email, account=Account(username=username))
    password_validation.validate_password(password, probe)


def find_usable_invite(code: str) -> Invite | None:
    invite = Invite.objects.filter(code=code).first()
    return invite if invite is not None and invite.valid_for_use else None


def check_registration_allowed(*, invite: Invite | None, ip: str | None = None) -> None:
    # Blocked networks stay blocked even with an invite.
    check_sign_up_ip(ip)
    if invite is not None:
        return
    if InstanceSettings.current().registrations_mode == RegistrationMode.NONE:
        raise ValidationError("Registrations are closed on this server.", code="closed")


def do_create_local_account(
    *,
    username: str,
    email: str,
    password: str | None,
    role: str = Role.USER,
    confirmed: bool = False,
    approved: bool | None = None,
    sign_up_reason: str = "",
    sign_up_ip: str | None = None,
    invite: Invite | None = None,
    locale: str = "en",
) -> User:
    """Create the Account and User. `approved=None` follows the registration mode: an invite
    or open registrations approve at once; approval-required mode queues the user."""
    if approved is None:
        mode = InstanceSettings.current().registrations_mode
        approved = invite is not None or mode == RegistrationMode.OPEN
        # Listed email providers and networks may sign up, but into the approval queue.
        approved = approved and not needs_approval(email=email, ip=sign_up_ip)
    private_key, public_key = generate_key_pair()
    with transaction.atomic():
        account = Account.objects.create(
            username=username,
            uri=uris.account_uri(username),
            url=uris.account_url(username),
            inbox_url=uris.absolute(f"/users/{username}/inbox"),
            outbox_url=uris.absolute(f"/users/{username}/outbox"),
            shared_inbox_url=uris.shared_inbox_url(),
            followers_url=uris.absolute(f"/users/{username}/followers"),
            following_url=uris.absolute(f"/users/{username}/following"),
            private_key=private_key,
            public_key=public_key,
        )
        user = User(
            account=account,
            email=email,
            role=role,
            approved=approved,
            confirmed_at=timezone.now() if confirmed else None,
            sign_up_reason=sign_up_reason,
            sign_up_ip=sign_up_ip,
            invite=invite,
            locale=locale,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        notify_staff(from_account=account, type=ADMIN_SIGN_UP)
        if invite is not None:
            _use_invite(invite, account)
        if not confirmed:
            mail.send_confirmation(user, email)
    return user


def _use_invite(invite: Invite, account: Account) -> None:
    Invite.objects.filter(pk=invite.pk).update(uses=F("uses") + 1)
    if invite.autofollow and invite.user is not None:
        Follow.objects.get_or_create(account=account, target_account=invite.user.account)
        Follow.objects.get_or_create(account=invite.user.account, target_account=account)


def do_confirm_email(*, user: User, email: str) -> None:
    """Confirm the address the link was sent to: the first one, or a changed one."""
    with transaction.atomic():
        if user.unconfirmed_email and user.unconfirmed_email.lower() == email.lower():
            user.email = user.unconfirmed_email
            user.unconfirmed_email = ""
        elif user.email.lower() != email.lower():
            raise ValidationError("This confirmation link is no longer valid.", code="stale")
        if user.confirmed_at is None:
            user.confirmed_at = timezone.now()
        user.save(update_fields=["email", "unconfirmed_email", "confirmed_at"])


def do_approve_user(*, user: User) -> None:
    with transaction.atomic():
        if user.approved:
            return
        user.approved = True
        user.save(update_fields=["approved"])
        mail.send_approved(user)


def do_reject_user(*, user: User) -> None:
    """Rejecting a pending applicant deletes them, as Mastodon does, and tells them so."""
    with transaction.atomic():
        if user.approved:
            raise ValidationError("Only pending applications can be rejected.", code="approved")
        mail.send_rejected(user.email, user.account.username)
        user.account.delete()

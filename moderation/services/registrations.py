"""What admins and moderators do to registrations and local users, from the admin panel and
the command line alike: the registration mode, roles, disabling, email changes, deletion.

`actor=None` means the server's operator at a shell, who may do anything."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import ADMIN_ROLES, RetiredUsername, Role, User
from accounts.services.registration import check_email
from federation.services import outbox
from moderation.models import InstanceSettings, RegistrationMode

ROLE_RANK: dict[str, int] = {Role.USER: 0, Role.MODERATOR: 1, Role.ADMIN: 2, Role.OWNER: 3}


def do_set_registrations_mode(*, mode: str) -> InstanceSettings:
    if mode not in RegistrationMode.values:
        raise ValidationError(f"Unknown registration mode: {mode}.", code="invalid")
    settings = InstanceSettings.current()
    settings.registrations_mode = mode
    settings.save(update_fields=["registrations_mode", "updated_at"])
    return settings


def assignable_roles(actor: User | None) -> list[str]:
    """Owners grant any role; admins only the roles below their own."""
    if actor is None or actor.role == Role.OWNER:
        return list(Role.values)
    if actor.role == Role.ADMIN:
        return [Role.USER, Role.MODERATOR]
    return []


def check_role_change(*, actor: User | None, user: User, role: str) -> None:
    if role not in Role.values:
        raise ValidationError(f"Unknown role: {role}.", code="invalid")
    if actor is None or role == user.role:
        return
    if actor.pk == user.pk:
        # Otherwise the last owner could demote themselves and lock everyone out of the roles.
        raise ValidationError("You cannot change your own role.", code="self")
    if role not in assignable_roles(actor) or (
        user.role in ADMIN_ROLES and actor.role != Role.OWNER
    ):
        raise ValidationError("Only owners can grant or take away the admin and owner roles.")


def do_set_role(*, actor: User | None, user: User, role: str) -> None:
    check_role_change(actor=actor, user=user, role=role)
    user.role = role
    user.save(update_fields=["role"])


def check_can_manage(*, actor: User | None, user: User) -> None:
    """Staff act on those ranked below them; owners on everyone but themselves."""
    if actor is None:
        return
    if actor.pk == user.pk:
        raise ValidationError("You cannot do this to your own account.", code="self")
    if actor.role != Role.OWNER and ROLE_RANK[actor.role] <= ROLE_RANK[user.role]:
        raise ValidationError(
            f"{user} is {user.get_role_display().lower()}: only a higher role can do this.",
            code="rank",
        )


def do_disable_user(*, actor: User | None, user: User) -> None:
    """A disabled user cannot log in; their sessions stop working as `is_active` turns false."""
    check_can_manage(actor=actor, user=user)
    user.disabled = True
    user.save(update_fields=["disabled"])


def do_enable_user(*, actor: User | None, user: User) -> None:
    check_can_manage(actor=actor, user=user)
    user.disabled = False
    user.save(update_fields=["disabled"])


def do_set_email(*, user: User, email: str) -> None:
    """An operator's change takes effect at once, without a confirmation link."""
    check_email(email, user=user)
    user.email = email
    user.unconfirmed_email = ""
    user.save(update_fields=["email", "unconfirmed_email"])


def do_delete_local_account(*, actor: User | None, user: User) -> None:
    """Every server known here hears of it; the username is never given out again. A user
    deleting their own account passes `actor=user` after their password was checked."""
    if actor is None or actor.pk != user.pk:
        check_can_manage(actor=actor, user=user)
    with transaction.atomic():
        outbox.federate_account_deletion(user.account)
        RetiredUsername.objects.get_or_create(
            username__iexact=user.account.username, defaults={"username": user.account.username}
        )
        user.account.delete()

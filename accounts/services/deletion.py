"""A user deleting their own account."""

from django.core.exceptions import ValidationError

from accounts.models import User


def do_delete_own_account(*, user: User, password: str) -> None:
    """After the password is confirmed: the account, its posts and relationships go, other
    servers receive `Delete`, and the username stays taken."""
    from moderation.services.registrations import do_delete_local_account

    if not password or not user.check_password(password):
        raise ValidationError({"current_password": "The current password is not right."})
    do_delete_local_account(actor=user, user=user)

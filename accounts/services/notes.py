"""Private notes about other accounts."""

from django.core.exceptions import ValidationError

from accounts.models import Account, AccountNote

NOTE_MAX_LENGTH = 2000


def check_note(comment: str) -> None:
    if len(comment) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"comment": f"is too long (maximum is {NOTE_MAX_LENGTH} characters)"}, code="too_long"
        )


def do_set_note(*, account: Account, target: Account, comment: str) -> None:
    """An empty comment deletes the note."""
    check_note(comment)
    if not comment.strip():
        AccountNote.objects.filter(account=account, target_account=target).delete()
        return
    AccountNote.objects.update_or_create(
        account=account, target_account=target, defaults={"comment": comment}
    )

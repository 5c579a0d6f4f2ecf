"""Endorsements: accounts a user features on their profile, among those they follow."""

from django.core.exceptions import ValidationError

from accounts.models import Account, AccountPin, Follow


def check_endorse(*, account: Account, target: Account) -> None:
    if not Follow.objects.filter(account=account, target_account=target).exists():
        raise ValidationError(
            "You must be already following the person you want to endorse", code="following"
        )


def do_endorse(*, account: Account, target: Account) -> AccountPin:
    check_endorse(account=account, target=target)
    pin, _ = AccountPin.objects.get_or_create(account=account, target_account=target)
    return pin


def do_unendorse(*, account: Account, target: Account) -> None:
    AccountPin.objects.filter(account=account, target_account=target).delete()

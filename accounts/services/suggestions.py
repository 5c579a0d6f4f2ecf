"""Follow suggestions the user has turned down."""

from accounts.models import Account, SuggestionDismissal


def do_dismiss_suggestion(*, account: Account, target: Account) -> None:
    SuggestionDismissal.objects.get_or_create(account=account, target_account=target)

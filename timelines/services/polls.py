"""Polls: what a valid poll is, attaching one to a post, voting, and closing polls once they
end (which tells the author and the local voters)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from federation.services import outbox
from fediverse.effects import enqueue
from timelines.models import NotificationType, Poll, PollVote, Status

# Mastodon's defaults, also announced in the instance configuration.
MAX_OPTIONS = 4
MAX_OPTION_CHARS = 50
MIN_EXPIRATION = 300
MAX_EXPIRATION = 2_629_746  # one month, as Mastodon counts it
CLOSE_BATCH = 500


@dataclass(frozen=True)
class PollInput:
    options: tuple[str, ...]
    expires_in: int | None
    multiple: bool = False
    hide_totals: bool = False


def poll_input(
    *, options: Sequence[str], expires_in: int | None, multiple: bool, hide_totals: bool
) -> PollInput:
    """Options are trimmed and blank ones dropped, as Mastodon prepares them."""
    cleaned = tuple(str(option).strip() for option in options if str(option).strip())
    return PollInput(cleaned, expires_in, multiple, hide_totals)


def check_poll(poll: PollInput) -> dict[str, ValidationError]:
    """Errors keyed by field; the keys read as Mastodon's ("Poll options …")."""
    errors: dict[str, ValidationError] = {}
    problems = []
    if len(poll.options) < 2:
        problems.append(ValidationError("Must have more than one item.", code="too_few"))
    if len(poll.options) > MAX_OPTIONS:
        problems.append(
            ValidationError(f"Can't contain more than {MAX_OPTIONS} items.", code="too_many")
        )
    if any(len(option) > MAX_OPTION_CHARS for option in poll.options):
        problems.append(
            ValidationError(
                f"Cannot be longer than {MAX_OPTION_CHARS} characters each.", code="too_long"
            )
        )
    if len(set(poll.options)) != len(poll.options):
        problems.append(ValidationError("Contain duplicate items.", code="duplicate"))
    if problems:
        errors["poll_options"] = ValidationError(problems)
    if poll.expires_in is None:
        errors["poll_expires_at"] = ValidationError("Can't be blank.", code="blank")
    elif poll.expires_in > MAX_EXPIRATION:
        errors["poll_expires_at"] = ValidationError("Is too far into the future.", code="long")
    elif poll.expires_in < MIN_EXPIRATION:
        errors["poll_expires_at"] = ValidationError("Is too soon.", code="short")
    return errors


def _ends_at(poll: PollInput) -> datetime:
    return timezone.now() + timedelta(seconds=poll.expires_in or 0)


def create_poll(*, status: Status, data: PollInput) -> Poll:
    """For do_create_status, inside its transaction; `data` has passed check_poll."""
    return Poll.objects.create(
        status=status,
        account_id=status.account_id,
        options=list(data.options),
        tallies=[0] * len(data.options),
        multiple=data.multiple,
        hide_totals=data.hide_totals,
        expires_at=_ends_at(data),
    )


def replace_poll(*, status: Status, data: PollInput | None) -> bool:
    """An edit sends the whole poll again (none removes it). Votes are kept unless the options
    or the kind of poll changed, since a vote for a changed question means nothing."""
    current = Poll.objects.filter(status=status).first()
    if data is None:
        if current is not None:
            current.delete()
        return current is not None
    if current is None:
        create_poll(status=status, data=data)
        return True
    if list(data.options) != current.options or data.multiple != current.multiple:
        current.votes.all().delete()
        current.tallies = [0] * len(data.options)
        current.votes_count, current.voters_count = 0, 0
    current.options, current.multiple = list(data.options), data.multiple
    current.hide_totals, current.expires_at = data.hide_totals, _ends_at(data)
    current.closed, current.updated_at = False, timezone.now()
    current.save()
    return True


def check_vote(*, account: Account, poll: Poll, choices: list[int]) -> None:
    """Mastodon's vote rules, all reported at once in its order."""
    problems = []
    if poll.expired:
        problems.append(ValidationError("The poll has already ended.", code="expired"))
    if any(choice < 0 or choice >= len(poll.options) for choice in choices):
        problems.append(
            ValidationError("The chosen vote option does not exist.", code="invalid_choice")
        )
    if poll.account_id == account.pk:
        problems.append(ValidationError("You cannot vote in your own polls.", code="self_vote"))
    earlier = set(poll.votes.filter(account=account).values_list("choice", flat=True))
    repeated = len(set(choices)) != len(choices) or bool(earlier & set(choices))
    if (poll.multiple and repeated) or (not poll.multiple and (earlier or len(choices) > 1)):
        problems.append(
            ValidationError("You have already voted on this poll.", code="already_voted")
        )
    if problems:
        raise ValidationError(problems)


def do_vote(*, account: Account, poll: Poll, choices: list[int]) -> Poll:
    with transaction.atomic():
        # The row lock makes concurrent votes count one after the other.
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        check_vote(account=account, poll=poll, choices=choices)
        first_vote = not poll.votes.filter(account=account).exists()
        PollVote.objects.bulk_create(
            [PollVote(poll=poll, account=account, choice=choice) for choice in choices]
        )
        tallies = list(poll.tallies) + [0] * (len(poll.options) - len(poll.tallies))
        for choice in choices:
            tallies[choice] += 1
        poll.tallies, poll.votes_count = tallies, poll.votes_count + len(choices)
        if first_vote and poll.voters_count is not None:
            poll.voters_count += 1
        poll.save(update_fields=["tallies", "votes_count", "voters_count"])
        status = poll.status
        outbox.federate_vote(account, status, [poll.options[c] for c in choices])
    return poll


def close_expired_polls() -> int:
    """Announce every poll that has ended and was not announced yet; returns how many."""
    due = list(
        Poll.objects.filter(closed=False, expires_at__lte=timezone.now())
        .order_by("expires_at")
        .values_list("pk", flat=True)[:CLOSE_BATCH]
    )
    return sum(1 for poll_id in due if close_poll(poll_id))


def close_poll(poll_id: int) -> bool:
    from timelines.tasks import create_notification

    with transaction.atomic():
        # skip_locked: two beat runs never announce the same poll twice.
        poll = (
            Poll.objects.select_for_update(skip_locked=True)
            .filter(pk=poll_id, closed=False, expires_at__lte=timezone.now())
            .select_related("account")
            .first()
        )
        if poll is None:
            return False
        poll.closed = True
        poll.save(update_fields=["closed"])
        voters = (
            Account.objects.filter(poll_votes__poll=poll, domain__isnull=True)
            .exclude(pk=poll.account_id)
            .distinct()
            .values_list("pk", flat=True)
        )
        recipients = list(voters) + ([poll.account_id] if poll.account.local else [])
        for account_id in recipients:
            # Sent from the poll's author, to the author too, as Mastodon does.
            enqueue(create_notification, account_id, poll.account_id, NotificationType.POLL,
                    poll.status_id)  # fmt: skip
    return True

"""Favourites, boosts and bookmarks. Each acts only on posts the account may see."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Account
from accounts.services.migration import check_can_post
from federation.services import outbox
from fediverse import uris
from timelines import feed_events
from timelines.models import Bookmark, Favourite, NotificationType, Status, Visibility
from timelines.services.notifications import notify


def find_visible_status(*, account: Account | None, status_id: int) -> Status:
    status = (
        Status.objects.visible_to(account)
        .filter(pk=status_id)
        .select_related("account", "reblog__account")
        .first()
    )
    if status is None:
        raise Status.DoesNotExist
    return status.reblog if status.reblog is not None else status


def do_favourite(*, account: Account, status: Status) -> Favourite:
    with transaction.atomic():
        favourite, created = Favourite.objects.get_or_create(account=account, status=status)
        if created:
            notify(account=status.account, from_account=account,
                   type=NotificationType.FAVOURITE, status=status)  # fmt: skip
            outbox.federate_favourite(account, status)
    return favourite


def do_unfavourite(*, account: Account, status: Status) -> None:
    if Favourite.objects.filter(account=account, status=status).delete()[0]:
        outbox.federate_favourite(account, status, undo=True)


REBLOG_VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE)


def check_reblog(*, account: Account, status: Status, visibility: str | None = None) -> None:
    check_can_post(account)
    # Mastodon lets authors boost their own followers-only posts, to the same audience.
    own_private = status.visibility == Visibility.PRIVATE and status.account_id == account.pk
    if status.visibility in (Visibility.PRIVATE, Visibility.DIRECT) and not own_private:
        raise ValidationError("This post cannot be boosted.", code="forbidden")
    if visibility is not None and visibility not in REBLOG_VISIBILITIES:
        raise ValidationError(
            {"visibility": ValidationError("Is not included in the list.", code="invalid")}
        )


def do_reblog(*, account: Account, status: Status, visibility: str | None = None) -> Status:
    """`visibility` is the booster's choice (public when not given); a followers-only post
    keeps its own audience."""
    check_reblog(account=account, status=status, visibility=visibility)
    existing = Status.objects.filter(account=account, reblog=status).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            reblog = Status(
                account=account,
                reblog=status,
                visibility=status.visibility
                if status.visibility == Visibility.PRIVATE
                else visibility or Visibility.PUBLIC,
                local=True,
            )
            reblog.uri = uris.absolute(f"/users/{account.username}/statuses/{reblog.id}/activity")
            reblog.save()
            notify(account=status.account, from_account=account,
                   type=NotificationType.REBLOG, status=status)  # fmt: skip
            outbox.federate_status(reblog)
            feed_events.schedule_fan_out(reblog)
    except IntegrityError:
        return Status.objects.get(account=account, reblog=status)
    return reblog


def do_unreblog(*, account: Account, status: Status) -> None:
    with transaction.atomic():
        reblogs = Status.objects.filter(account=account, reblog=status)
        for reblog in reblogs.select_related("account", "reblog__account"):
            outbox.federate_delete(reblog)
            feed_events.schedule_removal(reblog)
        reblogs.delete()


def do_bookmark(*, account: Account, status: Status) -> Bookmark:
    bookmark, _ = Bookmark.objects.get_or_create(account=account, status=status)
    return bookmark


def do_unbookmark(*, account: Account, status: Status) -> None:
    Bookmark.objects.filter(account=account, status=status).delete()

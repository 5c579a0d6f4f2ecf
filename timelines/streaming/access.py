"""The database side of the streaming hub, all synchronous (run through `db()` from the event
loop): who a token belongs to, which connections may still stream, and which viewers may see a
post. Every check is made for all connected viewers at once, so the cost of an event does not
grow with the number of connections."""

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from accounts.models import Account, AccountDomainBlock, Block, active_mutes
from fediverse.api.auth import find_token
from timelines.models import Status
from timelines.models_curation import Filter, List

# A token with any of these may read streams, as Mastodon asks for `read` or `read:statuses`
# (`read:notifications` for the notification stream).
READ_SCOPES = {"read", "read:statuses", "read:notifications"}


@dataclass(frozen=True)
class Principal:
    token_id: int
    account_id: int


def authenticate(raw: str) -> Principal | None:
    token = find_token(raw)
    if token is None or token.user is None or not token.user.functional:
        return None
    if token.user.disabled or token.user.account.suspended_at is not None:
        return None
    if not READ_SCOPES & set(token.scope.split()):
        return None
    return Principal(token_id=token.pk, account_id=token.user.account.pk)


def valid_token_ids(token_ids: set[int]) -> set[int]:
    """The tokens among these that still work: not revoked or expired, their application not
    deleted, their user neither disabled nor suspended."""
    if not token_ids:
        return set()
    rows = get_access_token_model().objects.filter(
        Q(expires__isnull=True) | Q(expires__gt=timezone.now()),
        pk__in=token_ids,
        application__isnull=False,
        user__confirmed_at__isnull=False,
        user__disabled=False,
        user__approved=True,
        user__account__suspended_at__isnull=True,
    )
    return set(rows.values_list("pk", flat=True))


def owns_list(account_id: int, list_id: str) -> bool:
    if not list_id.isdigit():
        return False
    return List.objects.filter(pk=int(list_id), account_id=account_id).exists()


def accounts_with_filters(account_ids: set[int]) -> set[int]:
    if not account_ids:
        return set()
    now = timezone.now()
    rows = Filter.objects.filter(account_id__in=account_ids).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    return set(rows.values_list("account_id", flat=True))


def excluded_viewers(author_id: int, viewer_ids: set[int]) -> set[int]:
    """Viewers who may not see the author's public posts in public streams: blocks either way,
    mutes, and blocks of the author's domain (three queries, whatever the number)."""
    if not viewer_ids:
        return set()
    excluded = set(
        Block.objects.filter(account_id__in=viewer_ids, target_account_id=author_id).values_list(
            "account_id", flat=True
        )
    )
    excluded |= set(
        Block.objects.filter(account_id=author_id, target_account_id__in=viewer_ids).values_list(
            "target_account_id", flat=True
        )
    )
    excluded |= set(
        active_mutes()
        .filter(account_id__in=viewer_ids, target_account_id=author_id)
        .values_list("account_id", flat=True)
    )
    author_domain = Account.objects.filter(pk=author_id).values_list("domain", flat=True).first()
    if author_domain:
        blockers = AccountDomainBlock.objects.filter(
            account_id__in=viewer_ids, domain=author_domain.lower()
        )
        excluded |= set(blockers.values_list("account_id", flat=True))
    return excluded


def public_audience(status_id: int, author_id: int, viewer_ids: set[int]) -> tuple[bool, set[int]]:
    """Whether the post can still be streamed publicly at all, and the viewers it may reach."""
    listed = (
        Status.objects.visible_to(None)
        .listed()
        .filter(pk=status_id, account__suspended_at__isnull=True)
        .exists()
    )
    if not listed:
        return False, set()
    return True, viewer_ids - excluded_viewers(author_id, viewer_ids)


def render_for(account_id: int, status_id: int, context: str) -> str | None:
    """The post as this viewer sees it (with `filtered`), or None if a filter hides it or the
    viewer may not see it."""
    from timelines.api import entity_cache
    from timelines.api.present import hidden, status_context
    from timelines.api.serializers import StatusSerializer
    from timelines.selectors import hydrate

    viewer = Account.objects.filter(pk=account_id).first()
    if viewer is not None and entity_cache.supported():
        if not Status.objects.visible_to(viewer).filter(pk=status_id).exists():
            return None
        shown, _ = entity_cache.present_page(viewer, [status_id], 1, context)
        return json.dumps(shown[0]) if shown else None
    status = hydrate(Status.objects.visible_to(viewer).filter(pk=status_id)).first()
    if viewer is None or status is None:
        return None
    context_data = status_context(viewer, [status], context)
    if hidden(status, context_data["facts"], viewer):
        return None
    entity: dict[str, Any] = StatusSerializer(status, context=context_data).data
    return json.dumps(entity)

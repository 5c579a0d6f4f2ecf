"""Reads of preview cards: the posts that carry a card (a page's cards come with
timelines.selectors.status_facts)."""

from django.db.models import QuerySet

from accounts.models import Account
from timelines.models import PreviewCard, PreviewCardStatus, Status
from timelines.selectors import public_timeline


def link_timeline(viewer: Account | None, card: PreviewCard) -> QuerySet[Status]:
    """Public posts carrying the card, by accounts that opted in to discovery."""
    carrying = PreviewCardStatus.objects.filter(card=card).values("status_id")
    return public_timeline(viewer).filter(pk__in=carrying, account__discoverable=True)

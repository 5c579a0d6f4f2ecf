"""Reads other apps make of media."""

from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet

from media.models import MediaAttachment

S = TypeVar("S", bound=Model)


def with_media(statuses: QuerySet[S]) -> QuerySet[S]:
    """Only posts carrying at least one attachment (`only_media` of the timelines)."""
    return statuses.filter(Exists(MediaAttachment.objects.filter(status_id=OuterRef("pk"))))

"""Announcements: list the current ones, dismiss them, and react to them."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.views import ApiView, user
from moderation.api.present import announcement_entity
from moderation.models import Announcement, AnnouncementReaction
from moderation.selectors import announcement_facts
from moderation.services.announcements import (
    DuplicateReaction,
    do_add_reaction,
    do_dismiss_announcement,
    do_remove_reaction,
)


def active_announcement(announcement_id: str) -> Announcement:
    if not announcement_id.isdigit():
        raise Http404
    return get_object_or_404(Announcement.objects.active(), pk=int(announcement_id))


class AnnouncementsView(ApiView):
    access = {"GET": user("read")}

    def get(self, request: Request) -> Response:
        announcements = list(Announcement.objects.active())
        facts = announcement_facts(self.acting, announcements)
        return Response([announcement_entity(a, facts) for a in announcements])


class DismissAnnouncementView(ApiView):
    access = {"POST": user("write", "write:accounts")}

    def post(self, request: Request, pk: str) -> Response:
        announcement = active_announcement(pk)
        do_dismiss_announcement(announcement=announcement, account=self.acting)
        return Response({})


REACT = user("write", "write:favourites")


class AnnouncementReactionView(ApiView):
    access = {"PUT": REACT, "DELETE": REACT}

    def put(self, request: Request, pk: str, name: str) -> Response:
        announcement = active_announcement(pk)
        try:
            do_add_reaction(announcement=announcement, account=self.acting, name=name)
        except DuplicateReaction as error:
            raise ApiError("Duplicate record", 422) from error
        return Response({})

    def delete(self, request: Request, pk: str, name: str) -> Response:
        announcement = active_announcement(pk)
        try:
            do_remove_reaction(announcement=announcement, account=self.acting, name=name)
        except AnnouncementReaction.DoesNotExist as error:
            raise Http404 from error
        return Response({})

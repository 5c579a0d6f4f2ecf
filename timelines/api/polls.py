"""Polls in Mastodon's API: view one, and vote. A poll is seen by whoever may see its post."""

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Account
from fediverse.api.errors import ApiError
from fediverse.api.views import ApiView, public, user
from moderation.selectors_emojis import poll_emojis
from timelines.api.serializers import poll_entity
from timelines.models import Poll, Status
from timelines.selectors import own_poll_votes
from timelines.services.polls import do_vote


def visible_poll(view: ApiView, poll_id: str) -> Poll:
    poll = Poll.objects.filter(pk=int(poll_id)).first() if poll_id.isdigit() else None
    visible = Status.objects.visible_to(view.viewer)
    if poll is None or not visible.filter(pk=poll.status_id).exists():
        raise ApiError("Record not found", 404)
    return poll


def present_poll(viewer: Account | None, poll: Poll) -> dict[str, Any]:
    own_votes = own_poll_votes(viewer, [poll.status_id]) if viewer is not None else {}
    emojis = poll_emojis(poll, poll.account.domain)
    return poll_entity(poll, own_votes.get(poll.status_id), viewer, emojis)


def choices_from(data: Any) -> list[int]:
    """Rails' `params.require(:choices)`; an index that is not a number matches no option."""
    raw = data.get("choices")
    values = raw if isinstance(raw, list) else [] if raw in (None, "") else [raw]
    if not values:
        raise ApiError("param is missing or the value is empty: choices", 400)
    return [int(value) if str(value).lstrip("-").isdigit() else -1 for value in values]


class PollView(ApiView):
    access = {"GET": public("read:statuses")}

    def get(self, request: Request, poll_id: str) -> Response:
        return Response(present_poll(self.viewer, visible_poll(self, poll_id)))


class PollVotesView(ApiView):
    access = {"POST": user("write:statuses")}

    def post(self, request: Request, poll_id: str) -> Response:
        poll = visible_poll(self, poll_id)
        poll = do_vote(account=self.acting, poll=poll, choices=choices_from(request.data))
        return Response(present_poll(self.viewer, poll))

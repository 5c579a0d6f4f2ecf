"""Mastodon's conversations API: direct-message threads, each with its other participants."""

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Account
from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page, paginated
from fediverse.api.views import ApiView, user
from timelines import selectors_inbox as inbox
from timelines.api.notifications import account_entities, status_entities
from timelines.models_inbox import AccountConversation
from timelines.services import conversations as service


def present_conversations(
    viewer: Account, entries: list[AccountConversation]
) -> list[dict[str, Any]]:
    """Entries come from selectors_inbox.conversations (participants prefetched)."""
    people = {e.pk: list(e.participants.all()) or [viewer] for e in entries}
    accounts = account_entities([a for group in people.values() for a in group])
    statuses = status_entities(viewer, {e.last_status_id for e in entries})  # type: ignore[attr-defined]
    return [
        {
            "id": str(e.pk),
            "unread": e.unread,
            "accounts": [accounts[a.pk] for a in people[e.pk]],
            "last_status": statuses.get(e.last_status_id),  # type: ignore[attr-defined]
        }
        for e in entries
    ]


def own_conversation(view: ApiView, conversation_id: str) -> AccountConversation:
    found = None
    if conversation_id.isdigit():
        found = inbox.conversations(view.acting).filter(pk=int(conversation_id)).first()
    if found is None:
        raise ApiError("Record not found", 404)
    return found


class ConversationsView(ApiView):
    access = {"GET": user("read:statuses")}

    def get(self, request: Request) -> Response:
        page = Page.from_request(request, default=20, maximum=40)
        entries = inbox.page_by_id(inbox.conversations(self.acting), page, key="last_status_id")
        data = present_conversations(self.acting, entries)
        return paginated(request, data, entries, key=lambda e: e.last_status_id)


class ConversationView(ApiView):
    access = {"DELETE": user("write:conversations")}

    def delete(self, request: Request, conversation_id: str) -> Response:
        service.do_remove(entry=own_conversation(self, conversation_id))
        return Response({})


class ConversationReadView(ApiView):
    access = {"POST": user("write:conversations")}

    def post(self, request: Request, conversation_id: str) -> Response:
        entry = service.do_mark_read(entry=own_conversation(self, conversation_id))
        return Response(present_conversations(self.acting, [entry])[0])

"""What the API tells about one post besides the post itself: its thread, who boosted and
favourited it, its edit history and its source text."""

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.serializers import AccountSerializer
from accounts.models import Account
from accounts.selectors import account_stats
from fediverse.api.pagination import Page, paginated
from fediverse.api.render import iso
from fediverse.api.views import ApiView, app, public
from moderation.api.emojis import emoji_entities
from moderation.selectors_emojis import emojis_for, shortcodes_in
from timelines import selectors
from timelines.api.common import id_page
from timelines.api.present import present_statuses
from timelines.api.views import visible_status
from timelines.models import StatusEdit
from timelines.services.edits import revisions

ACCOUNTS_PAGE = 40


def present_accounts(accounts: list[Account]) -> list[dict[str, Any]]:
    context = {"stats": account_stats(accounts)}
    return [AccountSerializer(account, context=context).data for account in accounts]


def edit_texts(edit: StatusEdit) -> list[str]:
    return [edit.spoiler_text, edit.content, *(edit.poll_options or [])]


def edit_entity(edit: StatusEdit, context: dict[str, Any]) -> dict[str, Any]:
    options = edit.poll_options
    return {
        "content": edit.content,
        "spoiler_text": edit.spoiler_text,
        "sensitive": edit.sensitive,
        "created_at": iso(edit.created_at),
        "account": AccountSerializer(edit.account, context=context).data,
        "poll": None if options is None else {"options": [{"title": t} for t in options]},
        "media_attachments": [],
        "emojis": emoji_entities(context.get("edit_emojis", {}).get(edit.pk)),
    }


class ContextView(ApiView):
    access = {"GET": public("read:statuses")}

    def get(self, request: Request, status_id: str) -> Response:
        status = visible_status(self, status_id)
        ancestors, descendants = selectors.thread(self.viewer, status)
        # One batch for both lists keeps the query count fixed.
        shown = present_statuses(self.viewer, ancestors + descendants)
        split = len(ancestors)
        return Response({"ancestors": shown[:split], "descendants": shown[split:]})


class RebloggedByView(ApiView):
    access = {"GET": public("read:accounts")}

    def get(self, request: Request, status_id: str) -> Response:
        status = visible_status(self, status_id)
        page = Page.from_request(request, default=ACCOUNTS_PAGE)
        reblogs = id_page(selectors.reblogs_of(self.viewer, status), page)
        accounts = present_accounts([reblog.account for reblog in reblogs])
        return paginated(request, accounts, reblogs)


class FavouritedByView(ApiView):
    access = {"GET": public("read:accounts")}

    def get(self, request: Request, status_id: str) -> Response:
        status = visible_status(self, status_id)
        page = Page.from_request(request, default=ACCOUNTS_PAGE)
        favourites = id_page(selectors.favourites_of(self.viewer, status), page)
        accounts = present_accounts([favourite.account for favourite in favourites])
        return paginated(request, accounts, favourites)


class HistoryView(ApiView):
    access = {"GET": public("read:statuses")}

    def get(self, request: Request, status_id: str) -> Response:
        edits = revisions(visible_status(self, status_id))
        emojis = emojis_for({e.pk: (e.account.domain, shortcodes_in(edit_texts(e))) for e in edits})
        context = {"stats": account_stats({edit.account for edit in edits}), "edit_emojis": emojis}
        return Response([edit_entity(edit, context) for edit in edits])


class SourceView(ApiView):
    access = {"GET": app("read:statuses")}

    def get(self, request: Request, status_id: str) -> Response:
        status = visible_status(self, status_id)
        return Response(
            {"id": str(status.pk), "text": status.text, "spoiler_text": status.spoiler_text}
        )

"""Finding accounts: lookup by handle, search, the profile directory and follow suggestions."""

from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import discovery
from accounts.api.views import present_account, present_accounts, visible_account
from accounts.selectors import find_account_by_acct
from accounts.services.suggestions import do_dismiss_suggestion
from fediverse.api.pagination import Page
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, public, user

ACCOUNTS_LIMIT = 40
# The deprecated v2 `source` summarises the v4.3 `sources`.
SUGGESTION_SOURCE = {"friends_of_friends": "past_interactions", "most_followed": "global"}


def offset_from(request: Request) -> int:
    value = request.query_params.get("offset", "")
    return int(value) if value.isdigit() else 0


class LookupView(ApiView):
    access = {"GET": public("read:accounts")}

    def get(self, request: Request) -> Response:
        found = find_account_by_acct(request.query_params.get("acct", ""))
        if found is None:
            raise Http404
        return Response(present_account(visible_account(str(found.pk))))


class SearchView(ApiView):
    access = {"GET": user("read:accounts")}

    def get(self, request: Request) -> Response:
        # `resolve` would look remote handles up over WebFinger; that arrives with federation,
        # until then only accounts already known are found.
        params = request.query_params
        accounts = discovery.search_accounts(
            self.acting,
            params.get("q", ""),
            limit=Page.from_request(request, default=ACCOUNTS_LIMIT).limit,
            offset=offset_from(request),
            following=to_bool(params.get("following")),
        )
        return Response(present_accounts(accounts))


class DirectoryView(ApiView):
    access = {"GET": public()}

    def get(self, request: Request) -> Response:
        accounts = discovery.directory(
            self.viewer,
            order=request.query_params.get("order", "active"),
            local=to_bool(request.query_params.get("local")),
            offset=offset_from(request),
            limit=Page.from_request(request, default=ACCOUNTS_LIMIT).limit,
        )
        return Response(present_accounts(accounts))


def _suggestions(view: ApiView, request: Request) -> list[discovery.Suggestion]:
    limit, offset = Page.from_request(request, default=ACCOUNTS_LIMIT).limit, offset_from(request)
    return discovery.suggestions(view.acting, limit=offset + limit)[offset:]


class SuggestionsView(ApiView):
    access = {"GET": user("read:accounts")}

    def get(self, request: Request) -> Response:
        return Response(present_accounts([s.account for s in _suggestions(self, request)]))


class SuggestionsV2View(ApiView):
    access = {"GET": user("read:accounts")}

    def get(self, request: Request) -> Response:
        found = _suggestions(self, request)
        entities = present_accounts([s.account for s in found])
        data: list[dict[str, Any]] = [
            {"source": SUGGESTION_SOURCE[s.source], "sources": [s.source], "account": entity}
            for s, entity in zip(found, entities, strict=True)
        ]
        return Response(data)


class SuggestionView(ApiView):
    access = {"DELETE": user("write:accounts")}

    def delete(self, request: Request, account_id: str) -> Response:
        do_dismiss_suggestion(account=self.acting, target=visible_account(account_id))
        return Response({})

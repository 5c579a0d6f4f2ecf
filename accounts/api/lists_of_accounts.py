"""Mastodon's lists of accounts: an account's followers and follows, the viewer's blocks,
mutes, follow requests, endorsements and blocked domains, and the lists an account is on.
They page as Mastodon pages them: on the id of the joining row, with `max_id` and `since_id`,
and a Link header whose `next` appears only after a full page."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from rest_framework.request import Request
from rest_framework.response import Response

from accounts import connections
from accounts.api.views import present_accounts, visible_account
from accounts.connections import Cursor
from accounts.services import domain_blocks
from fediverse import uris
from fediverse.api.pagination import Page
from fediverse.api.render import iso
from fediverse.api.views import ApiView, public, user
from timelines.models_curation import List

ACCOUNTS_LIMIT = 40
DOMAIN_BLOCKS_LIMIT = 100


def cursor_from(request: Request, default: int = ACCOUNTS_LIMIT) -> Cursor:
    page = Page.from_request(request, default=default)
    return Cursor(max_id=page.max_id, since_id=page.since_id, limit=page.limit)


def _link(request: Request, **cursor: int) -> str:
    params = [("limit", request.query_params["limit"])] if "limit" in request.query_params else []
    query = urlencode(params + [(k, str(v)) for k, v in cursor.items()])
    return f"{uris.base_url()}{request.path}?{query}"


def linked(request: Request, data: Any, keys: Sequence[int], limit: int) -> Response:
    """`keys`: the id each row of the page was cut on, in page order."""
    response = Response(data)
    links = []
    if keys and len(keys) >= limit:
        links.append(f'<{_link(request, max_id=keys[-1])}>; rel="next"')
    if keys:
        links.append(f'<{_link(request, since_id=keys[0])}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return response


class FollowersView(ApiView):
    access = {"GET": public("read:accounts")}

    def get(self, request: Request, account_id: str) -> Response:
        account, cursor = visible_account(account_id), cursor_from(request)
        rows = connections.followers(self.viewer, account, cursor)
        data = present_accounts([row.account for row in rows])
        return linked(request, data, [row.pk for row in rows], cursor.limit)


class FollowingView(ApiView):
    access = {"GET": public("read:accounts")}

    def get(self, request: Request, account_id: str) -> Response:
        account, cursor = visible_account(account_id), cursor_from(request)
        rows = connections.following(self.viewer, account, cursor)
        data = present_accounts([row.target_account for row in rows])
        return linked(request, data, [row.pk for row in rows], cursor.limit)


class BlocksView(ApiView):
    access = {"GET": user("read:blocks")}

    def get(self, request: Request) -> Response:
        cursor = cursor_from(request)
        rows = connections.blocks(self.acting, cursor)
        data = present_accounts([row.target_account for row in rows])
        return linked(request, data, [row.pk for row in rows], cursor.limit)


class MutesView(ApiView):
    access = {"GET": user("read:mutes")}

    def get(self, request: Request) -> Response:
        cursor = cursor_from(request)
        rows = connections.mutes(self.acting, cursor)
        data = present_accounts([row.target_account for row in rows])
        for entity, row in zip(data, rows, strict=True):
            entity["mute_expires_at"] = iso(row.expires_at)
        return linked(request, data, [row.pk for row in rows], cursor.limit)


class FollowRequestsView(ApiView):
    access = {"GET": user("read:follows")}

    def get(self, request: Request) -> Response:
        cursor = cursor_from(request)
        rows = connections.follow_requests(self.acting, cursor)
        data = present_accounts([row.account for row in rows])
        return linked(request, data, [row.pk for row in rows], cursor.limit)


class EndorsementsView(ApiView):
    access = {"GET": user("read:accounts")}

    def get(self, request: Request) -> Response:
        # limit=0 asks for every endorsement at once, unpaged, as Mastodon allows.
        cursor = None if request.query_params.get("limit") == "0" else cursor_from(request)
        accounts = connections.endorsements(self.acting, cursor)
        if cursor is None:
            return Response(present_accounts(accounts))
        return linked(request, present_accounts(accounts), [a.pk for a in accounts], cursor.limit)


class DomainBlocksView(ApiView):
    access = {
        "GET": user("read:blocks"),
        "POST": user("write:blocks"),
        "DELETE": user("write:blocks"),
    }

    def get(self, request: Request) -> Response:
        cursor = cursor_from(request, default=DOMAIN_BLOCKS_LIMIT)
        rows = connections.domain_blocks(self.acting, cursor)
        return linked(request, [row.domain for row in rows], [row.pk for row in rows], cursor.limit)

    def post(self, request: Request) -> Response:
        domain_blocks.do_block_domain(account=self.acting, domain=_domain(request))
        return Response({})

    def delete(self, request: Request) -> Response:
        domain_blocks.do_unblock_domain(account=self.acting, domain=_domain(request))
        return Response({})


def _domain(request: Request) -> str:
    value = request.data.get("domain") or request.query_params.get("domain") or ""
    return value if isinstance(value, str) else ""


def list_entity(found: List) -> dict[str, Any]:
    return {
        "id": str(found.pk),
        "title": found.title,
        "replies_policy": found.replies_policy,
        "exclusive": found.exclusive,
    }


class AccountListsView(ApiView):
    access = {"GET": user("read:lists")}

    def get(self, request: Request, account_id: str) -> Response:
        account = visible_account(account_id)
        lists = List.objects.filter(account=self.acting, memberships__account=account)
        return Response([list_entity(found) for found in lists.order_by("id").distinct()])

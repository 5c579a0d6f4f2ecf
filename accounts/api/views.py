"""Mastodon's accounts API: the signed-in account and other accounts' profiles and posts."""

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.serializers import AccountSerializer, CredentialAccountSerializer
from accounts.models import Account
from accounts.selectors import account_stats, listable_q
from fediverse.api.pagination import Page, paginated
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, public, user
from media.selectors import with_media
from timelines import selectors
from timelines.api.present import present_statuses


def present_account(account: Account) -> dict[str, Any]:
    return AccountSerializer(account, context={"stats": account_stats([account])}).data


def present_accounts(accounts: list[Account]) -> list[dict[str, Any]]:
    context = {"stats": account_stats(accounts)}
    return [AccountSerializer(a, context=context).data for a in accounts]


def visible_account(account_id: str) -> Account:
    """Suspended accounts, and local ones still awaiting confirmation or approval, answer as
    missing, like every invisible object."""
    if not str(account_id).isdigit():
        raise Http404
    return get_object_or_404(Account.objects.filter(listable_q()), pk=int(account_id))


class VerifyCredentialsView(ApiView):
    access = {"GET": user("read:accounts", "profile")}

    def get(self, request: Request) -> Response:
        account = self.acting
        context = {
            "stats": account_stats([account]),
            "follow_requests_count": account.incoming_follow_requests.count(),
        }
        return Response(CredentialAccountSerializer(account, context=context).data)


class AccountView(ApiView):
    access = {"GET": public("read:accounts")}

    def get(self, request: Request, account_id: str) -> Response:
        return Response(present_account(visible_account(account_id)))


class AccountStatusesView(ApiView):
    access = {"GET": public("read:statuses")}

    def get(self, request: Request, account_id: str) -> Response:
        account = visible_account(account_id)
        params = request.query_params
        qs = selectors.account_statuses(self.viewer, account, with_replies=True)
        if to_bool(params.get("exclude_replies")):
            qs = qs.filter(Q(in_reply_to__isnull=True) | Q(in_reply_to_account=account))
        if to_bool(params.get("exclude_reblogs")):
            qs = qs.filter(reblog__isnull=True)
        if params.get("tagged"):
            qs = qs.filter(tags__name__iexact=params["tagged"])
        if to_bool(params.get("only_media")):
            qs = with_media(qs)
        if to_bool(params.get("pinned")):
            qs = selectors.pinned_statuses(qs)
        statuses = selectors.paginate(qs, **Page.from_request(request).as_kwargs())
        return paginated(request, present_statuses(self.viewer, statuses), statuses)

"""Mastodon's per-account actions that answer with the Relationship entity: follow, block,
mute, note, endorse and their undoing, follow request answers, and relationship look-ups."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.serializers import relationship_entity
from accounts.api.views import present_accounts, visible_account
from accounts.discovery import familiar_followers
from accounts.models import Account, FollowRequest
from accounts.selectors import listable_q, relationships
from accounts.services import blocks, endorsements, follows, mutes, notes
from fediverse.api.errors import ApiError
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, user


def relationship_response(viewer: Account, account: Account) -> Response:
    return Response(relationship_entity(account, relationships(viewer, [account])[account.pk]))


def optional_bool(data: dict[str, Any], key: str) -> bool | None:
    return to_bool(data[key]) if key in data else None


def query_ids(request: Request) -> list[int]:
    """`id[]=1&id[]=2` or `id=1`, in the order given, without repeats or non-numbers. Like
    Rails, the ids may also come in a JSON body, as some clients send them even with GET."""
    raw: Any = request.query_params.getlist("id[]") or request.query_params.getlist("id")
    if not raw and isinstance(request.data, dict):
        raw = request.data.get("id", [])
        raw = raw if isinstance(raw, list) else [raw]
    return list(dict.fromkeys(int(v) for v in raw if str(v).isdigit()))


def languages_param(request: Request) -> list[str] | None:
    """`languages[]=en&languages[]=de` (or a JSON array): the follow's languages; None keeps."""
    data: Any = request.data
    raw = data.getlist("languages[]") if hasattr(data, "getlist") else None
    if not raw and isinstance(data, dict):
        value = data.get("languages", data.get("languages[]"))
        raw = value if isinstance(value, list) else None
    codes = [str(code).strip() for code in raw or [] if str(code).strip()]
    return codes or None


class FollowView(ApiView):
    access = {"POST": user("write:follows")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        try:
            follows.do_follow(
                account=self.acting,
                target=target,
                reblogs=optional_bool(request.data, "reblogs"),
                notify=optional_bool(request.data, "notify"),
                languages=languages_param(request),
            )
        except ValidationError as error:
            # As Mastodon: following oneself is "not found", a block "not allowed".
            if error.code == "blocked":
                raise ApiError("This action is not allowed", 403) from error
            raise Http404 from error
        return relationship_response(self.acting, target)


class UnfollowView(ApiView):
    access = {"POST": user("write:follows")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        follows.do_unfollow(account=self.acting, target=target)
        return relationship_response(self.acting, target)


class RemoveFromFollowersView(ApiView):
    access = {"POST": user("write:follows")}

    def post(self, request: Request, account_id: str) -> Response:
        follower = visible_account(account_id)
        follows.do_remove_from_followers(account=self.acting, follower=follower)
        return relationship_response(self.acting, follower)


class BlockView(ApiView):
    access = {"POST": user("write:blocks")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        blocks.do_block(account=self.acting, target=target)
        return relationship_response(self.acting, target)


class UnblockView(ApiView):
    access = {"POST": user("write:blocks")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        blocks.do_unblock(account=self.acting, target=target)
        return relationship_response(self.acting, target)


class MuteView(ApiView):
    access = {"POST": user("write:mutes")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        notifications = optional_bool(request.data, "notifications")
        try:
            duration = int(request.data.get("duration") or 0)
        except (TypeError, ValueError):
            duration = 0
        mutes.do_mute(
            account=self.acting,
            target=target,
            notifications=True if notifications is None else notifications,
            duration=duration,
        )
        return relationship_response(self.acting, target)


class UnmuteView(ApiView):
    access = {"POST": user("write:mutes")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        mutes.do_unmute(account=self.acting, target=target)
        return relationship_response(self.acting, target)


class NoteView(ApiView):
    access = {"POST": user("write:accounts")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        comment = request.data.get("comment")
        notes.do_set_note(
            account=self.acting, target=target, comment=comment if isinstance(comment, str) else ""
        )
        return relationship_response(self.acting, target)


class EndorseView(ApiView):
    access = {"POST": user("write:accounts")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        endorsements.do_endorse(account=self.acting, target=target)
        return relationship_response(self.acting, target)


class UnendorseView(ApiView):
    access = {"POST": user("write:accounts")}

    def post(self, request: Request, account_id: str) -> Response:
        target = visible_account(account_id)
        endorsements.do_unendorse(account=self.acting, target=target)
        return relationship_response(self.acting, target)


def pending_request(viewer: Account, account_id: str) -> FollowRequest:
    """Mastodon answers follow requests by the requesting account's id."""
    requester = visible_account(account_id)
    return get_object_or_404(
        FollowRequest.objects.select_related("account", "target_account"),
        account=requester,
        target_account=viewer,
    )


class AuthorizeFollowRequestView(ApiView):
    access = {"POST": user("write:follows")}

    def post(self, request: Request, account_id: str) -> Response:
        follow_request = pending_request(self.acting, account_id)
        follows.do_authorize_follow_request(request=follow_request, announce=True)
        return relationship_response(self.acting, follow_request.account)


class RejectFollowRequestView(ApiView):
    access = {"POST": user("write:follows")}

    def post(self, request: Request, account_id: str) -> Response:
        follow_request = pending_request(self.acting, account_id)
        follows.do_reject_follow_request(request=follow_request)
        return relationship_response(self.acting, follow_request.account)


class RelationshipsView(ApiView):
    access = {"GET": user("read:follows")}

    def get(self, request: Request) -> Response:
        ids = query_ids(request)
        qs = Account.objects.filter(pk__in=ids)
        if not to_bool(request.query_params.get("with_suspended")):
            qs = qs.filter(suspended_at__isnull=True)
        found = {a.pk: a for a in qs}
        accounts = [found[pk] for pk in ids if pk in found]
        rels = relationships(self.acting, accounts)
        return Response([relationship_entity(a, rels[a.pk]) for a in accounts])


class FamiliarFollowersView(ApiView):
    access = {"GET": user("read:follows")}

    def get(self, request: Request) -> Response:
        ids = query_ids(request)
        found = {a.pk: a for a in Account.objects.filter(listable_q(), pk__in=ids)}
        accounts = [found[pk] for pk in ids if pk in found]
        familiar = familiar_followers(self.acting, accounts)
        presented = present_accounts(
            list({f.pk: f for fs in familiar.values() for f in fs}.values())
        )
        by_id = {entity["id"]: entity for entity in presented}
        return Response(
            [
                {"id": str(a.pk), "accounts": [by_id[str(f.pk)] for f in familiar[a.pk]]}
                for a in accounts
            ]
        )

"""Profile pages, follower lists, following and follow requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.models import Account, FollowRequest, User
from accounts.services import follows
from federation.negotiation import actor_alternate
from moderation.selectors_emojis import account_emojis
from timelines.selectors import PAGE_SIZE, account_statuses, paginate, status_facts
from timelines.views.common import page_ids, viewer_of


def _find_account(acct: str) -> Account:
    account = selectors.find_account_by_acct(acct)
    if account is None or account.suspended_at is not None:
        raise Http404("No such account")
    return account


@actor_alternate
def profile(request: HttpRequest, acct: str) -> HttpResponse:
    account = _find_account(acct)
    viewer = viewer_of(request)
    with_replies = request.GET.get("tab") == "replies"
    statuses = paginate(
        account_statuses(viewer, account, with_replies=with_replies), **page_ids(request)
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "account": account,
            "statuses": statuses,
            "facts": status_facts(viewer, statuses),
            "relationship": selectors.relationship(viewer, account),
            "counts": selectors.account_counts(account),
            "account_emojis": account_emojis([account])[account.pk],
            "with_replies": with_replies,
            "older": statuses[-1].pk if len(statuses) >= PAGE_SIZE else None,
        },
    )


def _account_list(request: HttpRequest, acct: str, kind: str) -> HttpResponse:
    account = _find_account(acct)
    qs = selectors.followers(account) if kind == "followers" else selectors.following(account)
    page = Paginator(qs, 40).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/account_list.html",
        {
            "account": account,
            "kind": kind,
            "page": page,
            "counts": selectors.account_counts(account),
            "account_emojis": account_emojis([account])[account.pk],
        },
    )


def followers(request: HttpRequest, acct: str) -> HttpResponse:
    return _account_list(request, acct, "followers")


def following(request: HttpRequest, acct: str) -> HttpResponse:
    return _account_list(request, acct, "following")


@login_required
@require_POST
def follow(request: HttpRequest, acct: str) -> HttpResponse:
    target = _find_account(acct)
    user: User = request.user  # type: ignore[assignment]
    try:
        result = follows.do_follow(account=user.account, target=target)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if isinstance(result, FollowRequest):
            messages.success(request, f"Follow request sent to @{target.acct}.")
    return redirect(target.path)


@login_required
@require_POST
def unfollow(request: HttpRequest, acct: str) -> HttpResponse:
    target = _find_account(acct)
    user: User = request.user  # type: ignore[assignment]
    follows.do_unfollow(account=user.account, target=target)
    return redirect(target.path)


@login_required
def follow_requests(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    requests = user.account.incoming_follow_requests.select_related("account").order_by("-id")
    return render(request, "accounts/follow_requests.html", {"requests": requests})


@login_required
@require_POST
def answer_follow_request(request: HttpRequest, request_id: int, answer: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    follow_request = get_object_or_404(FollowRequest, pk=request_id, target_account=user.account)
    if answer == "authorize":
        follows.do_authorize_follow_request(request=follow_request)
    else:
        follows.do_reject_follow_request(request=follow_request)
    return redirect("/follow_requests")

"""/disputes: the strikes against the signed-in user, with the reason and the posts concerned,
and the form to appeal each once. Suspended and disabled users cannot sign in, so the link in
the strike email carries a signed token that opens its own strike without a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.models import Account
from moderation.models import AccountWarning, Appeal
from moderation.services.appeals import check_appeal, do_create_appeal, token_strike_id
from timelines.models import Status


@login_required
def disputes(request: HttpRequest) -> HttpResponse:
    account: Account = request.user.account  # type: ignore[union-attr]
    strikes = AccountWarning.objects.filter(target_account=account).select_related("appeal")
    return render(request, "moderation/disputes.html", {"strikes": strikes})


def _strike_for(request: HttpRequest, strike_id: int) -> AccountWarning:
    strike = AccountWarning.objects.filter(pk=strike_id).select_related("target_account").first()
    if strike is None:
        raise Http404("No such strike")
    token = request.GET.get("token") or request.POST.get("token") or ""
    if token and token_strike_id(token) == strike.pk:
        return strike
    owner = getattr(request.user, "account_id", None)
    if request.user.is_authenticated and owner == strike.target_account_id:
        return strike
    raise Http404("No such strike")


def dispute(request: HttpRequest, strike_id: int) -> HttpResponse:
    strike = _strike_for(request, strike_id)
    if strike.read_at is None:
        AccountWarning.objects.filter(pk=strike.pk).update(read_at=timezone.now())
    error = ""
    if request.method == "POST":
        try:
            do_create_appeal(
                account=strike.target_account, strike=strike, text=request.POST.get("text", "")
            )
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(request, "Your appeal was sent to the moderators.")
            token = request.POST.get("token", "")
            return redirect(f"/disputes/{strike.pk}" + (f"?token={token}" if token else ""))
    return render(request, "moderation/dispute.html", _dispute_context(request, strike, error))


def _dispute_context(request: HttpRequest, strike: AccountWarning, error: str) -> dict:
    found = {
        s.pk: s
        for s in Status.objects.filter(pk__in=strike.status_ids, account=strike.target_account)
    }
    try:
        check_appeal(account=strike.target_account, strike=strike, text="-")
        can_appeal = True
    except ValidationError:
        can_appeal = False
    return {
        "strike": strike,
        "posts": [(pk, found.get(pk)) for pk in strike.status_ids],
        "appeal": Appeal.objects.filter(account_warning=strike).first(),
        "can_appeal": can_appeal,
        "error": error,
        "token": request.GET.get("token", ""),
    }

"""The admin panel's page for acting on one account (from its admin page or from a report):
warn, mark media as sensitive, limit, suspend, disable login, delete posts, and undo."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from accounts.models import Account, User
from moderation.models import AccountWarning, Report
from moderation.services import account_actions
from moderation.services.account_actions import ActionRequest

ACTION_CHOICES = [
    ("none", "Warn"),
    ("sensitive", "Mark media as sensitive"),
    ("silence", "Limit"),
    ("suspend", "Suspend"),
    ("disable", "Disable login"),
    ("delete_statuses", "Delete the chosen posts"),
]
UNDO = {
    "unsuspend": account_actions.do_unsuspend,
    "unsilence": account_actions.do_unsilence,
    "unsensitive": account_actions.do_unsensitive,
    "enable": account_actions.do_enable,
}


class AccountActionForm(forms.Form):
    type = forms.ChoiceField(choices=ACTION_CHOICES, widget=forms.RadioSelect, initial="none")
    text = forms.CharField(
        label="Reason, shown to the user", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status_ids = forms.TypedMultipleChoiceField(
        label="Posts concerned", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    send_email = forms.BooleanField(label="Tell the user by email", required=False, initial=True)

    def __init__(self, *args: Any, posts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status_ids"].choices = posts  # type: ignore[attr-defined]


def can_act(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_perm("moderation.add_accountwarning"))


def _posts(target: Account, report: Report | None) -> list[tuple[int, str]]:
    from timelines.models import Status

    # Moderators read every reported post, followers-only ones included.
    qs = Status.objects.filter(account=target)
    qs = qs.filter(pk__in=report.status_ids) if report else qs.order_by("-id")[:20]
    return [(s.pk, f"[{s.pk}] {(s.text or s.content)[:200]}") for s in qs]


def _perform(moderator: Account, target: Account, data: dict, report: Report | None) -> None:
    if data["type"] == "delete_statuses":
        account_actions.do_delete_posts(
            moderator=moderator,
            target=target,
            report=report,
            status_ids=data["status_ids"],
            text=data["text"],
        )
        return
    ask = ActionRequest(type=data["type"], text=data["text"], report=report,
                        status_ids=data["status_ids"], send_email=data["send_email"])  # fmt: skip
    account_actions.do_account_action(moderator=moderator, target=target, ask=ask)


def account_action_view(request: HttpRequest, account_id: int, site: Any) -> HttpResponse:
    if not can_act(request):
        raise PermissionDenied
    target = get_object_or_404(Account, pk=account_id)
    report_id = request.GET.get("report") or request.POST.get("report") or ""
    report = (
        Report.objects.filter(pk=int(report_id), target_account=target).first()
        if (report_id.isdigit())
        else None
    )
    moderator: Account = request.user.account  # type: ignore[union-attr]
    form = AccountActionForm(request.POST or None, posts=_posts(target, report))
    if request.method == "POST":
        try:
            if request.POST.get("undo") in UNDO:
                UNDO[request.POST["undo"]](moderator=moderator, target=target)
                messages.success(request, f"{request.POST['undo'].capitalize()}: done.")
                return redirect(request.path)
            if form.is_valid():
                _perform(moderator, target, form.cleaned_data, report)
                messages.success(request, f"Action taken on {target.acct}.")
                return redirect(request.path)
        except ValidationError as invalid:
            form.add_error(None, invalid)
    context = {
        **site.each_context(request),
        "title": f"Moderate {target.acct}",
        "target": target,
        "target_user": User.objects.filter(account=target).first(),
        "report": report,
        "form": form,
        "strikes": AccountWarning.objects.filter(target_account=target)[:20],
    }
    return TemplateResponse(request, "admin/moderation/account_action.html", context)

"""/report: the web form behind the Report links on posts and profiles. It files the report
through the same service as POST /api/v1/reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Account
from moderation.models import ReportCategory, Rule
from moderation.services.reports import MAX_COMMENT, ReportRequest, do_create_report
from timelines.models import Status

POSTS_OFFERED = 20


def _target(value: str, reporter: Account) -> Account:
    target = None
    if value.isdigit():
        target = Account.objects.filter(pk=int(value), suspended_at__isnull=True).first()
    if target is None or target.pk == reporter.pk:
        raise Http404("No such account")
    return target


@login_required
def report(request: HttpRequest) -> HttpResponse:
    reporter: Account = request.user.account  # type: ignore[union-attr]
    source = request.POST if request.method == "POST" else request.GET
    target = _target(source.get("account", ""), reporter)
    error = ""
    if request.method == "POST":
        ask = ReportRequest(
            status_ids=request.POST.getlist("status_ids"),
            rule_ids=request.POST.getlist("rule_ids"),
            category=request.POST.get("category", ""),
            comment=request.POST.get("comment", ""),
            forward=request.POST.get("forward") == "on",
        )
        try:
            do_create_report(reporter=reporter, target=target, ask=ask)
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        except Status.DoesNotExist:
            error = "Some of the chosen posts cannot be reported."
        else:
            messages.success(request, "Thank you: the moderators will look into your report.")
            return redirect(target.path)
    posts = list(
        Status.objects.visible_to(reporter).filter(account=target, reblog__isnull=True)
        .order_by("-id")[:POSTS_OFFERED]
    )  # fmt: skip
    chosen = set(source.getlist("status_ids") or source.getlist("status"))
    context = {
        "target": target,
        "posts": posts,
        "chosen": chosen,
        "categories": ReportCategory.choices,
        "rules": Rule.objects.all(),
        "error": error,
        "max_comment": MAX_COMMENT,
        "form": source,
    }
    return render(request, "moderation/report.html", context, status=422 if error else 200)

"""Reports: filed by users (API and web alike), worked by moderators in the admin panel."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from federation.services import outbox
from fediverse import uris
from moderation.models import Report, ReportCategory, Rule
from moderation.services.audit import log_action
from timelines.models import Status
from timelines.services.notifications import notify_staff

MAX_COMMENT = 1000


@dataclass
class ReportRequest:
    """What the reporter asks for, before it is checked."""

    status_ids: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    category: str = ""
    comment: str = ""
    forward: bool = False
    forward_to_domains: list[str] = field(default_factory=list)


def _ids(values: list[str]) -> list[int]:
    """Ids that are not numbers name nothing, so they answer as missing ones do."""
    if not all(str(v).strip().isdigit() for v in values):
        raise Status.DoesNotExist
    return list(dict.fromkeys(int(v) for v in values))


def check_statuses(*, reporter: Account, target: Account, status_ids: list[str]) -> list[int]:
    """Attached posts must be the reported account's and visible to the reporter."""
    wanted = _ids(status_ids)
    found = set(
        Status.objects.visible_to(reporter)
        .filter(account=target, pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if len(found) != len(wanted):
        raise Status.DoesNotExist
    return wanted


def check_category(*, category: str, rule_ids: list[str]) -> tuple[str, list[int]]:
    """Citing rules makes a report a violation, which must cite existing rules."""
    if rule_ids:
        category = ReportCategory.VIOLATION
    category = category or ReportCategory.OTHER
    if category not in ReportCategory.values:
        raise ValidationError({"category": "is not included in the list"})
    if category != ReportCategory.VIOLATION:
        return category, []
    if not all(str(v).strip().isdigit() for v in rule_ids):
        raise ValidationError({"rule_ids": "does not reference valid rules"})
    wanted = list(dict.fromkeys(int(v) for v in rule_ids))
    if not wanted or Rule.objects.filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"rule_ids": "does not reference valid rules"})
    return category, wanted


def forward_domains(target: Account, asked: list[str]) -> list[str]:
    """Where a forwarded report goes: the reported account's server, unless the reporter
    named servers (those of the people the reported posts replied to)."""
    domains = [d.strip().lower() for d in asked if d and d.strip()] or [target.domain or ""]
    return [d for d in dict.fromkeys(domains) if d]


def do_create_report(*, reporter: Account, target: Account, ask: ReportRequest) -> Report:
    if len(ask.comment) > MAX_COMMENT:
        raise ValidationError({"comment": f"is too long (maximum is {MAX_COMMENT} characters)"})
    category, rule_ids = check_category(category=ask.category, rule_ids=ask.rule_ids)
    status_ids = check_statuses(reporter=reporter, target=target, status_ids=ask.status_ids)
    forwarded = ask.forward and not target.local
    with transaction.atomic():
        report = Report.objects.create(
            account=reporter,
            target_account=target,
            status_ids=status_ids,
            rule_ids=rule_ids,
            category=category,
            comment=ask.comment,
            forwarded=forwarded,
            forward_to_domains=forward_domains(target, ask.forward_to_domains) if forwarded else [],
        )
        notify_staff_of(report)
        if forwarded:
            forward_report(report)
    return report


def forward_report(report: Report) -> None:
    """Send the report on to the servers concerned, as a Flag from the instance actor:
    the reported account's, and those of the accounts the reported posts replied to that
    the reporter chose (Mastodon sends to no other)."""
    target = report.target_account
    statuses = Status.objects.filter(pk__in=report.status_ids)
    replied = Account.objects.filter(
        pk__in=statuses.exclude(in_reply_to_account_id=None).values("in_reply_to_account_id"),
        domain__isnull=False,
    ).values_list("domain", flat=True)
    chosen = {d.lower() for d in report.forward_to_domains}
    outbox.federate_report(
        flag_uri=uris.absolute(f"/reports/{report.pk}/flag"),
        target=target,
        status_uris=[s.uri for s in statuses if s.account_id == target.pk and s.uri],
        comment=report.comment,
        domains=sorted({d.lower() for d in replied if d and d.lower() in chosen}),
    )


def do_forward_report(*, report: Report, moderator: Account) -> Report:
    """A moderator sends on a report its reporter did not forward."""
    if report.target_account.local:
        raise ValidationError("Only reports about remote accounts can be forwarded.")
    with transaction.atomic():
        report.forwarded = True
        if not report.forward_to_domains:
            report.forward_to_domains = forward_domains(report.target_account, [])
        report.save(update_fields=["forwarded", "forward_to_domains", "updated_at"])
        forward_report(report)
        log_action(actor=moderator, action="forward_report", target=report)
    return report


def notify_staff_of(report: Report) -> None:
    """Moderators hear of the first open report about an account, not of each one after."""
    siblings = Report.objects.filter(
        target_account_id=report.target_account_id, action_taken_at__isnull=True
    ).exclude(pk=report.pk)
    if not siblings.exists():
        notify_staff(from_account=report.account, type="admin.report")


def do_assign_report(*, report: Report, moderator: Account | None) -> Report:
    report.assigned_account = moderator
    report.save(update_fields=["assigned_account", "updated_at"])
    return report


def do_resolve_report(*, report: Report, moderator: Account) -> Report:
    report.action_taken_at = timezone.now()
    report.action_taken_by_account = moderator
    report.save(update_fields=["action_taken_at", "action_taken_by_account", "updated_at"])
    return report


def do_reopen_report(*, report: Report) -> Report:
    report.action_taken_at = None
    report.action_taken_by_account = None
    report.save(update_fields=["action_taken_at", "action_taken_by_account", "updated_at"])
    return report

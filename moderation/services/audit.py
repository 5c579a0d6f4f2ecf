"""The audit log: one row per moderation action, written in the action's own transaction."""

from django.db import models

from accounts.models import Account
from moderation.models import AuditLog, Report


def identify(target: models.Model) -> str:
    if isinstance(target, Account):
        return target.acct
    uri = getattr(target, "uri", "")
    return str(uri or target)


def log_action(
    *,
    actor: Account | None,
    action: str,
    target: models.Model,
    reason: str = "",
    report: Report | None = None,
) -> AuditLog:
    pk = target.pk if isinstance(target.pk, int) else None
    return AuditLog.objects.create(
        account=actor,
        action=action,
        target_type=type(target).__name__,
        target_id=pk,
        human_identifier=identify(target)[:2048],
        reason=reason,
        report=report,
    )

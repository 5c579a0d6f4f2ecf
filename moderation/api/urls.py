from fediverse.api.routes import api, flatten
from moderation.api import admin_accounts as acc
from moderation.api import admin_blocks as blk
from moderation.api import admin_reports as rep
from moderation.api import announcements, reports

ADMIN = "api/v1/admin"


def undo(name: str) -> list:
    return api(f"{ADMIN}/accounts/<str:pk>/{name}", acc.AccountUndoView.as_view(verb=name))


def report_change(name: str) -> list:
    return api(f"{ADMIN}/reports/<str:pk>/{name}", rep.ReportChangeView.as_view(verb=name))


urlpatterns = flatten(
    api("api/v1/reports", reports.ReportsView),
    api("api/v1/announcements", announcements.AnnouncementsView),
    api("api/v1/announcements/<str:pk>/dismiss", announcements.DismissAnnouncementView),
    api(
        "api/v1/announcements/<str:pk>/reactions/<str:name>",
        announcements.AnnouncementReactionView,
    ),
    api(f"{ADMIN}/accounts", acc.AccountsV1View),
    api("api/v2/admin/accounts", acc.AccountsV2View),
    api(f"{ADMIN}/accounts/<str:pk>", acc.AccountView),
    api(f"{ADMIN}/accounts/<str:pk>/action", acc.AccountActionView),
    api(f"{ADMIN}/accounts/<str:pk>/approve", acc.AccountApproveView),
    api(f"{ADMIN}/accounts/<str:pk>/reject", acc.AccountRejectView),
    *[undo(name) for name in ("enable", "unsilence", "unsuspend", "unsensitive")],
    api(f"{ADMIN}/reports", rep.ReportsView),
    api(f"{ADMIN}/reports/<str:pk>", rep.ReportView),
    *[report_change(n) for n in ("assign_to_self", "unassign", "resolve", "reopen")],
    api(f"{ADMIN}/domain_blocks", blk.DomainBlocksView),
    api(f"{ADMIN}/domain_blocks/<str:pk>", blk.DomainBlockView),
    api(f"{ADMIN}/domain_allows", blk.DomainAllowsView),
    api(f"{ADMIN}/domain_allows/<str:pk>", blk.DomainAllowView),
    api(f"{ADMIN}/email_domain_blocks", blk.EmailDomainBlocksView),
    api(f"{ADMIN}/email_domain_blocks/<str:pk>", blk.EmailDomainBlockView),
    api(f"{ADMIN}/ip_blocks", blk.IpBlocksView),
    api(f"{ADMIN}/ip_blocks/<str:pk>", blk.IpBlockView),
)

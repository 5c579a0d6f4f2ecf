"""Working through a BulkImport: each row performs its action through the same services as the
web and the API (follow, block, mute, domain block, bookmark, list membership) and ends done or
failed with its reason. Work goes in runs of bounded size and a bounded number of lookups on
other servers; only rows still pending are taken, so a run cut short is simply run again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account, AccountDomainBlock, Block, Follow, FollowRequest, Mute
from accounts.models_imports import BulkImport, BulkImportRow, ImportState, ImportType, RowState
from accounts.services.blocks import do_block, do_unblock
from accounts.services.domain_blocks import do_block_domain, do_unblock_domain, normalize_domain
from accounts.services.follows import do_follow, do_unfollow
from accounts.services.mutes import do_mute, do_unmute
from federation.lookup import is_local_uri, local_host, status_by_uri
from federation.parse.values import is_http_uri
from federation.resolve import ResolveError, is_fresh, resolve_handle, split_handle
from federation.services.remote_statuses import fetch_remote_status
from timelines.models import Bookmark, Status
from timelines.models_curation import List, ListAccount
from timelines.services.interactions import do_bookmark
from timelines.services.lists import (
    do_add_list_accounts,
    do_create_list,
    do_delete_list,
    do_remove_list_accounts,
)

logger = logging.getLogger(__name__)

ROWS_PER_RUN = 200
# Lookups of unknown accounts and posts on other servers in one run; the next run waits
# RESCHEDULE_SECONDS, which bounds the rate at which an import questions other servers.
LOOKUPS_PER_RUN = 20
RESCHEDULE_SECONDS = 5
ACCOUNT_TYPES = (ImportType.FOLLOWING, ImportType.BLOCKING, ImportType.MUTING, ImportType.LISTS)


class RowFailure(Exception):
    """The row cannot be carried out; the message says why."""


def _handle(acct: str) -> tuple[str, str | None]:
    """Username and domain (None for this server) of an address from the file."""
    try:
        username, domain = split_handle(acct or "")
    except ResolveError as error:
        raise RowFailure(f"“{acct}” is not an account address.") from error
    if domain == local_host():
        domain = None
    return username.lower(), domain


def _key(acct: str) -> tuple[str, str | None] | None:
    try:
        return _handle(acct)
    except RowFailure:
        return None


def _needs_lookup(kind: str, data: dict[str, Any]) -> bool:
    """Whether the row asks another server about something this one does not know yet."""
    if kind in ACCOUNT_TYPES:
        key = _key(str(data.get("acct") or ""))
        if key is None or key[1] is None:
            return False
        known = Account.objects.filter(username__iexact=key[0], domain__iexact=key[1]).first()
        # A known account not refreshed lately is fetched again by the resolver.
        return known is None or not is_fresh(known)
    if kind == ImportType.BOOKMARKS:
        uri = str(data.get("uri") or "")
        return is_http_uri(uri) and not is_local_uri(uri) and status_by_uri(uri) is None
    return False


def _target(data: dict[str, Any]) -> Account:
    acct = str(data.get("acct") or "")
    username, domain = _handle(acct)
    try:
        return resolve_handle(f"{username}@{domain}" if domain else username)
    except ResolveError as error:
        raise RowFailure(str(error)) from error


def _follow_as_listed(account: Account, target: Account, data: dict[str, Any]) -> None:
    do_follow(
        account=account,
        target=target,
        reblogs=data.get("show_reblogs"),
        notify=data.get("notify"),
        languages=data.get("languages") or None,
    )


def _follow(account: Account, data: dict[str, Any]) -> None:
    _follow_as_listed(account, _target(data), data)


def _block(account: Account, data: dict[str, Any]) -> None:
    target = _target(data)
    if target.pk == account.pk:
        raise RowFailure("You cannot block yourself.")
    do_block(account=account, target=target)


def _mute(account: Account, data: dict[str, Any]) -> None:
    target = _target(data)
    if target.pk == account.pk:
        raise RowFailure("You cannot mute yourself.")
    hide = data.get("hide_notifications")
    do_mute(account=account, target=target, notifications=True if hide is None else hide)


def _domain_block(account: Account, data: dict[str, Any]) -> None:
    domain = str(data.get("domain") or "")
    if domain == local_host():
        raise RowFailure("This is this server's own domain.")
    do_block_domain(account=account, domain=domain)


def _bookmark(account: Account, data: dict[str, Any]) -> None:
    uri = str(data.get("uri") or "")
    if not is_http_uri(uri):
        raise RowFailure(f"“{uri}” is not the address of a post.")
    status = status_by_uri(uri) or (None if is_local_uri(uri) else fetch_remote_status(uri))
    if status is None:
        raise RowFailure(f"The post {uri} could not be found.")
    if not Status.objects.visible_to(account).filter(pk=status.pk).exists():
        raise RowFailure(f"The post {uri} is not visible to you.")
    do_bookmark(account=account, status=status)


def _list_membership(account: Account, data: dict[str, Any]) -> None:
    title = str(data.get("list_name") or "")
    target = _target(data)
    list_ = List.objects.filter(account=account, title=title).order_by("id").first()
    if list_ is None:
        list_ = do_create_list(account=account, title=title)
    if target.pk != account.pk and isinstance(
        do_follow(account=account, target=target), FollowRequest
    ):
        raise RowFailure(
            f"{target.acct} has not accepted the follow yet; lists hold only followed accounts."
        )
    if not ListAccount.objects.filter(list=list_, account=target).exists():
        do_add_list_accounts(list_=list_, accounts=[target])


ACTIONS: dict[str, Callable[[Account, dict[str, Any]], None]] = {
    ImportType.FOLLOWING: _follow,
    ImportType.BLOCKING: _block,
    ImportType.MUTING: _mute,
    ImportType.DOMAIN_BLOCKING: _domain_block,
    ImportType.BOOKMARKS: _bookmark,
    ImportType.LISTS: _list_membership,
}


def _message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def do_import_row(*, bulk_import: BulkImport, row: BulkImportRow) -> None:
    """Carry out one row and record how it went; a row already settled is left alone."""
    state, reason = RowState.DONE, ""
    try:
        ACTIONS[bulk_import.type](bulk_import.account, row.data)
    except RowFailure as error:
        state, reason = RowState.FAILED, str(error)
    except ValidationError as error:
        state, reason = RowState.FAILED, _message(error)
    except IntegrityError:
        state, reason = RowState.FAILED, "This row conflicted with a change made at the same time."
    except Exception:
        # One bad row must not stall the rows after it: it is recorded, and the error logged.
        logger.exception("Import %s: row %s failed", bulk_import.pk, row.line)
        state, reason = RowState.FAILED, "An unexpected error stopped this row."
    BulkImportRow.objects.filter(pk=row.pk, state=RowState.PENDING).update(
        state=state, reason=reason[:1000]
    )


def _settle(rows: list[BulkImportRow]) -> None:
    """Rows whose relation already exists: overwrite mode keeps it, with the file's options."""
    BulkImportRow.objects.filter(pk__in=[r.pk for r in rows]).update(state=RowState.DONE)


def _rows_by_account(bulk_import: BulkImport) -> dict[tuple[str, str | None], list[BulkImportRow]]:
    rows: dict[tuple[str, str | None], list[BulkImportRow]] = {}
    for row in bulk_import.rows.filter(state=RowState.PENDING).iterator(chunk_size=1000):
        key = _key(str(row.data.get("acct") or ""))
        if key is not None:
            rows.setdefault(key, []).append(row)
    return rows


def _account_key(target: Account) -> tuple[str, str | None]:
    return target.username.lower(), (target.domain.lower() if target.domain else None)


UNDO: dict[str, Callable[..., None]] = {
    ImportType.FOLLOWING: do_unfollow,
    ImportType.BLOCKING: do_unblock,
    ImportType.MUTING: do_unmute,
}


def _keep(bulk_import: BulkImport, target: Account, data: dict[str, Any]) -> None:
    """A relation the file names again takes the file's options."""
    account = bulk_import.account
    if bulk_import.type == ImportType.FOLLOWING:
        _follow_as_listed(account, target, data)
    elif bulk_import.type == ImportType.MUTING:
        hide = data.get("hide_notifications")
        do_mute(account=account, target=target, notifications=hide is not False)


def _overwrite_accounts(bulk_import: BulkImport) -> None:
    """Undo follows, blocks or mutes of accounts the file does not name; keep the others."""
    account = bulk_import.account
    wanted = _rows_by_account(bulk_import)
    models: dict[str, Any] = {
        ImportType.FOLLOWING: Follow,
        ImportType.BLOCKING: Block,
        ImportType.MUTING: Mute,
    }
    relations = models[bulk_import.type].objects.filter(account=account)
    for relation in relations.select_related("target_account").iterator(chunk_size=500):
        target = relation.target_account
        rows = wanted.get(_account_key(target))
        if rows is None:
            UNDO[bulk_import.type](account=account, target=target)
            continue
        try:
            _keep(bulk_import, target, rows[0].data)
        except ValidationError:
            continue  # the row itself runs later and records why
        _settle(rows)


def _overwrite_domain_blocks(bulk_import: BulkImport) -> None:
    domains = {normalize_domain(str(r.data.get("domain") or "")) for r in bulk_import.rows.all()}
    blocks = AccountDomainBlock.objects.filter(account=bulk_import.account)
    for domain in blocks.exclude(domain__in=domains).values_list("domain", flat=True):
        do_unblock_domain(account=bulk_import.account, domain=domain)


def _overwrite_bookmarks(bulk_import: BulkImport) -> None:
    uris = {str(r.data.get("uri") or "") for r in bulk_import.rows.all()}
    bookmarks = Bookmark.objects.filter(account=bulk_import.account)
    bookmarks.exclude(Q(status__uri__in=uris) | Q(status__url__in=uris)).delete()


def _overwrite_lists(bulk_import: BulkImport) -> None:
    """Lists the file does not name go; the named ones are emptied and refilled by the rows."""
    titles = {str(r.data.get("list_name") or "") for r in bulk_import.rows.all()}
    for list_ in List.objects.filter(account=bulk_import.account):
        if list_.title not in titles:
            do_delete_list(list_=list_)
            continue
        members = list(ListAccount.objects.filter(list=list_).values_list("account_id", flat=True))
        if members:
            do_remove_list_accounts(list_=list_, account_ids=members)


def do_prepare_import(*, bulk_import: BulkImport) -> None:
    """Overwrite mode first undoes what the file does not list, as Mastodon does; done once."""
    if bulk_import.overwrite and not bulk_import.prepared:
        if bulk_import.type in (ImportType.FOLLOWING, ImportType.BLOCKING, ImportType.MUTING):
            _overwrite_accounts(bulk_import)
        elif bulk_import.type == ImportType.DOMAIN_BLOCKING:
            _overwrite_domain_blocks(bulk_import)
        elif bulk_import.type == ImportType.BOOKMARKS:
            _overwrite_bookmarks(bulk_import)
        elif bulk_import.type == ImportType.LISTS:
            _overwrite_lists(bulk_import)
    bulk_import.prepared = True
    bulk_import.state = ImportState.IN_PROGRESS
    bulk_import.save(update_fields=["prepared", "state"])


def process_import_run(*, import_id: int) -> int | None:
    """One run over the pending rows: the seconds to wait before the next run when rows are
    left (a pause only once the lookups of this run are spent), None once all are settled."""
    bulk_import = BulkImport.objects.select_related("account").filter(pk=import_id).first()
    if bulk_import is None or bulk_import.state == ImportState.FINISHED:
        return None
    if not bulk_import.prepared:
        do_prepare_import(bulk_import=bulk_import)
    pending = bulk_import.rows.filter(state=RowState.PENDING).order_by("line")
    lookups = 0
    for row in pending[:ROWS_PER_RUN]:
        if _needs_lookup(bulk_import.type, row.data):
            if lookups >= LOOKUPS_PER_RUN:
                return RESCHEDULE_SECONDS
            lookups += 1
        do_import_row(bulk_import=bulk_import, row=row)
    if pending.exists():
        return 0
    bulk_import.state = ImportState.FINISHED
    bulk_import.finished_at = timezone.now()
    bulk_import.save(update_fields=["state", "finished_at"])
    return None

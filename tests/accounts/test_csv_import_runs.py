"""How an import is worked through: bounded runs of lookups on other servers, rescheduled for
the rest; rows already settled are never taken again; and a round trip of every CSV file
from one account to another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_httpserver import HTTPServer

from accounts.models import Account, Block, BulkImport, BulkImportRow, Follow, User
from accounts.services import import_rows
from accounts.services.blocks import do_block
from accounts.services.domain_blocks import do_block_domain
from accounts.services.follows import do_follow
from accounts.services.mutes import do_mute
from accounts.tasks import process_bulk_import
from tests.federation.conftest import LOOPBACK, RemoteActor
from timelines.services.interactions import do_bookmark
from timelines.services.lists import do_add_list_accounts, do_create_list
from timelines.services.statuses import StatusInput, do_create_status


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, Account]:
    names = ("alice", "bob", "carol", "dave", "eve", "frank")
    return {name: make_user(name).account for name in names}


@pytest.fixture
def remotes(httpserver: HTTPServer, settings: Any) -> list[RemoteActor]:
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = LOOPBACK
    httpserver.expect_request("/inbox", method="POST").respond_with_data("", status=202)
    return [RemoteActor(httpserver, name).serve() for name in ("xan", "yan", "zed")]


def make_import(account: Account, kind: str, accts: list[str], **fields: Any) -> BulkImport:
    bulk_import = BulkImport.objects.create(
        account=account, type=kind, total_items=len(accts), **fields
    )
    BulkImportRow.objects.bulk_create(
        BulkImportRow(bulk_import=bulk_import, line=n, data={"acct": acct})
        for n, acct in enumerate(accts, 1)
    )
    return bulk_import


def states(bulk_import: BulkImport) -> list[str]:
    return list(bulk_import.rows.order_by("line").values_list("state", flat=True))


def webfinger_requests(httpserver: HTTPServer) -> int:
    return sum(request.path == "/.well-known/webfinger" for request, _ in httpserver.log)


def test_a_run_looks_up_a_bounded_number_of_remote_accounts(
    people: dict[str, Account],
    remotes: list[RemoteActor],
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(import_rows, "LOOKUPS_PER_RUN", 1)
    xan, yan, _ = remotes
    accts = [f"xan@{xan.domain}", "bob", f"yan@{yan.domain}", "carol"]
    bulk_import = make_import(people["alice"], "blocking", accts)
    assert import_rows.process_import_run(import_id=bulk_import.pk) == 5
    assert states(bulk_import) == ["done", "done", "pending", "pending"]
    assert webfinger_requests(httpserver) == 1
    assert import_rows.process_import_run(import_id=bulk_import.pk) is None
    assert states(bulk_import) == ["done"] * 4
    assert webfinger_requests(httpserver) == 2
    bulk_import.refresh_from_db()
    assert bulk_import.state == "finished" and bulk_import.finished_at is not None
    # Known accounts cost no lookup: a second import of the same file runs in one go.
    again = make_import(people["alice"], "blocking", accts)
    assert import_rows.process_import_run(import_id=again.pk) is None
    assert webfinger_requests(httpserver) == 2


def test_a_run_takes_a_bounded_number_of_rows_and_goes_on_without_pause(
    people: dict[str, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_rows, "ROWS_PER_RUN", 2)
    bulk_import = make_import(people["alice"], "muting", ["bob", "carol", "dave"])
    assert import_rows.process_import_run(import_id=bulk_import.pk) == 0
    assert states(bulk_import) == ["done", "done", "pending"]
    assert import_rows.process_import_run(import_id=bulk_import.pk) is None
    assert states(bulk_import) == ["done"] * 3


def test_the_task_reschedules_itself_until_every_row_is_settled(
    people: dict[str, Account], remotes: list[RemoteActor], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_rows, "LOOKUPS_PER_RUN", 1)
    accts = [f"{remote.username}@{remote.domain}" for remote in remotes]
    bulk_import = make_import(people["alice"], "blocking", accts)
    process_bulk_import.delay(bulk_import.pk)
    assert states(bulk_import) == ["done"] * 3
    blocked = Block.objects.filter(account=people["alice"]).values_list("target_account__uri")
    assert {uri for (uri,) in blocked} == {remote.uri for remote in remotes}


def test_a_run_again_after_a_worker_stopped_takes_only_pending_rows(
    people: dict[str, Account],
) -> None:
    alice = people["alice"]
    do_follow(account=alice, target=people["dave"])
    # Overwrite mode was already applied and the first row settled when the worker stopped.
    bulk_import = make_import(
        alice,
        "following",
        ["bob", "carol", "eve"],
        overwrite=True,
        prepared=True,
        state="in_progress",
    )
    bulk_import.rows.filter(line=1).update(state="done")
    process_bulk_import.delay(bulk_import.pk)
    assert states(bulk_import) == ["done"] * 3
    followed = Follow.objects.filter(account=alice).values_list("target_account__username")
    # bob's row is not run twice, and dave, not in the file, is not unfollowed a second time
    # round: the overwrite step ran once, before the stop.
    assert {name for (name,) in followed} == {"carol", "dave", "eve"}
    process_bulk_import.delay(bulk_import.pk)  # a duplicate delivery of a finished import
    assert Follow.objects.filter(account=alice).count() == 3


def download(client: Client, name: str) -> str:
    response = client.get(f"/settings/exports/{name}.csv")
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def lines(text: str) -> list[str]:
    """Header first, then the rows in any order (ids give newest first)."""
    rows = text.splitlines()
    header = 1 if text.startswith("Account address,") else 0
    return rows[:header] + sorted(rows[header:])


FILES = [
    ("follows", "following"),
    ("lists", "lists"),
    ("mutes", "muting"),
    ("blocks", "blocking"),
    ("domain_blocks", "domain_blocking"),
    ("bookmarks", "bookmarks"),
]


def test_round_trip_from_one_account_to_another(
    people: dict[str, Account], client_for: Callable[[User], Client]
) -> None:
    alice, bob, carol, dave, eve = (people[n] for n in ("alice", "bob", "carol", "dave", "eve"))
    do_follow(account=alice, target=bob, reblogs=False, notify=True, languages=["en", "de"])
    do_follow(account=alice, target=carol)
    do_mute(account=alice, target=dave, notifications=False)
    do_block(account=alice, target=eve)
    do_block_domain(account=alice, domain="spam.example")
    friends = do_create_list(account=alice, title="Friends")
    do_add_list_accounts(list_=friends, accounts=[bob, carol])
    for author in (bob, carol):
        do_bookmark(
            account=alice, status=do_create_status(account=author, data=StatusInput(text="x"))
        )
    source = client_for(alice.user)
    target = client_for(people["frank"].user)
    exported = {name: download(source, name) for name, _ in FILES}
    assert all(exported.values())
    for name, kind in FILES:
        data = SimpleUploadedFile(f"{name}.csv", exported[name].encode(), content_type="text/csv")
        response = target.post("/settings/import", {"type": kind, "mode": "merge", "file": data})
        assert response.status_code == 302
    assert not BulkImportRow.objects.exclude(state="done").exists()
    for name, _ in FILES:
        assert lines(download(target, name)) == lines(exported[name]), name

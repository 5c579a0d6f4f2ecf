"""CSV imports through /settings/import: each type in merge and overwrite mode, accounts on
other servers looked up on a loopback server, failed rows kept with their reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from accounts.models import (
    Account,
    AccountDomainBlock,
    Block,
    BulkImport,
    BulkImportRow,
    Follow,
    FollowRequest,
    Mute,
    User,
)
from accounts.services.blocks import do_block
from accounts.services.domain_blocks import do_block_domain
from accounts.services.follows import do_follow
from accounts.services.mutes import do_mute
from federation.render.context import PUBLIC
from tests.federation.conftest import LOOPBACK, RemoteActor
from timelines.models import Bookmark, Status
from timelines.models_curation import List, ListAccount
from timelines.services.interactions import do_bookmark
from timelines.services.lists import do_add_list_accounts, do_create_list
from timelines.services.statuses import StatusInput, do_create_status

Sent = list[dict[str, Any]]


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, Account]:
    return {name: make_user(name).account for name in ("alice", "bob", "carol", "dave")}


@pytest.fixture
def alice_client(people: dict[str, Account], client_for: Callable[[User], Client]) -> Client:
    return client_for(people["alice"].user)


@pytest.fixture
def sent(httpserver: HTTPServer, settings: Any) -> Sent:
    """What this server delivers to the loopback server, which serves the remote actors."""
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = LOOPBACK
    received: Sent = []

    def inbox(request: Request) -> Response:
        received.append(json.loads(request.get_data()))
        return Response(status=202)

    httpserver.expect_request("/inbox", method="POST").respond_with_handler(inbox)
    httpserver.expect_request("/users/zed/inbox", method="POST").respond_with_handler(inbox)
    return received


@pytest.fixture
def zed(httpserver: HTTPServer, sent: Sent) -> RemoteActor:
    return RemoteActor(httpserver, "zed").serve()


def upload(
    client: Client, kind: str, content: str | bytes, *, mode: str = "merge", name: str = "a.csv"
) -> Any:
    data = content.encode() if isinstance(content, str) else content
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post("/settings/import", {"type": kind, "mode": mode, "file": file})


def finished(response: Any) -> BulkImport:
    assert response.status_code == 302, response.content.decode().split("<main")[1][-1500:]
    bulk_import = BulkImport.objects.get(pk=int(response["Location"].rsplit("/", 1)[1]))
    assert bulk_import.state == "finished"
    return bulk_import


def results(bulk_import: BulkImport) -> list[tuple[int, str, str]]:
    return list(bulk_import.rows.order_by("line").values_list("line", "state", "reason"))


def followed(account: Account) -> dict[str, tuple[bool, bool, list[str] | None]]:
    return {
        f.target_account.acct: (f.show_reblogs, f.notify, f.languages)
        for f in Follow.objects.filter(account=account).select_related("target_account")
    }


def blocked(account: Account) -> set[str]:
    return set(
        Block.objects.filter(account=account).values_list("target_account__username", flat=True)
    )


def muted(account: Account) -> dict[str, bool]:
    rows = Mute.objects.filter(account=account)
    return dict(rows.values_list("target_account__username", "hide_notifications"))


def blocked_domains(account: Account) -> set[str]:
    return set(AccountDomainBlock.objects.filter(account=account).values_list("domain", flat=True))


def test_following_merge_resolves_remote_accounts_and_records_failures(
    people: dict[str, Account], alice_client: Client, zed: RemoteActor, sent: Sent
) -> None:
    alice = people["alice"]
    do_follow(account=alice, target=people["dave"])
    unreachable = "nobody@127.0.0.1:1"
    response = upload(
        alice_client,
        "following",
        "Account address,Show boosts,Notify on new posts,Languages\n"
        'bob@testserver,false,true,"en, fr"\n'
        "@carol,true,false,\n"
        f"zed@{zed.domain},true,true,de\n"
        f"{unreachable},true,false,\n"
        "not an address,true,false,\n",
        name="following_accounts.csv",
    )
    bulk_import = finished(response)
    assert (bulk_import.total_items, bulk_import.type, bulk_import.overwrite) == (
        5,
        "following",
        False,
    )
    assert followed(alice) == {
        "bob": (False, True, ["en", "fr"]),
        "carol": (True, False, None),
        "dave": (True, False, None),  # merge keeps what the file does not name
    }
    request = FollowRequest.objects.get(account=alice)
    assert request.target_account.uri == zed.uri and request.languages == ["de"]
    assert [a["type"] for a in sent] == ["Follow"]
    rows = results(bulk_import)
    assert [state for _, state, _ in rows] == ["done", "done", "done", "failed", "failed"]
    assert "WebFinger at 127.0.0.1:1 failed" in rows[3][2]
    assert rows[4][2] == "“not an address” is not an account address."
    page = alice_client.get(response["Location"]).content.decode()
    assert "5 of 5 processed</strong>: 3 done, 2 failed" in page
    assert unreachable in page and "is not an account address" in page
    listing = alice_client.get("/settings/import").content.decode()
    assert "following_accounts.csv" in listing and "5 of 5" in listing


def test_following_overwrite_unfollows_the_rest_and_updates_options(
    people: dict[str, Account], alice_client: Client
) -> None:
    alice = people["alice"]
    do_follow(account=alice, target=people["bob"])
    do_follow(account=alice, target=people["carol"])
    bulk_import = finished(
        upload(alice_client, "following", "bob@testserver\ndave@testserver\n", mode="overwrite")
    )
    # A file without a header line has only the address column: options stay as they are.
    assert followed(alice) == {"bob": (True, False, None), "dave": (True, False, None)}
    assert [state for _, state, _ in results(bulk_import)] == ["done", "done"]
    finished(
        upload(
            alice_client,
            "following",
            "Account address,Show boosts,Notify on new posts,Languages\nbob,false,true,ja\n",
            mode="overwrite",
        )
    )
    assert followed(alice) == {"bob": (False, True, ["ja"])}


def test_blocking_merge_and_overwrite(
    people: dict[str, Account], alice_client: Client, zed: RemoteActor, sent: Sent
) -> None:
    alice = people["alice"]
    do_follow(account=alice, target=people["bob"])
    do_block(account=alice, target=people["dave"])
    finished(upload(alice_client, "blocking", f"bob@testserver\nzed@{zed.domain}\n"))
    assert blocked(alice) == {"bob", "dave", "zed"}
    assert not Follow.objects.filter(account=alice).exists()  # a block ends the follow
    assert [a["type"] for a in sent] == ["Block"]
    bulk_import = finished(upload(alice_client, "blocking", "carol\nalice\n", mode="overwrite"))
    assert blocked(alice) == {"carol"}
    assert [a["type"] for a in sent] == ["Block", "Undo"]
    assert results(bulk_import)[1][1:] == ("failed", "You cannot block yourself.")


def test_muting_merge_and_overwrite_keep_hide_notifications(
    people: dict[str, Account], alice_client: Client
) -> None:
    alice = people["alice"]
    do_mute(account=alice, target=people["dave"])
    header = "Account address,Hide notifications\n"
    finished(upload(alice_client, "muting", header + "bob@testserver,false\ncarol,true\n"))
    assert muted(alice) == {"bob": False, "carol": True, "dave": True}
    finished(upload(alice_client, "muting", header + "carol,false\n", mode="overwrite"))
    assert muted(alice) == {"carol": False}


def test_domain_blocking_merge_and_overwrite(
    people: dict[str, Account], alice_client: Client
) -> None:
    alice = people["alice"]
    do_block_domain(account=alice, domain="old.example")
    finished(upload(alice_client, "domain_blocking", "Spam.Example\nads.example\n"))
    assert blocked_domains(alice) == {"old.example", "spam.example", "ads.example"}
    bulk_import = finished(
        upload(
            alice_client, "domain_blocking", "#domain\nads.example\nbad domain\n", mode="overwrite"
        )
    )
    assert blocked_domains(alice) == {"ads.example"}
    assert results(bulk_import)[1][1:] == ("failed", "is invalid")


def test_bookmarks_with_a_remote_post_merge_and_overwrite(
    people: dict[str, Account], alice_client: Client, zed: RemoteActor, httpserver: HTTPServer
) -> None:
    alice = people["alice"]
    mine = do_create_status(account=people["bob"], data=StatusInput(text="kept"))
    old = do_create_status(account=people["carol"], data=StatusInput(text="old"))
    hidden = do_create_status(
        account=people["dave"], data=StatusInput(text="hidden", visibility="private")
    )
    do_bookmark(account=alice, status=old)
    note_uri = zed.url("/notes/1")
    httpserver.expect_request("/notes/1").respond_with_json(
        {
            "id": note_uri,
            "type": "Note",
            "attributedTo": zed.uri,
            "content": "<p>far away</p>",
            "to": [PUBLIC],
            "published": "2024-05-01T12:00:00Z",
        },
        content_type="application/activity+json",
    )
    bulk_import = finished(
        upload(
            alice_client,
            "bookmarks",
            f"{mine.uri}\n{note_uri}\n{hidden.uri}\nhttp://testserver/users/bob/statuses/1\n",
        )
    )
    remote = Status.objects.get(uri=note_uri)
    assert set(Bookmark.objects.filter(account=alice).values_list("status_id", flat=True)) == {
        mine.pk,
        old.pk,
        remote.pk,
    }
    reasons = [reason for _, _, reason in results(bulk_import)]
    assert reasons[:2] == ["", ""]
    assert reasons[2] == f"The post {hidden.uri} is not visible to you."
    assert reasons[3] == "The post http://testserver/users/bob/statuses/1 could not be found."
    finished(upload(alice_client, "bookmarks", f"#uri\n{note_uri}\n", mode="overwrite"))
    assert list(Bookmark.objects.filter(account=alice).values_list("status_id", flat=True)) == [
        remote.pk
    ]


def members(account: Account) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for list_ in List.objects.filter(account=account):
        found[list_.title] = {
            m.account.acct for m in ListAccount.objects.filter(list=list_).select_related("account")
        }
    return found


def test_lists_merge_creates_lists_and_follows_members_overwrite_replaces(
    people: dict[str, Account], alice_client: Client, zed: RemoteActor
) -> None:
    alice = people["alice"]
    do_follow(account=alice, target=people["dave"])
    old = do_create_list(account=alice, title="Old")
    do_add_list_accounts(list_=old, accounts=[people["dave"]])
    bulk_import = finished(
        upload(
            alice_client,
            "lists",
            f'"Friends, close",bob@testserver\nWork,carol\n"Friends, close",carol\n'
            f"Work,zed@{zed.domain}\n",
        )
    )
    assert members(alice) == {
        "Old": {"dave"},
        "Friends, close": {"bob", "carol"},
        "Work": {"carol"},
    }
    assert set(followed(alice)) == {"bob", "carol", "dave"}
    failed = results(bulk_import)[3]
    assert failed[1:] == (
        "failed",
        f"zed@{zed.domain} has not accepted the follow yet; lists hold only followed accounts.",
    )
    finished(
        upload(alice_client, "lists", "List name,Account address\nWork,dave\n", mode="overwrite")
    )
    assert members(alice) == {"Work": {"dave"}}


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("following", "", "The submitted file is empty."),
        ("following", "\n \n", "This file is empty."),
        ("blocking", "Friends,bob@testserver\n", "Line 1 has 2 columns where a blocking list"),
        ("lists", "Account address,Show boosts\nbob,true\n", "it has no “List name” column"),
        ("muting", '"bob@testserver,true\n', "This is not a valid CSV file"),
        ("following", b"bob\xff\xfe@x\n", "This file is not UTF-8 text."),
        ("blocking", "bob@testserver\n" * 20_001, "This file has more than 20,000 rows."),
        ("bookmarks", "x" * (20 * 1024 * 1024 + 1), "This file is too large: the limit is 20 MB"),
    ],
)
def test_bad_files_are_refused_whole(
    people: dict[str, Account], alice_client: Client, kind: str, content: Any, message: str
) -> None:
    response = upload(alice_client, kind, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BulkImport.objects.exists() and not BulkImportRow.objects.exists()
    assert not Block.objects.exists() and not Follow.objects.exists()


def test_the_form_needs_a_type_and_a_file_and_a_login(alice_client: Client, client: Client) -> None:
    response = alice_client.post("/settings/import", {"type": "everything", "mode": "merge"})
    html = response.content.decode()
    assert "Select a valid choice" in html and "This field is required" in html
    assert client.get("/settings/import").status_code == 302
    assert not BulkImport.objects.exists()


def test_import_pages_belong_to_their_owner(
    people: dict[str, Account], alice_client: Client, client_for: Callable[[User], Client]
) -> None:
    response = upload(alice_client, "blocking", "bob\n")
    path = response["Location"]
    assert client_for(people["bob"].user).get(path).status_code == 404
    assert alice_client.get(path).status_code == 200

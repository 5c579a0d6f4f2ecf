"""CSV exports on /settings/exports/*.csv: the files Mastodon writes, line for line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Account, User
from accounts.services.blocks import do_block
from accounts.services.domain_blocks import do_block_domain
from accounts.services.follows import do_follow
from accounts.services.mutes import do_mute
from timelines.services.interactions import do_bookmark
from timelines.services.lists import do_add_list_accounts, do_create_list
from timelines.services.statuses import StatusInput, do_create_status


def remote_account(username: str, domain: str = "remote.example") -> Account:
    return Account.objects.create(
        username=username, domain=domain, uri=f"https://{domain}/users/{username}"
    )


def download(client: Client, name: str) -> str:
    response = client.get(f"/settings/exports/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {name: make_user(name) for name in ("alice", "bob", "carol")}


def test_following_file_has_mastodon_header_and_lower_case_booleans(
    people: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    alice = people["alice"].account
    do_follow(account=alice, target=people["bob"].account, reblogs=False, notify=True)
    do_follow(account=alice, target=people["carol"].account, languages=["en", "fr"])
    # A request to a remote account that has not answered is not a follow yet.
    do_follow(account=alice, target=remote_account("dan"))
    text = download(client_for(people["alice"]), "follows")
    assert text == (
        "Account address,Show boosts,Notify on new posts,Languages\n"
        'carol@testserver,true,false,"en, fr"\n'
        "bob@testserver,false,true,\n"
    )


def test_muted_and_blocked_files(
    people: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    alice = people["alice"].account
    do_mute(account=alice, target=people["bob"].account, notifications=False)
    dan = remote_account("dan")
    do_mute(account=alice, target=dan)
    do_block(account=alice, target=people["carol"].account, federate=False)
    do_block(account=alice, target=remote_account("eve"), federate=False)
    client = client_for(people["alice"])
    assert download(client, "mutes") == (
        "Account address,Hide notifications\ndan@remote.example,true\nbob@testserver,false\n"
    )
    assert download(client, "blocks") == "eve@remote.example\ncarol@testserver\n"


def test_domain_blocks_bookmarks_and_lists_have_no_header(
    people: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    alice, bob, carol = (people[n].account for n in ("alice", "bob", "carol"))
    do_block_domain(account=alice, domain="spam.example")
    do_block_domain(account=alice, domain="Ads.Example")
    first = do_create_status(account=bob, data=StatusInput(text="first"))
    second = do_create_status(account=carol, data=StatusInput(text="second"))
    do_bookmark(account=alice, status=first)
    do_bookmark(account=alice, status=second)
    do_follow(account=alice, target=bob)
    do_follow(account=alice, target=carol)
    friends = do_create_list(account=alice, title="Friends, old and new")
    do_add_list_accounts(list_=friends, accounts=[bob, carol])
    work = do_create_list(account=alice, title="Work")
    do_add_list_accounts(list_=work, accounts=[carol])
    do_create_list(account=alice, title="Empty")
    client = client_for(people["alice"])
    assert download(client, "domain_blocks") == "spam.example\nads.example\n"
    assert download(client, "bookmarks") == (
        f"http://testserver/users/carol/statuses/{second.pk}\n"
        f"http://testserver/users/bob/statuses/{first.pk}\n"
    )
    assert download(client, "lists") == (
        '"Friends, old and new",bob@testserver\n'
        '"Friends, old and new",carol@testserver\n'
        "Work,carol@testserver\n"
    )


def test_export_page_counts_and_links(
    people: dict[str, User], client_for: Callable[[User], Client], client: Client
) -> None:
    alice = people["alice"].account
    do_follow(account=alice, target=people["bob"].account)
    do_follow(account=people["carol"].account, target=alice)
    do_block_domain(account=alice, domain="spam.example")
    page = client_for(people["alice"]).get("/settings/export")
    html = page.content.decode()
    assert page.status_code == 200
    for name in ("follows", "lists", "mutes", "blocks", "domain_blocks", "bookmarks"):
        assert f'href="/settings/exports/{name}.csv"' in html
    assert '<th scope="row">Follows</th>\n        <td>1</td>' in html
    assert '<th scope="row">Followers</th><td>1</td>' in html
    # Only for the signed-in owner, and only the six files.
    assert client.get("/settings/exports/follows.csv").status_code == 302
    assert client_for(people["alice"]).get("/settings/exports/secrets.csv").status_code == 404


def test_empty_exports(people: dict[str, User], client_for: Callable[[User], Client]) -> None:
    client = client_for(people["alice"])
    assert download(client, "follows") == (
        "Account address,Show boosts,Notify on new posts,Languages\n"
    )
    assert download(client, "mutes") == "Account address,Hide notifications\n"
    for name in ("lists", "blocks", "domain_blocks", "bookmarks"):
        assert download(client, name) == ""

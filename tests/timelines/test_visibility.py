"""Followers-only and direct posts reach only those allowed, on every page."""

import pytest
from django.test import Client

from accounts.services.follows import do_follow
from timelines.services.statuses import StatusInput, do_create_status


@pytest.fixture
def posts(alice, bob, make_user):
    carol = make_user("carol")
    do_follow(account=carol.account, target=alice.account)
    made = {
        v: do_create_status(account=alice.account, data=StatusInput(text=f"{v} post", visibility=v))
        for v in ("public", "unlisted", "private")
    }
    made["direct"] = do_create_status(
        account=alice.account, data=StatusInput(text="@bob direct post", visibility="direct")
    )
    return made, carol


def texts(response) -> str:
    return response.content.decode()


def test_anonymous_sees_public_and_unlisted_only(posts) -> None:
    made, _ = posts
    profile = texts(Client().get("/@alice"))
    assert "public post" in profile and "unlisted post" in profile
    assert "private post" not in profile and "direct post" not in profile
    local = texts(Client().get("/public/local"))
    assert "public post" in local and "unlisted post" not in local
    assert Client().get(f"/@alice/{made['private'].pk}").status_code == 404
    assert Client().get(f"/@alice/{made['direct'].pk}").status_code == 404


def test_followers_see_followers_only_posts(posts, client_for) -> None:
    made, carol = posts
    client = client_for(carol)
    assert "private post" in texts(client.get("/@alice"))
    assert "private post" in texts(client.get("/"))
    assert client.get(f"/@alice/{made['private'].pk}").status_code == 200
    assert client.get(f"/@alice/{made['direct'].pk}").status_code == 404
    assert "private post" not in texts(client.get("/public/local"))


def test_mentioned_see_direct_posts(posts, bob, client_for) -> None:
    made, _ = posts
    client = client_for(bob)
    assert client.get(f"/@alice/{made['direct'].pk}").status_code == 200
    assert client.get(f"/@alice/{made['private'].pk}").status_code == 404
    assert "private post" not in texts(client.get("/@alice"))


def test_hashtag_page_lists_public_posts_only(alice) -> None:
    do_create_status(account=alice.account, data=StatusInput(text="open #cats"))
    do_create_status(
        account=alice.account, data=StatusInput(text="closed #cats", visibility="private")
    )
    page = texts(Client().get("/tags/CATS"))
    assert "open" in page and "closed" not in page


def test_interactions_on_invisible_posts_answer_404(posts, make_user, client_for) -> None:
    made, _ = posts
    stranger = make_user("dave")
    client = client_for(stranger)
    for action in ("favourite", "reblog", "bookmark"):
        assert client.post(f"/statuses/{made['private'].pk}/{action}").status_code == 404

"""The home timeline's shortcut past Django's request cycle (timelines.api.home_shortcut), on
the real ASGI server: whatever it answers must be what the view answers, byte for byte in the
body and header for header, and whatever it cannot answer must reach the view unchanged."""

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings

from accounts.models import User
from accounts.services.follows import do_follow
from tests.api.home_support import every_kind_of_post, post
from timelines import feeds
from timelines.api.home_shortcut import HANDLED_MIDDLEWARE, Stats
from timelines.services.filters import KeywordChange, do_create_filter

# What differs between two answers to the same request, whoever gives them.
VOLATILE = {"date", "server", "x-ratelimit-remaining", "x-ratelimit-reset"}


@pytest.fixture
def bob_token(alice: User, bob: User, make_user: Callable[..., User], token_for) -> str:
    """Bob follows Alice and Carol, and his home holds every kind of post and flag."""
    carol = make_user("carol")
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=bob.account, target=carol.account)
    every_kind_of_post(alice, bob, carol)
    post(carol, "this one is hidden entirely")
    do_create_filter(
        account=bob.account, title="hidden", context=["home"], filter_action="hide",
        keywords=[KeywordChange(keyword="hidden", whole_word=True)],
    )  # fmt: skip
    return str(token_for(bob))


@pytest.fixture
def shortcut(settings) -> Iterator[Callable[[bool], None]]:
    def turn(on: bool) -> None:
        settings.HOME_SHORTCUT = on

    yield turn
    settings.HOME_SHORTCUT = django_settings.HOME_SHORTCUT


def get(base: str, token: str | None, *, query: str = "", **headers: str) -> httpx.Response:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.get(f"{base}/api/v1/timelines/home{query}", headers=headers, timeout=30)


def both(
    base: str, turn: Callable[[bool], None], token: str | None, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response, int]:
    """The view's answer, the shortcut's, and how many the shortcut answered."""
    turn(False)
    by_view = get(base, token, **kwargs)
    turn(True)
    before = Stats.answered
    by_shortcut = get(base, token, **kwargs)
    return by_view, by_shortcut, Stats.answered - before


def same(one: httpx.Response, other: httpx.Response) -> None:
    assert one.status_code == other.status_code
    assert one.content == other.content
    headers = {k: v for k, v in one.headers.items() if k not in VOLATILE}
    assert headers == {k: v for k, v in other.headers.items() if k not in VOLATILE}


def test_answers_exactly_as_the_view(asgi_server: str, bob_token: str, shortcut) -> None:
    first = get(asgi_server, bob_token)  # builds the feed
    assert first.status_code == 200
    ids = [s["id"] for s in first.json()]
    assert len(ids) >= 6
    queries = ["", "?limit=2", f"?max_id={ids[1]}", f"?since_id={ids[-2]}",
               f"?min_id={ids[-3]}&limit=2", "?limit=500&unknown=kept"]  # fmt: skip
    for query in queries:
        by_view, by_shortcut, answered = both(asgi_server, shortcut, bob_token, query=query)
        assert by_view.status_code == 200, by_view.text
        assert answered == 1, query
        same(by_view, by_shortcut)
    page = get(asgi_server, bob_token).json()
    assert page[0]["account"]["statuses_count"] >= 1
    flags = {s["content"]: s for s in page}
    assert any(s["favourited"] and s["bookmarked"] for s in page)
    assert any(s.get("pinned") for s in page)
    assert not any("hidden entirely" in text for text in flags)
    warned = [s for s in page if s["filtered"]]
    assert warned and warned[0]["filtered"][0]["filter"]["title"] == "spoilers"


def test_cross_origin_and_token_in_the_query(asgi_server: str, bob_token: str, shortcut) -> None:
    get(asgi_server, bob_token)
    by_view, by_shortcut, answered = both(
        asgi_server, shortcut, bob_token, origin="https://app.example"
    )
    assert answered == 1
    same(by_view, by_shortcut)
    assert by_shortcut.headers["access-control-allow-origin"] == "*"
    by_view, by_shortcut, answered = both(
        asgi_server, shortcut, None, query=f"?access_token={bob_token}&limit=3"
    )
    assert answered == 1
    same(by_view, by_shortcut)
    assert "access_token" not in by_shortcut.headers["link"]


@pytest.mark.parametrize(
    ("accept", "answered_here"),
    [("application/json", True), ("application/json, text/plain, */*", True),
     ("*/*;q=0.8", True), ("application/json; indent=4", False), ("text/html", False)],
)  # fmt: skip
def test_what_the_client_accepts(
    asgi_server: str, bob_token: str, shortcut, accept: str, answered_here: bool
) -> None:
    get(asgi_server, bob_token)
    by_view, by_shortcut, answered = both(asgi_server, shortcut, bob_token, accept=accept)
    assert answered == int(answered_here)
    same(by_view, by_shortcut)


def test_what_it_cannot_answer_goes_to_the_view(
    asgi_server: str, bob: User, bob_token: str, token_for, shortcut
) -> None:
    write_only = token_for(bob, "write")
    for token in (None, "not-a-token", write_only):
        by_view, by_shortcut, answered = both(asgi_server, shortcut, token)
        assert answered == 0
        assert by_view.status_code in (401, 403)
        same(by_view, by_shortcut)
    # A feed never built (or dropped while its owner was away) is built by the view.
    feeds.client().delete(f"{feeds.home_key(bob.account.pk)}:ready")
    before = Stats.answered
    rebuilt = get(asgi_server, bob_token)
    assert rebuilt.status_code == 200 and len(rebuilt.json()) >= 6
    assert Stats.answered == before
    assert get(asgi_server, bob_token).json() == rebuilt.json()
    assert Stats.answered == before + 1
    User.objects.filter(pk=bob.pk).update(disabled=True)
    by_view, by_shortcut, answered = both(asgi_server, shortcut, bob_token)
    assert answered == 0 and by_shortcut.status_code == 403
    same(by_view, by_shortcut)


def test_counts_against_the_same_limits(
    asgi_server: str, bob: User, bob_token: str, settings, shortcut
) -> None:
    settings.API_RATELIMIT_ENABLE = True
    settings.API_RATELIMITS = {**django_settings.API_RATELIMITS, "per_token": "4/5m"}
    shortcut(False)
    assert get(asgi_server, bob_token).headers["x-ratelimit-remaining"] == "3"
    shortcut(True)
    before = Stats.answered
    assert get(asgi_server, bob_token).headers["x-ratelimit-remaining"] == "2"
    assert get(asgi_server, bob_token).headers["x-ratelimit-remaining"] == "1"
    assert get(asgi_server, bob_token).headers["x-ratelimit-remaining"] == "0"
    refused = get(asgi_server, bob_token, origin="https://app.example")
    assert refused.status_code == 429
    assert refused.json() == {"error": "Too many requests"}
    assert refused.headers["access-control-allow-origin"] == "*"
    assert Stats.answered == before + 4
    shortcut(False)
    assert get(asgi_server, bob_token).status_code == 429


def test_marks_the_reader_active(asgi_server: str, bob: User, bob_token: str) -> None:
    get(asgi_server, bob_token)
    User.objects.filter(pk=bob.pk).update(last_active_at=None)
    before = Stats.answered
    assert get(asgi_server, bob_token).status_code == 200
    assert Stats.answered == before + 1
    assert User.objects.get(pk=bob.pk).last_active_at is not None


def test_another_middleware_list_sends_everything_to_the_view(
    asgi_server: str, bob_token: str, settings
) -> None:
    assert settings.MIDDLEWARE == HANDLED_MIDDLEWARE  # revisit the shortcut when this changes
    get(asgi_server, bob_token)
    settings.MIDDLEWARE = [*HANDLED_MIDDLEWARE[:-1]]
    before = Stats.answered
    assert get(asgi_server, bob_token).status_code == 200
    assert Stats.answered == before

"""Link preview cards made from real pages on loopback: what each kind of page gives, what is
refused or sanitised, which links are skipped, and the admin's switches."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from pytest_httpserver import HTTPServer

from accounts.models import Account, Follow, User
from federation.render.context import PUBLIC
from moderation.models import InstanceSettings
from tests.federation.conftest import RemoteActor
from tests.timelines.card_site import CardSite
from timelines.api import entity_cache
from timelines.api.present import present_status
from timelines.models import PreviewCard, PreviewCardStatus, Status
from timelines.selectors import hydrate
from timelines.services.cards import do_block_preview_domain, do_fetch_card
from timelines.services.edits import EditInput, do_edit_status
from timelines.services.statuses import StatusInput, do_create_status


@pytest.fixture(autouse=True)
def cards_on(settings: Any) -> None:
    settings.PREVIEW_CARDS = True
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = ["127.0.0.0/8", "::1/128"]
    settings.PREVIEW_CARD_FETCH_TIMEOUT = 1.5


@pytest.fixture
def site(httpserver: HTTPServer) -> CardSite:
    return CardSite(httpserver).serve()


@pytest.fixture
def remote(httpserver: HTTPServer) -> RemoteActor:
    """A signed remote actor served from the same loopback server as the pages."""
    return RemoteActor(httpserver).serve()


@pytest.fixture
def silent_page() -> Iterator[str]:
    """Accepts the connection and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"http://127.0.0.1:{server.getsockname()[1]}/hang"
    server.close()


def post(user: User, text: str) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text))


def card_entity(status: Status) -> dict[str, Any] | None:
    hydrated = hydrate(Status.objects.filter(pk=status.pk)).get()
    card: dict[str, Any] | None = present_status(None, hydrated)["card"]
    return card


def test_opengraph_page_gives_a_card_with_a_cached_picture(alice: User, site: CardSite) -> None:
    status = post(alice, f"Read this: {site.url('/article')}")
    card = card_entity(status)
    assert card is not None
    assert card["url"] == site.url("/article") and card["type"] == "link"
    assert card["title"] == "A & B: the story"
    assert card["description"] == "What happened next."
    assert card["provider_name"] == "Loopback News" and card["author_name"] == "Jo Writer"
    assert card["authors"] == [{"name": "Jo Writer", "url": "", "account": None}]
    assert card["image_description"] == "A harbour at dawn" and card["language"] == "en"
    assert card["published_at"].startswith("2026-03-01T09:30:00")
    assert card["html"] == "" and card["embed_url"] == ""
    stored = PreviewCard.objects.get()
    assert default_storage.exists(stored.image.name)
    assert card["image"].endswith(stored.image.name) and card["blurhash"]
    # The picture is scaled down as a preview; the card gives its size.
    assert (card["width"], card["height"]) == (stored.width, stored.height)
    assert card["width"] * card["height"] <= 640 * 360 and card["width"] > card["height"]


def test_twitter_card_tags_are_read(alice: User, site: CardSite) -> None:
    card = card_entity(post(alice, site.url("/twitter")))
    assert card is not None
    assert (card["title"], card["description"]) == ("Twitter title", "Twitter description")
    assert card["provider_name"] == "@loopback" and card["image"] is None


def test_oembed_video_keeps_only_the_allowed_iframe(alice: User, site: CardSite) -> None:
    card = card_entity(post(alice, f"watch {site.url('/video')}"))
    assert card is not None
    assert card["type"] == "video" and card["title"] == "The video"
    assert (card["width"], card["height"]) == (560, 315)
    assert card["author_name"] == "Film Maker" and card["provider_name"] == "Loopback Video"
    html = card["html"]
    assert html.startswith('<iframe src="https://localhost/embed/42"')
    assert 'allowfullscreen=""' in html and 'width="560"' in html
    for unwanted in ("script", "owned", "onload", "evil.example", "javascript", "<img", "alert"):
        assert unwanted not in html
    assert html.count("<iframe") == 3  # the refused ones are left without a src
    assert html.count("src=") == 1
    assert card["image"] is not None and card["blurhash"]


@pytest.mark.parametrize("path", ["/paper.pdf", "/huge", "/gone"])
def test_pages_that_give_no_card(alice: User, site: CardSite, path: str) -> None:
    status = post(alice, f"see {site.url(path)}")
    assert card_entity(status) is None
    assert site.requests_to(path) == 1
    assert not PreviewCard.objects.exists() and not PreviewCardStatus.objects.exists()


def test_a_page_that_never_answers_gives_no_card_in_time(alice: User, silent_page: str) -> None:
    started = timezone.now()
    status = post(alice, f"see {silent_page}")
    assert (timezone.now() - started).total_seconds() < 10
    assert card_entity(status) is None and not PreviewCard.objects.exists()


def test_a_picture_bomb_is_refused_and_the_card_goes_without(alice: User, site: CardSite) -> None:
    card = card_entity(post(alice, site.url("/bomb")))
    assert card is not None and card["title"] == "Bomb"
    assert card["image"] is None and card["blurhash"] is None
    assert site.requests_to("/pictures/bomb.png") == 1
    assert PreviewCard.objects.get().image.name == ""


def test_mentions_hashtags_and_own_links_are_skipped(
    alice: User, bob: User, site: CardSite
) -> None:
    status = post(alice, f"@bob #news http://testserver/@bob then {site.url('/twitter')}")
    card = card_entity(status)
    assert card is not None and card["url"] == site.url("/twitter")
    only_ours = post(alice, "@bob #news http://testserver/about ftp://files.example/x")
    assert card_entity(only_ours) is None
    assert [request.path for request, _ in site.server.log] == ["/twitter"]


def test_switched_off_or_blocked_there_is_no_card(alice: User, site: CardSite) -> None:
    settings = InstanceSettings.current()
    settings.preview_cards = False
    settings.save()
    assert card_entity(post(alice, site.url("/article"))) is None
    settings.preview_cards = True
    settings.save()
    do_block_preview_domain(domain="LOCALHOST")
    assert card_entity(post(alice, site.url("/article"))) is None
    assert site.server.log == [] and not PreviewCard.objects.exists()


def test_blocking_a_domain_removes_its_cards(alice: User, site: CardSite) -> None:
    status = post(alice, site.url("/article"))
    image = PreviewCard.objects.get().image.name
    assert card_entity(status) is not None
    do_block_preview_domain(domain="localhost")
    assert card_entity(status) is None
    assert not PreviewCard.objects.exists() and not default_storage.exists(image)


def test_cards_are_shared_by_url_and_read_again_once_stale(
    alice: User, bob: User, site: CardSite
) -> None:
    first = post(alice, site.url("/twitter"))
    second = post(bob, f"me too {site.url('/twitter')}")
    assert PreviewCard.objects.count() == 1 and site.requests_to("/twitter") == 1
    assert card_entity(first) == card_entity(second)
    PreviewCard.objects.update(fetched_at=timezone.now() - timedelta(days=15), title="Old")
    third = post(alice, f"again {site.url('/twitter')}")
    assert site.requests_to("/twitter") == 2
    card = PreviewCard.objects.get()
    assert card.fetched_at is not None and card.fetched_at > timezone.now() - timedelta(1)
    assert card.title == "Twitter title"
    assert PreviewCardStatus.objects.filter(card=card).count() == 3
    assert card_entity(third)["title"] == "Twitter title"  # type: ignore[index]


def test_an_edit_follows_the_new_link(alice: User, site: CardSite) -> None:
    status = post(alice, site.url("/twitter"))
    edited = do_edit_status(
        account=alice.account, status=status, data=EditInput(text=f"now {site.url('/article')}")
    )
    assert card_entity(edited)["title"] == "A & B: the story"  # type: ignore[index]
    edited = do_edit_status(account=alice.account, status=status, data=EditInput(text="no link"))
    assert card_entity(edited) is None
    assert PreviewCard.objects.count() == 2  # cards stay, shared by URL


def test_a_remote_post_from_the_inbox_gets_a_card(
    alice: User, remote: RemoteActor, site: CardSite
) -> None:
    page = site.url("/article", host="127.0.0.1")
    own = remote.url("/about")  # the author's own server: no card from it
    note = {
        "id": remote.url("/notes/7"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": f'<p><a href="{remote.url("/tags/x")}" class="mention hashtag" rel="tag">'
        f'#x</a> <a href="{own}">about</a> <a href="{page}">story</a></p>',
        "to": [PUBLIC],
        "published": "2026-05-01T12:00:00Z",
    }
    follow = remote.activity("Follow", "http://testserver/users/alice")
    assert remote.deliver(Client(), follow).status_code == 202
    author = Account.objects.get(uri=remote.uri)
    Follow.objects.create(account=alice.account, target_account=author)
    response = remote.deliver(Client(), remote.activity("Create", note))
    assert response.status_code == 202
    status = Status.objects.get(uri=remote.url("/notes/7"))
    assert status.account == author
    card = card_entity(status)
    assert card is not None and card["url"] == page and card["title"] == "A & B: the story"
    assert site.requests_to("/about") == 0 and site.requests_to("/tags/x") == 0


def test_a_timeline_entity_already_rendered_takes_the_card(alice: User, site: CardSite) -> None:
    settings = InstanceSettings.current()
    settings.preview_cards = False
    settings.save()
    status = post(alice, site.url("/twitter"))
    shown, _ = entity_cache.present_page(alice.account, [status.pk], 20, "home")
    assert shown[0]["card"] is None
    settings.preview_cards = True
    settings.save()
    assert do_fetch_card(status_id=status.pk) is not None
    shown, _ = entity_cache.present_page(alice.account, [status.pk], 20, "home")
    assert shown[0]["card"]["title"] == "Twitter title"

from django.test import Client

from accounts.services.follows import do_follow
from timelines.models import Bookmark, Favourite, Notification, Status
from timelines.services.statuses import StatusInput, do_create_status


def test_favourite_boost_bookmark_and_undo(alice, bob, client_for) -> None:
    status = do_create_status(account=alice.account, data=StatusInput(text="nice"))
    client = client_for(bob)
    for action in ("favourite", "reblog", "bookmark"):
        assert client.post(f"/statuses/{status.pk}/{action}").status_code == 302
    assert Favourite.objects.filter(account=bob.account, status=status).exists()
    assert Bookmark.objects.filter(account=bob.account, status=status).exists()
    boost = Status.objects.get(account=bob.account, reblog=status)
    types = set(Notification.objects.filter(account=alice.account).values_list("type", flat=True))
    assert types == {"favourite", "reblog"}

    # Repeating is harmless; the boost shows on the booster's profile.
    client.post(f"/statuses/{status.pk}/reblog")
    assert Status.objects.filter(reblog=status).count() == 1
    profile = client.get("/@bob").content.decode()
    assert "boosted" in profile and "nice" in profile
    page = client.get("/bookmarks").content.decode()
    assert "nice" in page and 'aria-pressed="true"' in page

    for action in ("unfavourite", "unreblog", "unbookmark"):
        client.post(f"/statuses/{status.pk}/{action}")
    assert not Favourite.objects.exists() and not Bookmark.objects.exists()
    assert not Status.objects.filter(pk=boost.pk).exists()


def test_followers_only_posts_cannot_be_boosted_by_others(alice, bob, client_for) -> None:
    do_follow(account=bob.account, target=alice.account)
    status = do_create_status(
        account=alice.account, data=StatusInput(text="hush", visibility="private")
    )
    response = client_for(bob).post(f"/statuses/{status.pk}/reblog")
    assert response.status_code == 302
    assert not Status.objects.filter(reblog=status).exists()


def test_counts_show_on_the_post(alice, bob, client_for) -> None:
    status = do_create_status(account=alice.account, data=StatusInput(text="count me"))
    client_for(bob).post(f"/statuses/{status.pk}/favourite")
    page = Client().get(f"/@alice/{status.pk}").content.decode()
    assert "★ 1" in page


def test_unknown_action_is_404(alice, client_for) -> None:
    status = do_create_status(account=alice.account, data=StatusInput(text="x"))
    assert client_for(alice).post(f"/statuses/{status.pk}/explode").status_code == 404

"""A follow's languages, as Mastodon keeps them: set with POST /api/v1/accounts/:id/follow,
shown in the relationship, and left alone when following again without them."""

from collections.abc import Callable

import httpx

from accounts.models import Follow, User


def test_follow_languages_are_kept_and_shown(
    alice: User, bob: User, http_for: Callable[..., httpx.Client]
) -> None:
    client = http_for(alice)
    path = f"/api/v1/accounts/{bob.account.pk}/follow"
    answer = client.post(path, data={"languages[]": ["en", "de"]})
    assert answer.status_code == 200
    assert answer.json()["languages"] == ["en", "de"]
    assert Follow.objects.get().languages == ["en", "de"]
    again = client.post(path, json={"reblogs": False})
    assert again.json()["languages"] == ["en", "de"] and again.json()["showing_reblogs"] is False
    changed = client.post(path, json={"languages": ["fr"]})
    assert changed.json()["languages"] == ["fr"]
    relationship = client.get("/api/v1/accounts/relationships", params={"id[]": bob.account.pk})
    assert relationship.json()[0]["languages"] == ["fr"]

"""A post's preview card reaches the public streams as `status.update` once it is made."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from accounts.models import User
from tests.streaming.conftest import Socket
from tests.timelines.card_site import CardSite


@pytest.fixture(autouse=True)
def cards_on(settings: Any) -> None:
    settings.PREVIEW_CARDS = True
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = ["127.0.0.0/8", "::1/128"]
    settings.PREVIEW_CARD_FETCH_TIMEOUT = 1.5


def test_the_card_arrives_as_a_status_update(
    alice: User,
    httpserver: HTTPServer,
    token_for: Callable[..., str],
    open_socket: Callable[..., Socket],
    http: Callable[[str], Any],
) -> None:
    site = CardSite(httpserver).serve()
    socket = open_socket("?stream=public")
    response = http(token_for(alice)).post(
        "/api/v1/statuses", json={"status": f"look {site.url('/twitter')}"}
    )
    assert response.status_code == 200, response.text
    created = json.loads(socket.event("update")["payload"])
    assert created["id"] == response.json()["id"] and created["card"] is None
    updated = json.loads(socket.event("status.update")["payload"])
    assert updated["id"] == created["id"]
    assert updated["card"]["title"] == "Twitter title"
    assert updated["card"]["url"] == site.url("/twitter")
    assert socket.quiet(0.5) == []

"""A connection ends within seconds when its token is revoked, its app deleted, or its user
disabled or suspended: the hub re-validates every token on a timer."""

import time
from collections.abc import Callable

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from accounts.models import OAuthApplication, User
from moderation.services.account_actions import ActionRequest, do_account_action
from moderation.services.registrations import do_disable_user
from tests.streaming.conftest import WAIT, EventStream, Socket


def closes(socket: Socket) -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            socket.next(timeout=deadline - time.monotonic())
        except ConnectionClosed:
            return True
        except TimeoutError:
            return False
    return False


def test_revoked_token_closes_the_websocket(
    alice: User, register_app, token_for, open_socket: Callable[..., Socket], base_url: str
) -> None:
    app = register_app()
    token = token_for(alice, app=app)
    socket = open_socket("?stream=user", subprotocols=[token])
    kept = open_socket(f"?stream=user&access_token={token_for(alice)}")
    revoked = httpx.post(
        f"{base_url}/oauth/revoke",
        data={"token": token, "client_id": app.client_id, "client_secret": app.client_secret},
    )
    assert revoked.status_code == 200
    assert closes(socket)
    assert kept.quiet(1.0) == []  # another token of the same user streams on


def test_deleted_app_ends_the_event_stream(
    alice: User, register_app, token_for, open_sse: Callable[..., EventStream]
) -> None:
    app = register_app()
    stream = open_sse("user", token=token_for(alice, app=app))
    assert stream.status == 200
    OAuthApplication.objects.filter(client_id=app.client_id).delete()
    assert stream.ended.wait(WAIT)


@pytest.mark.parametrize("how", ["disabled", "suspended"])
def test_disabled_or_suspended_user_is_disconnected(
    how: str, alice: User, token_for, open_socket: Callable[..., Socket]
) -> None:
    socket = open_socket(f"?stream=public&access_token={token_for(alice)}")
    if how == "disabled":
        do_disable_user(actor=None, user=alice)
    else:
        do_account_action(
            moderator=None,
            target=alice.account,
            ask=ActionRequest(type="suspend", send_email=False),
        )
    assert closes(socket)

"""What remote servers hear of a local suspension: a Reject for each remote follow, and a
Delete of the actor once it becomes final. The remote server is a real HTTP server on
loopback."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from accounts.models import Account, Follow, Role, User
from federation.resolve import resolve_account_url
from moderation.services.account_actions import ActionRequest, do_account_action, do_unsuspend
from moderation.tasks import purge_expired_suspensions
from tests.federation.conftest import RemoteActor, allow_loopback, remote  # noqa: F401

Sent = list[dict[str, Any]]


@pytest.fixture
def sent(httpserver: HTTPServer) -> Sent:
    received: Sent = []

    def inbox(request: Request) -> Response:
        received.append(json.loads(request.get_data()))
        return Response(status=202)

    httpserver.expect_request("/inbox", method="POST").respond_with_handler(inbox)
    httpserver.expect_request("/users/bob/inbox", method="POST").respond_with_handler(inbox)
    return received


def test_suspension_as_seen_by_a_remote_server(
    alice: User, make_user: Any, request: pytest.FixtureRequest, sent: Sent
) -> None:
    actor: RemoteActor = request.getfixturevalue("remote")
    moderator = make_user("warden", role=Role.MODERATOR)
    bob = resolve_account_url(actor.uri)
    Follow.objects.create(account=bob, target_account=alice.account, uri=actor.uri + "#f1")
    Follow.objects.create(account=alice.account, target_account=bob)

    do_account_action(
        moderator=moderator.account, target=alice.account, ask=ActionRequest(type="suspend")
    )
    assert [a["type"] for a in sent] == ["Reject"]
    assert sent[0]["object"]["actor"] == actor.uri
    assert not Follow.objects.filter(target_account=alice.account).exists()

    do_unsuspend(moderator=moderator.account, target=Account.objects.get(pk=alice.account.pk))
    do_account_action(
        moderator=moderator.account, target=alice.account, ask=ActionRequest(type="suspend")
    )
    Account.objects.filter(pk=alice.account.pk).update(
        suspended_at=timezone.now() - timedelta(days=31)
    )
    sent.clear()
    assert purge_expired_suspensions() == 1
    assert [a["type"] for a in sent] == ["Delete"]
    assert sent[0]["object"] == alice.account.uri

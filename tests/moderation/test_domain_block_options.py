"""What a domain block's options do besides its severity: media from the server stays
remote, its reports are ignored, and its accounts first seen after a limit are limited like
the ones already known (so their notifications are held back from strangers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from accounts.models import Account, Follow, User
from federation.render.context import PUBLIC
from federation.resolve import resolve_account_url
from media.models import MediaAttachment
from moderation.models import DomainBlock, Report
from moderation.services.domain_blocks import (
    DomainBlockRequest,
    do_remove_domain_block,
    do_save_domain_block,
)
from moderation.services.reports import ReportRequest, do_create_report, do_forward_report
from tests.federation.conftest import LOOPBACK, RemoteActor
from tests.media.files import image_bytes
from timelines.models import Notification, Status
from timelines.services.statuses import StatusInput, do_create_status


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def make_actor(httpserver: HTTPServer, settings: Any) -> Callable[..., RemoteActor]:
    """Remote actors on the host 127.0.0.1, a name a domain block can hold."""
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = LOOPBACK

    def make(username: str = "bob", **extra: Any) -> RemoteActor:
        return RemoteActor(httpserver, username, host="127.0.0.1", extra=extra).serve()

    return make


def block(severity: str = "noop", **options: bool) -> DomainBlock:
    ask = DomainBlockRequest(domain="127.0.0.1", severity=severity, **options)  # type: ignore[arg-type]
    return do_save_domain_block(actor=None, ask=ask)


def served_paths(server: HTTPServer) -> list[str]:
    return [request.path for request, _ in server.log]


def note(remote: RemoteActor, n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": remote.url(f"/notes/{n}"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": f"<p>Note {n}</p>",
        "to": [PUBLIC],
        "published": "2024-05-01T12:00:00Z",
        **extra,
    }


def picture(server: HTTPServer, path: str) -> dict[str, Any]:
    server.expect_request(path).respond_with_data(image_bytes(), content_type="image/png")
    return {"type": "Document", "mediaType": "image/png", "url": server.url_for(path)}


def test_rejected_media_is_never_fetched(
    alice: User, httpserver: HTTPServer, make_actor: Callable[..., RemoteActor]
) -> None:
    block(reject_media=True)
    icon = picture(httpserver, "/avatar.png")
    remote = make_actor(icon={"type": "Image", "url": icon["url"]})
    bob = resolve_account_url(remote.uri)
    Follow.objects.create(account=alice.account, target_account=bob)
    attachment = picture(httpserver, "/media/1.png")
    create = remote.activity("Create", note(remote, 1, attachment=[attachment]))
    assert remote.deliver(Client(), create).status_code == 202

    status = Status.objects.get(uri=remote.url("/notes/1"))
    media = MediaAttachment.objects.get(status=status)
    assert media.remote_url == attachment["url"] and not media.file
    assert not Account.objects.get(pk=bob.pk).avatar
    assert "/avatar.png" not in served_paths(httpserver)
    assert "/media/1.png" not in served_paths(httpserver)
    # The media proxy does not fetch it on demand either.
    assert Client().get(f"/media_proxy/{media.pk}/original").status_code == 404
    assert "/media/1.png" not in served_paths(httpserver)


def test_media_of_other_servers_is_still_fetched(
    alice: User, httpserver: HTTPServer, make_actor: Callable[..., RemoteActor]
) -> None:
    block(reject_reports=True)  # a block without reject_media
    remote = make_actor()
    bob = resolve_account_url(remote.uri)
    Follow.objects.create(account=alice.account, target_account=bob)
    attachment = picture(httpserver, "/media/2.png")
    create = remote.activity("Create", note(remote, 2, attachment=[attachment]))
    assert remote.deliver(Client(), create).status_code == 202
    assert MediaAttachment.objects.get(remote_url=attachment["url"]).file


def flag(remote: RemoteActor, alice: User) -> dict[str, Any]:
    return remote.activity("Flag", [alice.account.uri], content="Spam")


def test_reports_from_a_server_rejecting_them_are_dropped(
    alice: User, make_actor: Callable[..., RemoteActor]
) -> None:
    remote = make_actor()
    assert remote.deliver(Client(), flag(remote, alice)).status_code == 202
    assert Report.objects.count() == 1

    block(reject_reports=True)
    again = remote.activity("Flag", [alice.account.uri], suffix="2", content="More spam")
    assert remote.deliver(Client(), again).status_code == 202
    assert Report.objects.count() == 1


def test_accounts_first_seen_after_a_limit_are_limited(
    alice: User, make_actor: Callable[..., RemoteActor]
) -> None:
    limit = block(severity="silence")
    remote = make_actor("newcomer")
    newcomer = resolve_account_url(remote.uri)
    assert newcomer.silenced_at == limit.updated_at

    # A limited stranger's mention waits behind a notification request.
    mention = note(remote, 3, tag=[{"type": "Mention", "href": alice.account.uri}])
    mention["content"] = '<p><a href="http://testserver/@alice">@alice</a> hi</p>'
    mention["cc"] = [alice.account.uri]
    assert remote.deliver(Client(), remote.activity("Create", mention)).status_code == 202
    held = Notification.objects.get(account=alice.account, from_account=newcomer)
    assert hasattr(held, "filtered")

    do_remove_domain_block(actor=None, block=limit)
    assert Account.objects.get(pk=newcomer.pk).silenced_at is None


@pytest.fixture
def flags(httpserver: HTTPServer) -> list[tuple[str, dict[str, Any], str]]:
    """(inbox path, activity, signature header) of each POST made to the remote server."""
    received: list[tuple[str, dict[str, Any], str]] = []

    def inbox(request: Request) -> Response:
        body = json.loads(request.get_data())
        received.append((request.path, body, request.headers.get("Signature", "")))
        return Response(status=202)

    httpserver.expect_request("/inbox", method="POST").respond_with_handler(inbox)
    for name in ("bob", "carol"):
        httpserver.expect_request(f"/users/{name}/inbox", method="POST").respond_with_handler(inbox)
    return received


def test_forwarded_report_goes_to_the_remote_server_as_a_flag(
    alice: User, make_actor: Callable[..., RemoteActor], flags: list[Any]
) -> None:
    bob = resolve_account_url(make_actor("bob").uri)
    post = Status.objects.create(
        account=bob, content="<p>spam</p>", local=False, uri=bob.uri + "/statuses/1"
    )
    ask = ReportRequest(comment="Spam everywhere", status_ids=[str(post.pk)], forward=True)
    report = do_create_report(reporter=alice.account, target=bob, ask=ask)
    assert report.forwarded

    [(path, activity, signature)] = flags
    assert path == "/users/bob/inbox"
    assert activity["type"] == "Flag" and activity["content"] == "Spam everywhere"
    assert activity["object"] == [bob.uri, post.uri]
    # The instance actor sends it: the reporter is not named anywhere.
    assert activity["actor"] == "http://testserver/actor"
    assert 'keyId="http://testserver/actor#main-key"' in signature
    assert alice.account.uri not in json.dumps(activity)


def test_unforwarded_report_stays_here_until_a_moderator_forwards_it(
    alice: User, make_user: Callable[..., User], make_actor: Callable[..., RemoteActor],
    flags: list[Any],
) -> None:  # fmt: skip
    bob = resolve_account_url(make_actor("bob").uri)
    carol = resolve_account_url(make_actor("carol").uri)
    mine = do_create_status(account=alice.account, data=StatusInput(text="hello"))
    reply = Status.objects.create(
        account=bob, content="<p>rude</p>", local=False, uri=bob.uri + "/statuses/2",
        in_reply_to=mine, in_reply_to_account=alice.account,
    )  # fmt: skip
    ask = ReportRequest(comment="Rude", status_ids=[str(reply.pk)])
    report = do_create_report(reporter=alice.account, target=bob, ask=ask)
    assert not report.forwarded and flags == []

    moderator = make_user("mod", role="moderator")
    do_forward_report(report=report, moderator=moderator.account)
    assert [(p, a["type"]) for p, a, _ in flags] == [("/users/bob/inbox", "Flag")]
    assert Report.objects.get(pk=report.pk).forwarded
    assert carol.domain == bob.domain  # same server: one Flag, to the reported account


def test_report_about_a_local_account_is_never_forwarded(
    alice: User, make_user: Callable[..., User], flags: list[Any]
) -> None:
    carol = make_user("carol")
    report = do_create_report(
        reporter=alice.account, target=carol.account, ask=ReportRequest(forward=True)
    )
    assert not report.forwarded and flags == []
    with pytest.raises(Exception, match="remote"):
        do_forward_report(report=report, moderator=alice.account)

"""Instance-wide domain blocks and limited federation mode, checked from the blocked side (the
inbox refuses them, their accounts vanish from timelines, follows are severed) and from the
public list's readers."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import Account, Follow, Role, User
from federation.policy import domain_blocked
from moderation.models import AuditLog, DomainBlock, InstanceSettings
from moderation.services.domain_blocks import (
    DomainBlockRequest,
    do_allow_domain,
    do_remove_domain_block,
    do_save_domain_block,
)
from tests.api.accounts_support import remote_account
from tests.moderation.actions_support import bearer, public_ids
from timelines.models import Status

MakeUser = Callable[..., User]
SIGNATURE = (
    'keyId="https://{host}/users/troll#main-key",algorithm="rsa-sha256",'
    'headers="(request-target) host date digest",signature="c2lnbmF0dXJl"'
)


def remote_post(account: Account, n: int) -> Status:
    return Status.objects.create(
        account=account, content="<p>hi</p>", local=False, uri=f"https://{account.domain}/notes/{n}"
    )


def block(domain: str, severity: str = "suspend", **options: object) -> DomainBlock:
    ask = DomainBlockRequest(domain=domain, severity=severity, **options)  # type: ignore[arg-type]
    return do_save_domain_block(actor=None, ask=ask)


def inbox_post(host: str) -> int:
    response = Client().post(
        "/inbox",
        data=b'{"type": "Create"}',
        content_type="application/activity+json",
        HTTP_SIGNATURE=SIGNATURE.format(host=host),
        HTTP_DATE=timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT"),
    )
    return response.status_code


def test_suspended_domain_is_refused_hidden_and_unfollowed(alice: User) -> None:
    troll = remote_account("troll", "bad.example")
    sub = remote_account("imp", "cave.bad.example")
    friend = remote_account("friend", "good.example")
    statuses = [remote_post(troll, 1), remote_post(sub, 2), remote_post(friend, 3)]
    Follow.objects.create(account=alice.account, target_account=troll)
    Follow.objects.create(account=troll, target_account=alice.account)
    assert inbox_post("bad.example") == 401  # refused for its signature, not its domain

    blocked = block("Bad.Example", private_comment="Harassment campaign")

    assert inbox_post("bad.example") == 403
    assert inbox_post("cave.bad.example") == 403
    assert inbox_post("good.example") == 401
    assert Account.objects.get(pk=troll.pk).suspended_at is not None
    assert Account.objects.get(pk=sub.pk).suspended_at is not None
    assert not Follow.objects.filter(account__domain__endswith="bad.example").exists()
    assert not Follow.objects.filter(target_account__domain__endswith="bad.example").exists()
    assert public_ids() == [str(statuses[2].pk)]
    assert AuditLog.objects.get().reason == "Harassment campaign"

    do_remove_domain_block(actor=None, block=blocked)
    assert inbox_post("bad.example") == 401
    assert Account.objects.get(pk=troll.pk).suspended_at is None
    assert len(public_ids()) == 3


def test_lifting_a_block_keeps_separate_suspensions() -> None:
    troll = remote_account("troll", "bad.example")
    earlier = timezone.now() - timedelta(days=1)
    Account.objects.filter(pk=troll.pk).update(suspended_at=earlier)
    blocked = block("bad.example")
    do_remove_domain_block(actor=None, block=blocked)
    assert Account.objects.get(pk=troll.pk).suspended_at == earlier


def test_limited_domain_leaves_public_timelines_but_federates(bob: User) -> None:
    loud = remote_account("loud", "noisy.example")
    status = remote_post(loud, 1)
    block("noisy.example", severity="silence")
    assert str(status.pk) not in public_ids()
    assert str(status.pk) not in public_ids(bearer(bob))
    assert not domain_blocked("noisy.example")


def test_limited_federation_mode_lets_only_allowed_servers_in() -> None:
    settings = InstanceSettings.current()
    settings.limited_federation_mode = True
    settings.save()
    do_allow_domain(actor=None, domain="friends.example")
    assert domain_blocked("strangers.example")
    assert not domain_blocked("friends.example")
    assert not domain_blocked("social.friends.example")
    assert inbox_post("strangers.example") == 403
    assert inbox_post("friends.example") == 401


def test_bad_block_input_is_refused() -> None:
    for domain in ("", "   ", "no dots", "localhost"):
        with pytest.raises(ValidationError):
            block(domain)
    with pytest.raises(ValidationError):
        block("fine.example", severity="obliterate")
    block("fine.example")
    with pytest.raises(ValidationError):
        block("FINE.example.")
    assert DomainBlock.objects.count() == 1


def set_visibility(blocks: str, rationale: str) -> None:
    settings = InstanceSettings.current()
    settings.show_domain_blocks = blocks
    settings.show_domain_blocks_rationale = rationale
    settings.save()


def test_public_list_follows_the_admins_visibility_setting(alice: User) -> None:
    block("bad.example", public_comment="Spam")
    block("secretive.example", obfuscate=True, severity="silence")
    block("quiet.example", severity="noop")  # no user-facing limitation: not listed
    url = "/api/v1/instance/domain_blocks"
    assert Client().get(url).status_code == 404  # hidden by default

    set_visibility("users", "disabled")
    assert Client().get(url).status_code == 404
    listed = bearer(alice).get(url).json()
    assert [b["domain"] for b in listed] == ["bad.example", "secre****.***mple"]
    assert "comment" not in listed[0] and len(listed[0]["digest"]) == 64

    set_visibility("all", "all")
    listed = Client().get(url).json()
    assert listed[0] == {
        "domain": "bad.example",
        "severity": "suspend",
        "comment": "Spam",
        "digest": listed[0]["digest"],
    }
    assert "secretive.example" not in str(listed)
    about = Client().get("/about").content.decode()
    assert "bad.example" in about and "Spam" in about and "secretive.example" not in about


def test_only_admins_block_domains_in_the_admin_panel(
    make_user: MakeUser, client_for: Callable[[User], Client]
) -> None:
    troll = remote_account("troll", "bad.example")
    moderator, admin = make_user("warden", role=Role.MODERATOR), make_user("chief", role=Role.ADMIN)
    form = {"domain": "BAD.example", "severity": "suspend", "private_comment": "spam"}
    assert client_for(moderator).post("/admin/moderation/domainblock/add/", form).status_code == 403
    assert client_for(admin).post("/admin/moderation/domainblock/add/", form).status_code == 302
    assert DomainBlock.objects.get().domain == "bad.example"
    assert Account.objects.get(pk=troll.pk).suspended_at is not None
    assert AuditLog.objects.get().account == admin.account

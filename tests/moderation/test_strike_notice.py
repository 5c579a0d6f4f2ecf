"""The user a moderator acted on is told in the apps (a moderation_warning notification with
Mastodon's AccountWarning entity) and on every web page (a banner until they open it)."""

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Role, User
from moderation.models import AccountWarning
from moderation.services.account_actions import ActionRequest, do_account_action
from moderation.services.appeals import do_create_appeal
from tests.moderation.actions_support import bearer, json_of, post
from timelines.models import Notification

MakeUser = Callable[..., User]


@pytest.fixture
def moderator(make_user: MakeUser) -> User:
    return make_user("warden", role=Role.MODERATOR)


def warn(moderator: User, target: User, **kwargs: object) -> AccountWarning:
    ask = ActionRequest(type="none", **kwargs)  # type: ignore[arg-type]
    return do_account_action(moderator=moderator.account, target=target.account, ask=ask)


def test_strike_arrives_as_a_moderation_warning_notification(alice: User, moderator: User) -> None:
    bad = post(alice.account, "buy my pills")
    strike = warn(moderator, alice, text="No spam here.", status_ids=[bad.pk])
    do_create_appeal(account=alice.account, strike=strike, text="It was a joke.")

    app = bearer(alice, "read")
    [notification] = json_of(app.get("/api/v1/notifications"))
    assert notification["type"] == "moderation_warning"
    assert notification["account"]["username"] == "actor"  # the server itself
    warning = notification["moderation_warning"]
    assert warning["id"] == str(strike.pk) and warning["action"] == "none"
    assert warning["text"] == "No spam here."
    assert warning["status_ids"] == [str(bad.pk)]
    assert warning["target_account"]["id"] == str(alice.account.pk)
    assert warning["appeal"] == {"text": "It was a joke.", "state": "pending"}

    grouped = json_of(app.get("/api/v2/notifications"))
    [group] = grouped["notification_groups"]
    assert group["type"] == "moderation_warning"
    assert group["moderation_warning"]["id"] == str(strike.pk)


def test_no_notification_when_the_moderator_chose_not_to_tell(alice: User, moderator: User) -> None:
    warn(moderator, alice, text="Quiet note.", send_email=False)
    assert not Notification.objects.filter(account=alice.account).exists()


def test_banner_shows_on_every_page_until_the_strike_is_opened(
    alice: User, moderator: User, client_for: Callable[[User], Client]
) -> None:
    browser = client_for(alice)
    assert "strike-banner" not in browser.get("/about").content.decode()
    strike = warn(moderator, alice, text="Be nice.")
    for path in ("/about", "/disputes"):
        page = browser.get(path).content.decode()
        assert "strike-banner" in page and f"/disputes/{strike.pk}" in page

    assert "Be nice." in browser.get(f"/disputes/{strike.pk}").content.decode()
    assert "strike-banner" not in browser.get("/about").content.decode()

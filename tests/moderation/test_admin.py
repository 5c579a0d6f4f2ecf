"""The admin panel: the registration switch, instance settings, the approval queue, roles,
invites and posts, each seen by owners, admins, moderators and everyone else."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Account, Role, User
from accounts.services.registration import do_create_local_account
from moderation.models import InstanceSettings, Invite, RegistrationMode, Rule
from tests.conftest import PASSWORD
from timelines.models import Status

SWITCH = "/admin/moderation/instancesettings/registrations/"
SETTINGS = "/admin/moderation/instancesettings/1/change/"
USERS = "/admin/accounts/user/"
REASON = "I keep goats and want to talk about them."
MakeUser = Callable[..., User]
ClientFor = Callable[[User], Client]


@pytest.fixture
def owner(make_user: MakeUser) -> User:
    return make_user("boss", role=Role.OWNER)


@pytest.fixture
def admin_user(make_user: MakeUser) -> User:
    return make_user("chief", role=Role.ADMIN)


@pytest.fixture
def moderator(make_user: MakeUser) -> User:
    return make_user("warden", role=Role.MODERATOR)


@pytest.fixture
def applicant() -> User:
    return do_create_local_account(
        username="goatherd",
        email="goatherd@example.com",
        password=PASSWORD,
        confirmed=True,
        approved=False,
        sign_up_reason=REASON,
    )


def mode() -> str:
    return InstanceSettings.current().registrations_mode


def sign_up(client: Client, username: str) -> Any:
    return client.post(
        "/auth/sign_up",
        {"username": username, "email": f"{username}@example.com", "password": PASSWORD,
         "password_confirmation": PASSWORD, "agreement": "on", "reason": "Goats"},
    )  # fmt: skip


def act(client: Client, action: str, *users: User) -> Any:
    """Run a changelist action on the users, as the admin's "Go" button does."""
    data = {"action": action, "index": "0", "_selected_action": [str(u.pk) for u in users]}
    return client.post(USERS, data, follow=True)


def settings_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Herd", "short_description": "", "description": "", "contact_account": "",
        "contact_email": "", "registrations_mode": "open", "character_limit": "500",
        "_save": "Save",
    }  # fmt: skip
    data.update(overrides)
    return data


# --- the registration switch on the index page ------------------------------------------------


def test_index_buttons_switch_registration_mode(owner: User, client_for: ClientFor) -> None:
    client = client_for(owner)
    page = client.get("/admin/").content.decode()
    assert 'id="registrations-module"' in page and 'data-mode="open"' in page
    assert 'name="mode" value="none"' in page
    assert "/admin/auth/group/" not in page  # roles, not groups

    response = client.post(SWITCH, {"mode": "none"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert mode() == RegistrationMode.NONE
    page = client.get("/admin/").content.decode()
    assert "Registrations are now: Closed" in page and 'data-mode="none"' in page

    visitor = Client()
    assert b"Registrations are closed" in visitor.get("/auth/sign_up").content
    response = sign_up(visitor, "latecomer")
    assert response.status_code == 403 and b"Registrations are closed" in response.content
    assert not Account.objects.filter(username="latecomer").exists()

    client.post(SWITCH, {"mode": "approved"})
    sign_up(visitor, "applicant")
    assert User.objects.get(account__username="applicant").approved is False

    client.post(SWITCH, {"mode": "open"})
    sign_up(Client(), "newcomer")
    assert User.objects.get(account__username="newcomer").approved is True


def test_switch_needs_a_csrf_token_a_post_and_a_known_mode(owner: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(SWITCH, {"mode": "none"}).status_code == 403
    assert mode() == RegistrationMode.OPEN

    client = Client()
    client.force_login(owner)
    assert client.get(SWITCH).status_code == 405
    page = client.post(SWITCH, {"mode": "sometimes"}, follow=True).content.decode()
    assert "Unknown registration mode" in page and mode() == RegistrationMode.OPEN


def test_non_staff_are_sent_to_log_in(alice: User, client_for: ClientFor) -> None:
    for client in (Client(), client_for(alice)):
        response = client.get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert client.post(SWITCH, {"mode": "none"}).status_code == 302
        assert client.get(USERS).status_code == 302
    assert mode() == RegistrationMode.OPEN


def test_admin_login_is_rate_limited(owner: User) -> None:
    client = Client()
    for _ in range(25):
        client.post("/admin/login/", {"username": "boss@example.com", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "boss@example.com", "password": PASSWORD})
    assert response.status_code == 429


# --- instance settings ------------------------------------------------------------------------


def test_admin_edits_the_one_settings_row(admin_user: User, client_for: ClientFor) -> None:
    client = client_for(admin_user)
    response = client.get("/admin/moderation/instancesettings/")
    assert response.status_code == 302 and response["Location"] == SETTINGS
    assert client.get("/admin/moderation/instancesettings/add/").status_code == 403
    assert client.get("/admin/moderation/instancesettings/1/delete/").status_code == 403
    assert 'type="radio" name="registrations_mode"' in client.get(SETTINGS).content.decode()

    data = settings_form(
        title="Goat Herd", contact_account=str(admin_user.account.pk), contact_email="a@b.org",
        registrations_mode="approved", require_sign_up_reason="on", character_limit="1000",
    )  # fmt: skip
    assert client.post(SETTINGS, data).status_code == 302
    settings = InstanceSettings.current()
    assert (settings.title, settings.registrations_mode, settings.character_limit) == (
        "Goat Herd", RegistrationMode.APPROVED, 1000
    )  # fmt: skip
    assert settings.require_sign_up_reason and settings.contact_account == admin_user.account

    Account.objects.create(username="chieftain", domain="remote.example")
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "moderation", "model_name": "instancesettings",
         "field_name": "contact_account", "term": "chief"},
    ).json()  # fmt: skip
    assert [r["text"] for r in found["results"]] == ["chief"]  # local accounts only

    response = client.post(SETTINGS, settings_form(character_limit="0"))
    assert response.status_code == 200 and InstanceSettings.current().character_limit == 1000


def test_moderators_see_but_cannot_change_settings(moderator: User, client_for: ClientFor) -> None:
    client = client_for(moderator)
    page = client.get("/admin/").content.decode()
    assert 'id="registrations-module"' in page and 'name="mode"' not in page
    assert client.post(SWITCH, {"mode": "none"}).status_code == 403
    page = client.get(SETTINGS).content.decode()
    assert "Herd" in page and 'name="title"' not in page
    assert client.post(SETTINGS, settings_form(title="Mine")).status_code == 403
    assert client.get("/admin/moderation/rule/add/").status_code == 403
    assert client.get("/admin/moderation/invite/add/").status_code == 403
    assert (mode(), InstanceSettings.current().title) == (RegistrationMode.OPEN, "Herd")


def test_rules_are_written_by_admins(admin_user: User, client_for: ClientFor) -> None:
    client = client_for(admin_user)
    data = {"text": "Be kind to goats", "hint": "", "priority": "1", "_save": "Save"}
    assert client.post("/admin/moderation/rule/add/", data).status_code == 302
    assert Rule.objects.get().text == "Be kind to goats"


# --- the approval queue and user actions -----------------------------------------------------


def test_pending_filter_shows_applicants_with_their_reason(
    moderator: User, alice: User, applicant: User, client_for: ClientFor
) -> None:
    page = client_for(moderator).get(USERS, {"status": "pending"}).content.decode()
    assert "goatherd" in page and REASON in page and "alice@example.com" not in page
    detail = client_for(moderator).get(f"{USERS}{applicant.pk}/change/").content.decode()
    assert REASON in detail


def test_approving_emails_the_applicant(
    moderator: User, applicant: User, client_for: ClientFor
) -> None:
    page = act(client_for(moderator), "approve", applicant).content.decode()
    assert "Approved 1 user(s)." in page
    applicant.refresh_from_db()
    assert applicant.approved
    assert [m.to for m in mail.outbox] == [["goatherd@example.com"]]


def test_rejecting_deletes_and_emails_the_applicant(
    admin_user: User, alice: User, applicant: User, client_for: ClientFor
) -> None:
    page = act(client_for(admin_user), "reject", applicant, alice).content.decode()
    assert "Rejected 1 user(s)." in page and "Only pending applications" in page
    assert not Account.objects.filter(username="goatherd").exists()
    assert User.objects.filter(pk=alice.pk).exists()
    assert [m.to for m in mail.outbox] == [["goatherd@example.com"]]


def test_disabling_respects_rank(
    admin_user: User, owner: User, alice: User, client_for: ClientFor
) -> None:
    client = client_for(admin_user)
    page = act(client, "disable", alice, owner).content.decode()
    assert "Disabled 1 user(s)." in page and "only a higher role can do this" in page
    alice.refresh_from_db()
    owner.refresh_from_db()
    assert alice.disabled and not owner.disabled
    assert not alice.is_active

    act(client, "enable", alice)
    alice.refresh_from_db()
    assert not alice.disabled


def test_confirming_email_addresses(
    admin_user: User, make_user: MakeUser, client_for: ClientFor
) -> None:
    carol = make_user("carol", confirmed=False)
    act(client_for(admin_user), "confirm_email", carol)
    carol.refresh_from_db()
    assert carol.confirmed


def test_users_are_not_added_and_passwords_not_shown(
    owner: User, alice: User, client_for: ClientFor
) -> None:
    client = client_for(owner)
    assert client.get(f"{USERS}add/").status_code == 403
    page = client.get(f"{USERS}{alice.pk}/change/").content.decode()
    assert 'name="password"' not in page and alice.password not in page
    assert client.get(f"{USERS}{alice.pk}/delete/").status_code == 403


# --- roles ------------------------------------------------------------------------------------


def change_user(client: Client, user: User, **fields: str) -> Any:
    data = {"email": user.email, "role": user.role, "_save": "Save"}
    data.update(fields)
    return client.post(f"{USERS}{user.pk}/change/", data)


def test_admins_grant_only_roles_below_their_own(
    admin_user: User, owner: User, alice: User, bob: User, client_for: ClientFor
) -> None:
    client = client_for(admin_user)
    assert change_user(client, alice, role=Role.MODERATOR).status_code == 302
    response = change_user(client, bob, role=Role.ADMIN)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    # An owner's row is out of an admin's reach, email included.
    assert 'name="email"' not in client.get(f"{USERS}{owner.pk}/change/").content.decode()
    assert change_user(client, owner, role=Role.USER, email="mine@example.com").status_code == 403
    assert change_user(client, admin_user, role=Role.OWNER).status_code == 403
    roles = dict(User.objects.values_list("account__username", "role"))
    assert roles == {"chief": "admin", "boss": "owner", "alice": "moderator", "bob": "user"}


def test_owners_grant_any_role_but_not_to_themselves(
    owner: User, alice: User, client_for: ClientFor
) -> None:
    client = client_for(owner)
    assert change_user(client, alice, role=Role.ADMIN).status_code == 302
    assert change_user(client, owner, role=Role.USER).status_code == 403
    roles = dict(User.objects.values_list("account__username", "role"))
    assert roles == {"boss": "owner", "alice": "admin"}


def test_moderators_cannot_change_users(
    moderator: User, alice: User, client_for: ClientFor
) -> None:
    client = client_for(moderator)
    assert change_user(client, alice, role=Role.MODERATOR).status_code == 403
    alice.refresh_from_db()
    assert alice.role == Role.USER


def test_email_changes_are_checked(
    admin_user: User, alice: User, bob: User, client_for: ClientFor
) -> None:
    client = client_for(admin_user)
    response = change_user(client, alice, email="BOB@example.com")
    assert response.status_code == 200 and "already in use" in response.content.decode()
    assert change_user(client, alice, email="alice@goats.org").status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@goats.org"


# --- invites, posts, accounts -----------------------------------------------------------------


def test_invite_made_in_admin_shows_its_link(admin_user: User, client_for: ClientFor) -> None:
    client = client_for(admin_user)
    data = {"max_uses": "5", "expires_in": "86400", "comment": "for the goat club",
            "_save": "Save"}  # fmt: skip
    page = client.post("/admin/moderation/invite/add/", data, follow=True).content.decode()
    invite = Invite.objects.get()
    assert (invite.user, invite.max_uses, invite.comment) == (admin_user, 5, "for the goat club")
    assert invite.expires_at is not None
    assert invite.expires_at - timezone.now() > timedelta(hours=23)
    url = f"http://testserver/invite/{invite.code}"
    assert url in page
    assert url in client.get("/admin/moderation/invite/").content.decode()

    expire = {"action": "expire", "index": "0", "_selected_action": [str(invite.pk)]}
    client.post("/admin/moderation/invite/", expire)
    invite.refresh_from_db()
    assert not invite.valid_for_use


def test_invites_need_at_least_one_use(admin_user: User, client_for: ClientFor) -> None:
    data = {"max_uses": "0", "expires_in": "", "_save": "Save"}
    response = client_for(admin_user).post("/admin/moderation/invite/add/", data)
    assert response.status_code == 200 and not Invite.objects.exists()


def test_posts_are_read_by_staff_and_removed_by_admins(
    moderator: User, admin_user: User, alice: User, client_for: ClientFor
) -> None:
    status = Status.objects.create(account=alice.account, text="goats are great")
    page = client_for(moderator).get("/admin/timelines/status/").content.decode()
    assert "goats are great" in page
    delete = f"/admin/timelines/status/{status.pk}/delete/"
    assert client_for(moderator).post(delete, {"post": "yes"}).status_code == 403
    assert client_for(admin_user).post(delete, {"post": "yes"}).status_code == 302
    assert not Status.objects.filter(pk=status.pk).exists()


def test_accounts_are_read_only_and_keep_their_private_key(
    admin_user: User, alice: User, client_for: ClientFor
) -> None:
    client = client_for(admin_user)
    page = client.get(f"/admin/accounts/account/{alice.account.pk}/change/").content.decode()
    assert "alice" in page and "PRIVATE KEY" not in page and 'name="display_name"' not in page
    assert client.get("/admin/accounts/account/", {"q": "alic"}).status_code == 200

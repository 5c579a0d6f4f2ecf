"""`manage.py accounts`: creating and changing local accounts at a shell."""

import os
import re
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import Account, Role, User
from moderation.models import InstanceSettings, RegistrationMode
from tests.conftest import PASSWORD

MakeUser = Callable[..., User]


def run(*args: str) -> str:
    out = StringIO()
    call_command("accounts", *args, stdout=out)
    return out.getvalue()


def new_password(output: str) -> str:
    match = re.search(r"^New password: (\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_create_with_a_generated_password() -> None:
    output = run("create", "carol", "--email", "carol@example.com", "--confirmed",
                 "--role", "admin")  # fmt: skip
    user = User.objects.select_related("account").get(account__username="carol")
    assert user.check_password(new_password(output))
    assert (user.role, user.confirmed, user.approved) == (Role.ADMIN, True, True)
    assert user.is_superuser and "BEGIN PRIVATE KEY" in user.account.private_key
    assert not mail.outbox  # confirmed: no link to send


def test_create_unconfirmed_sends_the_link() -> None:
    output = run("create", "dave", "--email", "dave@example.com", "--password", PASSWORD)
    assert "New password" not in output and "confirmation link" in output
    user = User.objects.get(email="dave@example.com")
    assert user.check_password(PASSWORD) and not user.confirmed and user.role == Role.USER
    assert [m.to for m in mail.outbox] == [["dave@example.com"]]


def test_create_follows_the_approval_mode_unless_told_to_approve() -> None:
    settings = InstanceSettings.current()
    settings.registrations_mode = RegistrationMode.APPROVED
    settings.save()
    output = run("create", "erin", "--email", "erin@example.com", "--confirmed")
    assert "waits for it" in output
    run("create", "frank", "--email", "frank@example.com", "--confirmed", "--approve")
    approved = dict(User.objects.values_list("account__username", "approved"))
    assert approved == {"erin": False, "frank": True}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Alice", "--email", "new@example.com"], "Username: This username is taken."),
        (["admin", "--email", "new@example.com"], "Username: This username is reserved."),
        (["bad name", "--email", "new@example.com"], "Username: Only letters"),
        (["x" * 31, "--email", "new@example.com"], "at most 30 characters"),
        (["carol", "--email", "ALICE@example.com"], "Email: This email address is already"),
        (["carol", "--email", "not-an-email"], "Email: Enter a valid email address."),
        (["carol", "--email", "c@example.com", "--password", "12345678"], "Password: This "),
        (["carol", "--email", "c@example.com", "--role", "king"], "invalid choice: 'king'"),
        (["carol"], "--email"),
    ],
)
def test_create_refuses_bad_input_and_stores_nothing(
    alice: User, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        run("create", *args)
    assert list(Account.objects.values_list("username", flat=True)) == ["alice"]
    assert not mail.outbox


def test_create_reports_every_problem_at_once(alice: User) -> None:
    with pytest.raises(CommandError) as caught:
        run("create", "alice", "--email", "alice@example.com", "--password", "password")
    assert [line.split(":")[0] for line in str(caught.value).splitlines()] == [
        "Username", "Email", "Password"
    ]  # fmt: skip


def test_modify_role_confirm_approve_and_email(make_user: MakeUser) -> None:
    make_user("carol", confirmed=False, approved=False)
    mail.outbox.clear()  # the confirmation link sent at creation
    output = run("modify", "@Carol", "--role", "moderator", "--confirm", "--approve",
                 "--email", "carol@goats.org")  # fmt: skip
    assert "OK" in output
    user = User.objects.get(account__username="carol")
    assert (user.role, user.email, user.confirmed, user.approved) == (
        Role.MODERATOR, "carol@goats.org", True, True
    )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["carol@goats.org"]]  # told of the approval


def test_modify_disable_enable_and_reset_password(alice: User) -> None:
    run("modify", "alice", "--disable")
    alice.refresh_from_db()
    assert alice.disabled and not alice.is_active
    output = run("modify", "alice", "--enable", "--reset-password")
    alice.refresh_from_db()
    assert not alice.disabled and alice.check_password(new_password(output))
    assert not alice.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--confirm"], "No local account is named nobody."),
        (["alice"], "Nothing to change"),
        (["alice", "--disable", "--enable"], "not allowed with argument"),
        (["alice", "--role", "emperor"], "invalid choice: 'emperor'"),
        (["alice", "--role", "admin", "--email", "bob@example.com"], "already in use"),
    ],
)
def test_modify_refuses_bad_input_and_changes_nothing(
    alice: User, bob: User, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        run("modify", *args)
    alice.refresh_from_db()
    assert (alice.role, alice.email, alice.disabled) == (Role.USER, "alice@example.com", False)


def test_delete(alice: User, bob: User) -> None:
    assert "OK" in run("delete", "alice")
    assert list(Account.objects.values_list("username", flat=True)) == ["bob"]
    with pytest.raises(CommandError, match="No local account"):
        run("delete", "alice")


def test_errors_exit_non_zero_from_the_shell(alice: User) -> None:
    """The way an operator meets it: a message on stderr and a failing exit status."""
    db = connection.settings_dict
    env = {
        **os.environ,
        # The test database, whose rows this test commits, not the one the settings name.
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
        f"/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    result = subprocess.run(
        [sys.executable, str(manage), "accounts", "create", "alice", "--email", "x@y.org"],
        capture_output=True, text=True, cwd=manage.parent, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result
    assert "Username: This username is taken." in result.stderr
    assert not User.objects.filter(email="x@y.org").exists()

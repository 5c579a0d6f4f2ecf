"""`manage.py accounts`: create and change local accounts at a shell, as Mastodon's
`tootctl accounts` does. Every change goes through the same services as the web and admin."""

import secrets
from argparse import ArgumentParser
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Role, User
from accounts.services.profile import do_set_password
from accounts.services.registration import (
    check_email,
    check_password,
    check_username,
    do_approve_user,
    do_confirm_email,
    do_create_local_account,
)
from moderation.services.registrations import (
    do_delete_local_account,
    do_disable_user,
    do_enable_user,
    do_set_email,
    do_set_role,
)


def generate_password() -> str:
    return secrets.token_urlsafe(18)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


class Command(BaseCommand):
    help = "Create, change and delete local accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        create = sub.add_parser("create", help="Create a local account.")
        create.add_argument("username")
        create.add_argument("--email", required=True)
        create.add_argument("--password", help="Default: a generated password, printed once.")
        create.add_argument("--confirmed", action="store_true", help="Skip the confirmation email.")
        create.add_argument("--role", choices=Role.values, default=Role.USER)
        create.add_argument(
            "--approve",
            action="store_true",
            help="Approve at once even when registrations require approval.",
        )

        modify = sub.add_parser("modify", help="Change a local account.")
        modify.add_argument("username")
        modify.add_argument("--role", choices=Role.values)
        modify.add_argument("--email", help="Takes effect at once, without confirmation.")
        modify.add_argument("--confirm", action="store_true", help="Confirm the email address.")
        modify.add_argument("--approve", action="store_true", help="Approve a pending user.")
        state = modify.add_mutually_exclusive_group()
        state.add_argument("--disable", action="store_true", help="Forbid logging in.")
        state.add_argument("--enable", action="store_true", help="Allow logging in again.")
        modify.add_argument(
            "--reset-password", action="store_true", help="Set and print a new password."
        )

        delete = sub.add_parser("delete", help="Delete a local account and all it posted.")
        delete.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"create": self.create, "modify": self.modify, "delete": self.delete}
        try:
            handler[options["action"]](options)
        except ValidationError as error:
            raise CommandError("\n".join(_messages(error))) from error

    def create(self, options: dict[str, Any]) -> None:
        username = options["username"].strip().lstrip("@")
        email = options["email"].strip()
        password = options["password"]
        checks: list[tuple[str, Callable[[], None]]] = [
            ("Username", partial(check_username, username)),
            ("Email", partial(check_email, email)),
        ]
        if password:
            checks.append(
                ("Password", partial(check_password, password, username=username, email=email))
            )
        errors: list[str] = []
        # Every problem at once, so that one run shows all there is to fix.
        for label, check in checks:
            try:
                check()
            except ValidationError as error:
                errors.extend(f"{label}: {message}" for message in _messages(error))
        if errors:
            raise CommandError("\n".join(errors))
        generated = None if password else generate_password()
        user = do_create_local_account(
            username=username,
            email=email,
            password=password or generated,
            role=options["role"],
            confirmed=options["confirmed"],
            approved=True if options["approve"] else None,
        )
        self.stdout.write(self.style.SUCCESS(f"OK: created {username} ({user.role})"))
        if generated:
            self.stdout.write(f"New password: {generated}")
        if not user.confirmed:
            self.stdout.write(f"A confirmation link was emailed to {email}.")
        if not user.approved:
            self.stdout.write(
                "Registrations require approval, so the account waits for it: "
                "approve it with `accounts modify --approve` or create it with --approve."
            )

    def modify(self, options: dict[str, Any]) -> None:
        user = self._find(options["username"])
        wanted = ("role", "email", "confirm", "approve", "disable", "enable", "reset_password")
        if not any(options[name] for name in wanted):
            raise CommandError("Nothing to change: give at least one option (see --help).")
        password = None
        # All or nothing: a refused option undoes the ones before it.
        with transaction.atomic():
            if options["email"]:
                do_set_email(user=user, email=options["email"].strip())
            if options["role"]:
                do_set_role(actor=None, user=user, role=options["role"])
            if options["confirm"] and not user.confirmed:
                do_confirm_email(user=user, email=user.email)
            if options["approve"]:
                do_approve_user(user=user)
            if options["disable"]:
                do_disable_user(actor=None, user=user)
            if options["enable"]:
                do_enable_user(actor=None, user=user)
            if options["reset_password"]:
                password = generate_password()
                do_set_password(user=user, password=password)
        self.stdout.write(self.style.SUCCESS(f"OK: {user.account.username} changed"))
        if password:
            self.stdout.write(f"New password: {password}")

    def delete(self, options: dict[str, Any]) -> None:
        user = self._find(options["username"])
        do_delete_local_account(actor=None, user=user)
        self.stdout.write(self.style.SUCCESS(f"OK: deleted {user.account.username}"))

    def _find(self, username: str) -> User:
        user = (
            User.objects.select_related("account")
            .filter(account__username__iexact=username.lstrip("@"), account__domain__isnull=True)
            .first()
        )
        if user is None:
            raise CommandError(f"No local account is named {username}.")
        return user

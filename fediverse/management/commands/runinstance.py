"""Run a whole instance on one machine: Redis (embedded unless REDIS_URL is set), migrations,
the first owner account, a Celery worker, Celery beat and the ASGI web server."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fediverse.celery import QUEUES
from fediverse.management.embedded_redis import EmbeddedRedis
from fediverse.management.processes import Supervisor

# Stopped in this order's reverse: the web server first, so no request enqueues work that
# the worker would no longer take, and the worker last, after finishing its current tasks.
STOP_TIMEOUTS = {"worker": 60.0, "beat": 10.0, "web": 15.0}


def _public_host(host: str) -> str:
    return "localhost" if host in ("", "0.0.0.0", "::", "127.0.0.1", "::1") else host


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as error:
        raise CommandError(
            f"Cannot listen on {host}:{port} ({error.strerror}). Stop what uses the port or "
            "choose another with --port."
        ) from error


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((_public_host(host), port), timeout=0.5):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = (
        "Run a single-machine instance: an embedded Redis (unless REDIS_URL is set), "
        "migrations, a Celery worker and beat, and the web server, until Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("BIND", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        # The setup step runs in a child so that it sees the same Redis as the services.
        parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if options["prepare_only"]:
            self.prepare(login_url=f"http://{_public_host(host)}:{port}/auth/sign_in")
            return
        _check_port_free(host, port)
        env = dict(os.environ)
        redis = None
        if not env.get("REDIS_URL"):
            redis = EmbeddedRedis(settings.DATA_DIR / "redis")
            try:
                env["REDIS_URL"] = redis.start()
            except RuntimeError as error:
                redis.stop()
                raise CommandError(str(error)) from error
            env.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
        supervisor = Supervisor(env=env, cwd=settings.BASE_DIR)
        signal.signal(signal.SIGINT, supervisor.request_stop)
        signal.signal(signal.SIGTERM, supervisor.request_stop)
        try:
            failure = self.run(supervisor, host, port)
        finally:
            self.say("Stopping ...")
            supervisor.stop_all(STOP_TIMEOUTS)
            if redis is not None:
                redis.stop()
        if failure:
            raise CommandError(failure)
        self.say("Stopped.")

    def run(self, supervisor: Supervisor, host: str, port: int) -> str | None:
        """Run until asked to stop (None) or until a child exits (a message saying which)."""
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        prepare = [*manage, "runinstance", "--prepare-only", "--host", host, "--port", str(port)]
        supervisor.start("prepare", prepare)
        while supervisor.children["prepare"].poll() is None:
            if supervisor.stop_requested:
                return None
            time.sleep(0.2)
        if supervisor.children.pop("prepare").returncode != 0:
            return "Preparing the instance failed; see the messages above."
        celery = [sys.executable, "-m", "celery", "-A", "fediverse"]
        log_level = os.environ.get("LOG_LEVEL", "INFO")
        supervisor.start(
            "worker",
            [*celery, "worker", "-Q", ",".join(QUEUES), "--pool", "threads", "--concurrency"]
            + ["4", "--loglevel", log_level, "--without-gossip", "--without-mingle"],
        )
        schedule = str(settings.DATA_DIR / "celerybeat-schedule")
        supervisor.start("beat", [*celery, "beat", "-s", schedule, "--loglevel", log_level])
        supervisor.start(
            "web",
            [sys.executable, "-m", "uvicorn", "fediverse.asgi:application", "--host", host]
            + ["--port", str(port), "--lifespan", "off"],
        )
        announced = False
        while not supervisor.stop_requested:
            exited = supervisor.exited()
            if exited is not None:
                return f"The {exited[0]} process exited unexpectedly (code {exited[1]})."
            if not announced and _listening(host, port):
                self.say(f"Herd is running at http://{_public_host(host)}:{port}/ (Ctrl-C stops)")
                self.warn_about_domain(port)
                announced = True
            time.sleep(0.3)
        return None

    def warn_about_domain(self, port: int) -> None:
        if "FEDIVERSE_DOMAIN" not in os.environ and port != 8000:
            self.say(
                "Links in emails and ActivityPub ids use FEDIVERSE_DOMAIN="
                f"{settings.FEDIVERSE_DOMAIN}; set FEDIVERSE_DOMAIN=localhost:{port} to match."
            )

    def prepare(self, *, login_url: str) -> None:
        self.say("Migrating the database ...")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.ensure_owner(login_url)

    def ensure_owner(self, login_url: str) -> None:
        from accounts.models import Account, Role, User
        from accounts.services.registration import do_create_local_account

        if User.objects.filter(role=Role.OWNER).exists():
            self.say(f"Log in at {login_url}")
            return
        username = "admin"
        taken = Account.objects.filter(domain__isnull=True).values_list("username", flat=True)
        taken_names = {name.lower() for name in taken}
        for number in range(2, 1000):
            if username not in taken_names:
                break
            username = f"admin{number}"
        email = f"{username}@{settings.FEDIVERSE_DOMAIN.split(':')[0]}"
        password = secrets.token_urlsafe(18)
        do_create_local_account(
            username=username,
            email=email,
            password=password,
            role=Role.OWNER,
            confirmed=True,
            approved=True,
        )
        line = "=" * 72
        self.say(
            f"{line}\nCreated the owner account @{username}. Log in at {login_url}\n"
            f"    email:    {email}\n    password: {password}\n"
            f"The password is shown only this once: change it after logging in.\n{line}"
        )

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

"""docker-compose.yml must only run commands that exist in the code and set only the
environment variables that fediverse/settings.py reads."""

import ast
import importlib
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from celery import Celery
from django.conf import settings
from django.core.management import get_commands
from django.urls import resolve

from fediverse.celery import QUEUES

ROOT = Path(settings.BASE_DIR)
ENV_READERS = {"env_bool", "env_list", "os.environ.get"}


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def herd_services() -> dict[str, dict[str, Any]]:
    """The services that run our image (the others are PostgreSQL and Redis)."""
    return {
        name: service
        for name, service in compose()["services"].items()
        if "build" in service or service.get("image") == "herd"
    }


def command_of(service: dict[str, Any]) -> list[str]:
    command = service.get("command")
    if command is None:
        return dockerfile_cmd()
    return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]


def dockerfile_cmd() -> list[str]:
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return [str(arg) for arg in ast.literal_eval(line.removeprefix("CMD ").strip())]
    raise AssertionError("the Dockerfile has no CMD")


def settings_env_names() -> set[str]:
    """Names passed as the first argument of os.environ.get, os.environ[...], env_bool and
    env_list in the settings source."""
    tree = ast.parse((ROOT / "fediverse" / "settings.py").read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        key: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args and ast.unparse(node.func) in ENV_READERS:
            key = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def check_celery(args: list[str]) -> None:
    assert args[:2] == ["-A", "fediverse"], args
    app = importlib.import_module("fediverse.celery").app
    assert isinstance(app, Celery)
    assert args[2] in ("worker", "beat"), args
    if "-Q" in args:
        queues = args[args.index("-Q") + 1].split(",")
        assert set(queues) <= set(QUEUES), queues


def check_command(command: list[str]) -> None:
    program, *args = command
    if program == "celery":
        check_celery(args)
    elif program == "uvicorn":
        module, _, attribute = args[0].partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    elif program == "python" and args[0] == "manage.py":
        assert args[1] in get_commands(), f"no management command {args[1]!r}"
    else:
        raise AssertionError(f"unexpected command {command}")


def test_settings_reader_finds_the_documented_variables() -> None:
    names = settings_env_names()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FEDIVERSE_DOMAIN", "DEBUG"} <= names


@pytest.mark.parametrize("name", sorted(herd_services()))
def test_service_command_exists(name: str) -> None:
    check_command(command_of(herd_services()[name]))


@pytest.mark.parametrize("name", sorted(herd_services()))
def test_service_sets_only_variables_the_settings_read(name: str) -> None:
    environment = herd_services()[name].get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    unknown = set(environment) - settings_env_names()
    assert not unknown, f"{name} sets variables the settings never read: {sorted(unknown)}"


def test_the_dockerfile_default_command_exists() -> None:
    check_command(dockerfile_cmd())


def test_every_queue_has_a_worker() -> None:
    consumed: set[str] = set()
    for service in herd_services().values():
        command = command_of(service)
        if command[:4] == ["celery", "-A", "fediverse", "worker"]:
            consumed |= set(command[command.index("-Q") + 1].split(","))
    assert consumed == set(QUEUES)


def test_the_production_shape() -> None:
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    volumes = set(compose()["volumes"])
    assert {"postgres", "redis", "media"} <= volumes
    assert any(v.startswith("media:") for v in services["web"]["volumes"])
    assert any(v.startswith("media:") for v in services["worker"]["volumes"])


def test_the_web_health_check_answers() -> None:
    test = " ".join(herd_services()["web"]["healthcheck"]["test"])
    assert "/health" in test
    assert resolve("/health").url_name == "health"

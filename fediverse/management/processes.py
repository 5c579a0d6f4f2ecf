"""Child processes of the single-machine runner: each in a process group of its own, so that
Ctrl-C reaches only the runner, which then stops them in order."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> Callable[[], None]:
    def preexec() -> None:
        # If the runner is killed outright, its children must not linger holding the ports
        # and the Redis files.
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def spawn(
    argv: list[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdout: int | IO[bytes] | None = None,
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        argv,
        env=env,
        cwd=cwd,
        stdout=stdout,
        process_group=0,
        preexec_fn=_die_with(os.getpid()) if sys.platform == "linux" else None,
    )


def stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM (a graceful shutdown for uvicorn, Celery and Redis alike), then SIGKILL."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Supervisor:
    """Starts named children and stops them in reverse order of starting."""

    def __init__(self, *, env: Mapping[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stop_requested = False

    def request_stop(self, signum: int, frame: object) -> None:
        self.stop_requested = True

    def start(self, name: str, argv: list[str]) -> None:
        self.children[name] = spawn(argv, env=self.env, cwd=self.cwd)

    def exited(self) -> tuple[str, int] | None:
        for name, process in self.children.items():
            if process.poll() is not None:
                return name, process.returncode
        return None

    def stop_all(self, timeouts: Mapping[str, float]) -> None:
        for name, process in reversed(self.children.items()):
            stop(process, timeouts.get(name, 10))

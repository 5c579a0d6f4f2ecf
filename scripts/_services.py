"""PostgreSQL and Redis for the test command: use the ones already listening, or start
throwaway servers in a temporary folder and stop them afterwards. Standard library only."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if reachable("127.0.0.1", port):
            return True
        time.sleep(0.1)
    return False


def url_reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    if not parts.hostname or parts.hostname.startswith("/"):
        return True  # a Unix socket: let the client report problems itself
    return reachable(parts.hostname, parts.port or default_port)


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)


def find_postgres_bin() -> Path | None:
    """A directory holding both initdb and pg_ctl: from PATH, else Debian's layout."""
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key)[::-1]
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def _as_postgres_user(command: list[str]) -> list[str] | None:
    """PostgreSQL refuses to run as root: run it as the `postgres` user when we are root."""
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *command]
    if shutil.which("su"):
        return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]
    return None


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Yield the URL of a fresh cluster on a free port; raise RuntimeError saying why not."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server programs (initdb, pg_ctl) were found")
    if os.geteuid() == 0:
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError as error:
            raise RuntimeError("running as root and there is no 'postgres' user") from error
    workdir = Path(tempfile.mkdtemp(prefix="herd-test-pg-"))
    data = workdir / "data"
    port = free_port()
    try:
        if os.geteuid() == 0:
            os.chown(workdir, owner.pw_uid, owner.pw_gid)
        initdb = _as_postgres_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
            + ["-E", "UTF8", "--no-locale", "--no-sync"]
        )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {workdir} -F"
        pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(workdir / "log")]
        start = _as_postgres_user([*pg_ctl, "-w", "-t", "60", "-o", options, "start"])
        if initdb is None or start is None:
            raise RuntimeError("running as root and neither runuser nor su is available")
        for command in (initdb, start):
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")
        try:
            yield f"postgres://postgres@127.0.0.1:{port}/herd"
        finally:
            stop = _as_postgres_user([*pg_ctl, "-m", "immediate", "-w", "stop"])
            assert stop is not None
            subprocess.run(stop, capture_output=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def throwaway_redis(executable: str) -> Iterator[str]:
    """Yield the URL of a memory-only Redis server on a free port."""
    workdir = Path(tempfile.mkdtemp(prefix="herd-test-redis-"))
    port = free_port()
    command = [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(workdir), "--daemonize", "no"]
    command += ["--logfile", str(workdir / "redis.log")]
    # A session of its own keeps Ctrl-C, meant for pytest, from killing it mid-run.
    process = subprocess.Popen(command, start_new_session=True)
    try:
        if not wait_for_port(port, 10):
            raise RuntimeError(f"{executable} did not start listening on port {port}")
        yield f"redis://127.0.0.1:{port}/15"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)

#!/usr/bin/env python3
"""Start a single-machine Herd instance: `python3 scripts/start.py [--host H] [--port P]`.

Installs the dependencies into .venv when needed, then hands over to `manage.py runinstance`,
which migrates, prints how to log in, and runs the web server, a Celery worker, Celery beat
and (unless REDIS_URL is set) an embedded Redis server until Ctrl-C."""

from __future__ import annotations

import os
import sys

from _bootstrap import ROOT, ensure_venv, venv_environ


def main() -> None:
    python = ensure_venv()
    os.chdir(ROOT)
    argv = [str(python), str(ROOT / "manage.py"), "runinstance", *sys.argv[1:]]
    # exec keeps the process id, so a signal sent to this command reaches runinstance itself.
    os.execve(argv[0], argv, venv_environ())


if __name__ == "__main__":
    main()

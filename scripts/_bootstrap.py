"""The virtual environment both commands share. Standard library only: this runs before any
dependency is installed, on a machine that has nothing but Python 3.11+ and git."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
# Records what was installed from which pyproject.toml, so that later runs skip pip.
STAMP = VENV / ".herd-install-stamp"


def fail(message: str) -> NoReturn:
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(1)


def _pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _read_stamp() -> tuple[str, set[str]]:
    """The pyproject.toml hash and the extras of the last install ("" and none if unknown)."""
    try:
        stamp = json.loads(STAMP.read_text())
        return str(stamp["pyproject"]), {str(extra) for extra in stamp["extras"]}
    except (OSError, ValueError, KeyError, TypeError):
        return "", set()


def _create_venv() -> None:
    print(f"Creating a virtual environment in {VENV} ...", flush=True)
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
    if result.returncode != 0 or not VENV_PYTHON.exists():
        fail(
            "Could not create the virtual environment. On Debian or Ubuntu, install the "
            "python3-venv package (apt-get install python3-venv) and try again."
        )


def ensure_venv(extras: tuple[str, ...] = ()) -> Path:
    """Create .venv if missing and install the project into it when pyproject.toml changed
    or the wanted extras are missing. Returns the venv's python."""
    # Still reached by older interpreters, which otherwise fail somewhere less clear.
    if sys.version_info < (3, 11):  # noqa: UP036
        fail(f"Herd needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not VENV_PYTHON.exists():
        _create_venv()
    stamped_hash, stamped_extras = _read_stamp()
    if stamped_hash == _pyproject_hash() and set(extras) <= stamped_extras:
        return VENV_PYTHON
    # Keep the extras installed before, so that start and test do not undo each other.
    wanted = sorted(set(extras) | stamped_extras)
    target = "." + (f"[{','.join(wanted)}]" if wanted else "")
    print(f"Installing Herd and its dependencies ({target}) into {VENV} ...", flush=True)
    result = subprocess.run(
        [str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT
    )
    if result.returncode != 0:
        fail("pip could not install the dependencies; see its messages above.")
    STAMP.write_text(json.dumps({"pyproject": _pyproject_hash(), "extras": wanted}))
    return VENV_PYTHON


def venv_environ() -> dict[str, str]:
    """The environment a shell would have after activating the venv."""
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONHOME", None)
    return env

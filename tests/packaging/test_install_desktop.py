"""`make install-desktop` into a temporary HOME gives a menu entry whose Exec runs GAN Studio.

It registers the environment running the tests (APP_ENV=sys.prefix) rather than installing
torch into a new one; `make uninstall-desktop` then removes the entry and leaves user data alone.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ganstudio import __version__
from ganstudio.ui.app import DESKTOP_ID

ROOT = Path(__file__).resolve().parents[2]


def _make(target: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")} | {"HOME": str(home)}
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), target, *args],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def app_env() -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    prefix = Path(sys.prefix)
    if not os.access(prefix / "bin" / "ganstudio", os.X_OK):
        pytest.skip(f"{prefix} has no bin/ganstudio (GAN Studio is not installed in the test environment)")
    return prefix


def test_install_desktop_registers_a_runnable_entry_and_uninstall_removes_it(tmp_path, app_env):
    home = tmp_path / "home"
    share = home / ".local" / "share"
    (share / "ganstudio" / "runs" / "mine").mkdir(parents=True)  # the user's data must survive
    result = _make("install-desktop", home, f"APP_ENV={app_env}")
    assert result.returncode == 0, result.stdout + result.stderr

    entry = share / "applications" / f"{DESKTOP_ID}.desktop"
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    command = shlex.split(exec_line.removeprefix("Exec="))
    assert command == [str(app_env / "bin" / "ganstudio")]
    run = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"ganstudio {__version__}"
    icons = sorted((share / "icons" / "hicolor").glob(f"*/apps/{DESKTOP_ID}.png"))
    assert len(icons) == 7
    assert (share / "metainfo" / f"{DESKTOP_ID}.metainfo.xml").is_file()

    result = _make("uninstall-desktop", home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not entry.exists()
    assert not any((share / "icons").rglob("*.png"))
    assert (share / "ganstudio" / "runs" / "mine").is_dir()


def test_install_desktop_refuses_a_program_that_is_not_there(tmp_path, app_env):
    home = tmp_path / "home"
    result = _make("install-desktop", home, f"APP_ENV={app_env}", f"APP_EXEC={tmp_path / 'missing'}")
    assert result.returncode != 0
    assert "is not a GAN Studio program" in result.stdout + result.stderr
    assert not (home / ".local" / "share" / "applications").exists()

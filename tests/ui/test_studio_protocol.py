"""The window's studio and the tests' FakeStudio both satisfy the `Studio` protocol pages are typed against."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ganstudio.core.errors import UserError
from ganstudio.ui.studio import Studio, WindowStudio
from tests.ui.fake_studio import FakeStudio

ROOT = Path(__file__).resolve().parents[2]


def _as_studio(studio: FakeStudio | WindowStudio) -> Studio:
    """mypy checks the two implementations against the protocol here."""
    return studio


def test_a_page_drives_the_fake_through_the_protocol(qtbot, tmp_path):
    studio = _as_studio(FakeStudio([], tmp_path))
    with qtbot.waitSignal(studio.library_changed):
        studio.refresh_library()
    studio.show_user_error(UserError("bad file", "try another"))
    studio.open_in_page("x.pt", "Walk")
    fake = studio
    assert isinstance(fake, FakeStudio)
    assert fake.errors == [("bad file", "try another")] and fake.opened == [("x.pt", "Walk")]


def test_mypy_accepts_both_as_a_studio():
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent",
                           "tests/ui/test_studio_protocol.py"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout

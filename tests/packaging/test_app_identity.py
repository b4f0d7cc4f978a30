"""The window announces the desktop entry's id, so Wayland shows the entry's icon for it."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ganstudio.ui import main_window
from ganstudio.ui.app import DESKTOP_ID, launch


def test_launch_sets_the_desktop_file_name(qapp, tmp_path, monkeypatch):
    real_window = main_window.MainWindow
    # the window's layout goes to a temporary file, not the user's Qt settings
    monkeypatch.setattr(main_window, "MainWindow",
                        lambda: real_window(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qapp.setDesktopFileName("")
    seen: list[str] = []

    def close_all() -> None:
        seen.append(QApplication.desktopFileName())
        for window in QApplication.topLevelWidgets():
            window.close()
        qapp.quit()

    QTimer.singleShot(0, close_all)
    assert launch() == 0
    assert seen == [DESKTOP_ID]
    assert (tmp_path / "s.ini").is_file()  # the patched window was the one launched

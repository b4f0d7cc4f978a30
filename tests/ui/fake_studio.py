"""A stand-in for the window's `Studio` that records what a page reports, for testing one page alone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal


class FakeStudio(QObject):
    library_changed = Signal()

    def __init__(self, entries, tmp_path: Path) -> None:
        super().__init__()
        self.entries, self.errors, self.status = entries, [], []
        self.settings = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
        self.device_name = "CPU"

    def show_error(self, message: str, hint: str = "") -> None:
        self.errors.append((message, hint))

    def show_status(self, text: str) -> None:
        self.status.append(text)

    def models(self):
        return self.entries

"""A stand-in for the window's `Studio` that records what a page reports, for testing one page alone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from ganstudio.core.errors import UserError
from ganstudio.modelfiles.library import ModelEntry


class FakeStudio(QObject):
    library_changed = Signal()

    def __init__(self, entries: list[ModelEntry], tmp_path: Path) -> None:
        super().__init__()
        self.entries = entries
        self.errors: list[tuple[str, str]] = []
        self.errors_cleared = 0
        self.status: list[str] = []
        self.activity: list[str] = []
        self.opened: list[tuple[object, str]] = []
        self.settings = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
        self.device_name = "CPU"

    def show_error(self, message: str, hint: str = "") -> None:
        self.errors.append((message, hint))

    def show_user_error(self, exc: UserError) -> None:
        self.show_error(exc.message, exc.hint)

    def clear_error(self) -> None:
        self.errors_cleared += 1

    def show_status(self, text: str) -> None:
        self.status.append(text)

    def set_activity(self, text: str) -> None:
        self.activity.append(text)

    def models(self) -> list[ModelEntry]:
        return self.entries

    def refresh_library(self) -> None:
        self.library_changed.emit()

    def open_in_page(self, entry: object, page_title: str) -> None:
        self.opened.append((entry, page_title))

    def show_page(self, page_title: str) -> None:
        self.opened.append((None, page_title))

"""What every page may ask of the window, without knowing the window.

Pages talk to a `Studio` (errors, status text, settings, the model library, sending a model
to another page) and never to the window or to each other, so each page can be built and
tested on its own with a stand-in (tests/ui/fake_studio.py). `Studio` is the protocol pages
are typed against; `WindowStudio` is the window's implementation, whose signals the main
window listens to.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Signal, SignalInstance

from ganstudio.core.errors import UserError
from ganstudio.modelfiles import library
from ganstudio.modelfiles.library import ModelEntry


class Studio(Protocol):
    """The services shared by all pages of one window."""

    settings: QSettings
    device_name: str

    @property
    def library_changed(self) -> SignalInstance:
        """Emitted when runs or model files were added, so library views refresh."""

    def show_error(self, message: str, hint: str = "") -> None:
        """A visible banner at the top of the window (never a modal dialog)."""

    def show_user_error(self, exc: UserError) -> None:
        """The banner for a UserError: its message and hint."""

    def clear_error(self) -> None:
        """Take the banner down: what it reported has been put right (a good folder, a model that opened)."""

    def show_status(self, text: str) -> None:
        """A passing note in the status bar."""

    def set_activity(self, text: str) -> None:
        """What this page is running right now, shown permanently in the status bar ('' when done)."""

    def models(self) -> list[ModelEntry]:
        """Bundled models, the user's runs and imported files."""

    def refresh_library(self) -> None:
        """Tell every library view that the models changed."""

    def open_in_page(self, entry: object, page_title: str) -> None:
        """Switch to `page_title` and hand it the model (ModelEntry or a path)."""

    def show_page(self, page_title: str) -> None:
        """Switch to `page_title`."""


def _device_name() -> str:
    from ganstudio.core.device import describe, pick_device

    return describe(pick_device("auto"))


class WindowStudio(QObject):
    """The window's `Studio`: each request becomes a signal that the main window renders."""

    error_shown = Signal(str, str)  # message, hint
    error_cleared = Signal()
    status_shown = Signal(str)
    activity_changed = Signal(str)  # what is running, for the status bar ('' = nothing)
    library_changed = Signal()
    open_requested = Signal(object, str)  # ModelEntry or path, page title
    page_requested = Signal(str)

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings("GAN Studio", "GAN Studio")
        self.device_name = _device_name()

    def show_error(self, message: str, hint: str = "") -> None:
        self.error_shown.emit(message, hint)

    def show_user_error(self, exc: UserError) -> None:
        self.show_error(exc.message, exc.hint)

    def clear_error(self) -> None:
        self.error_cleared.emit()

    def show_status(self, text: str) -> None:
        self.status_shown.emit(text)

    def set_activity(self, text: str) -> None:
        self.activity_changed.emit(text)

    def models(self) -> list[ModelEntry]:
        """All models; a damaged manifest becomes a banner, and the runs and imported files are still listed."""
        try:
            return library.all_models()
        except UserError as exc:
            self.show_user_error(exc)
            return library.user_runs() + library.imported_models()

    def refresh_library(self) -> None:
        self.library_changed.emit()

    def open_in_page(self, entry: object, page_title: str) -> None:
        self.open_requested.emit(entry, page_title)

    def show_page(self, page_title: str) -> None:
        self.page_requested.emit(page_title)

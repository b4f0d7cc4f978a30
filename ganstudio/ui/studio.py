"""What every page may ask of the window, without knowing the window.

Pages talk to `Studio` (errors, status text, settings, the model library, sending a model
to another page); the main window listens to its signals. This keeps pages independent of
each other and testable on their own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

from ganstudio.core.errors import UserError
from ganstudio.modelfiles import library


def _device_name() -> str:
    from ganstudio.core.device import describe, pick_device

    return describe(pick_device("auto"))


class Studio(QObject):
    """The services shared by all pages of one window."""

    error_shown = Signal(str, str)  # message, hint
    status_shown = Signal(str)
    activity_changed = Signal(str)  # what is running, for the status bar ('' = nothing)
    library_changed = Signal()
    open_requested = Signal(object, str)  # ModelEntry or path, page title

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings("GAN Studio", "GAN Studio")
        self.device_name = _device_name()

    def show_error(self, message: str, hint: str = "") -> None:
        """A visible banner at the top of the window (never a modal dialog)."""
        self.error_shown.emit(message, hint)

    def show_user_error(self, exc: UserError) -> None:
        self.show_error(exc.message, exc.hint)

    def show_status(self, text: str) -> None:
        self.status_shown.emit(text)

    def set_activity(self, text: str) -> None:
        """What this page is running right now, shown permanently in the status bar ('' when done)."""
        self.activity_changed.emit(text)

    def models(self) -> list[library.ModelEntry]:
        """Bundled models, the user's runs and imported files; a damaged manifest becomes a banner."""
        try:
            return library.all_models()
        except UserError as exc:
            self.show_user_error(exc)
            return library.user_runs() + library.imported_models()

    def refresh_library(self) -> None:
        self.library_changed.emit()

    def open_in_page(self, entry: object, page_title: str) -> None:
        """Switch to `page_title` and hand it the model (ModelEntry or a path)."""
        self.open_requested.emit(entry, page_title)

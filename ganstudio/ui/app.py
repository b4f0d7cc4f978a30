"""Launch the desktop window (the only module outside ui/ that imports Qt)."""

from __future__ import annotations

import sys

# The desktop entry's name without `.desktop` (packaging/linux/); Wayland compositors match the
# window to that entry, and so to its icon, by this id.
DESKTOP_ID = "io.github.ganstudio.GANStudio"


def launch(argv: list[str] | None = None) -> int:
    """Create the application and the main window, run until it closes; returns the exit code."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from ganstudio.core.paths import assets_dir
    from ganstudio.ui.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        sys.argv if argv is None else [sys.argv[0], *argv])
    app.setApplicationName("GAN Studio")
    app.setOrganizationName("GAN Studio")
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(QIcon(str(assets_dir() / "icon.png")))
    window = MainWindow()
    window.show()
    return app.exec()

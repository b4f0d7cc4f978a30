"""Launch the desktop window (the only module outside ui/ that imports Qt)."""

from __future__ import annotations

import sys


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
    app.setWindowIcon(QIcon(str(assets_dir() / "icon.png")))
    window = MainWindow()
    window.show()
    return app.exec()

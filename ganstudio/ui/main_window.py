"""The main window: page sidebar, error banner, model library dock and status bar."""

from __future__ import annotations

import importlib
import traceback

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QMainWindow, QStackedWidget, QVBoxLayout, QWidget,
)

from ganstudio.ui.banner import ErrorBanner
from ganstudio.ui.pages import PAGES
from ganstudio.ui.studio import Studio


def _load_page(spec: str, studio: Studio) -> QWidget:
    module_name, _, class_name = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(studio)


class MainWindow(QMainWindow):
    """One window, one page per job; pages reach the window only through `Studio`."""

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("GAN Studio")
        self.studio = Studio(settings, self)
        self.banner = ErrorBanner()
        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(130)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for title, spec in PAGES:
            self._add_page(title, spec)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        body = QHBoxLayout()
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addWidget(self.banner)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.device_label = QLabel(self.studio.device_name)
        self.statusBar().addPermanentWidget(self.device_label)
        self.studio.error_shown.connect(self.banner.show_error)
        self.studio.status_shown.connect(lambda text: self.statusBar().showMessage(text))
        self.studio.open_requested.connect(self.open_in_page)
        self.sidebar.setCurrentRow(0)
        self.resize(1280, 800)

    def _add_page(self, title: str, spec: str) -> None:
        try:
            page = _load_page(spec, self.studio)
        except Exception as exc:  # a broken page must not take the whole window down
            page = QLabel(f"The {title} page could not be loaded:\n{exc}\n\n{traceback.format_exc(limit=3)}")
            page.setAlignment(Qt.AlignCenter)
            page.setWordWrap(True)
        self.pages[title] = page
        self.stack.addWidget(page)
        self.sidebar.addItem(title)

    def open_in_page(self, entry: object, title: str) -> None:
        page = self.pages.get(title)
        if page is None or not hasattr(page, "open_model"):
            self.studio.show_error(f"the {title} page cannot open models")
            return
        self.sidebar.setCurrentRow(list(self.pages).index(title))
        page.open_model(entry)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()

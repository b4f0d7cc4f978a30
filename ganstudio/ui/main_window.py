"""The main window: page sidebar, error banner, model library dock, status bar, persisted layout."""

from __future__ import annotations

import importlib
import traceback
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ganstudio import __version__
from ganstudio.core import paths
from ganstudio.ui.banner import ErrorBanner
from ganstudio.ui.common import gcguard, wheel_guard
from ganstudio.ui.library import LibraryPanel
from ganstudio.ui.pages import PAGES
from ganstudio.ui.studio import Studio, WindowStudio


def _load_page(spec: str, studio: Studio) -> QWidget:
    module_name, _, class_name = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(studio)


class MainWindow(QMainWindow):
    """One window, one page per job; pages reach the window only through `Studio`.

    A page may define `busy_text() -> str` (what closing would interrupt) and `shutdown()`
    (stop and save, blocking); the window asks before closing while any page is busy.
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        gcguard.install()
        wheel_guard.install()
        self.setWindowTitle("GAN Studio")
        self.studio = WindowStudio(settings, self)
        self.banner = ErrorBanner()
        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(128)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px 6px; }")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for title, spec in PAGES:
            self._add_page(title, spec)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(4, 4, 4, 0)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        # the banner floats over the top of the page: laid out above it, it pushed every page down and back
        self.banner.setParent(central)
        self.banner.shown.connect(self._place_banner)
        central.installEventFilter(self)

        self.library = LibraryPanel(self.studio)
        self.library.set_targets([t for t, p in self.pages.items() if hasattr(p, "open_model")])
        self.library_dock = QDockWidget("Model library", self)
        self.library_dock.setObjectName("libraryDock")
        self.library_dock.setWidget(self.library)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.library_dock)

        self.activity_label = QLabel("")
        self.device_label = QLabel(f"  {self.studio.device_name}  ")
        self.device_label.setToolTip("The compute device training and generation use.")
        self.statusBar().addPermanentWidget(self.activity_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.studio.error_shown.connect(self.banner.show_error)
        self.studio.error_cleared.connect(self.banner.hide)
        self.studio.status_shown.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.studio.activity_changed.connect(self.activity_label.setText)
        self.studio.open_requested.connect(self.open_in_page)
        self.studio.page_requested.connect(self.show_page)
        self._build_menu()
        self.sidebar.setCurrentRow(0)
        self.resize(1440, 880)
        self._restore_layout()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt override)
        if watched is self.centralWidget() and event.type() == QEvent.Type.Resize:
            self._place_banner()
        return super().eventFilter(watched, event)

    def _place_banner(self) -> None:
        """Across the top of the pages (right of the sidebar), as tall as its text needs."""
        central = self.centralWidget()
        if central is None:
            return
        left = self.sidebar.width() + 8
        width = max(central.width() - left - 4, 200)
        self.banner.setGeometry(left, 4, width, self.banner.heightForWidth(width)
                                if self.banner.hasHeightForWidth() else self.banner.sizeHint().height())
        self.banner.raise_()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, keys, slot in (
                ("open", "&Open model…", QKeySequence.StandardKey.Open, self.ask_open_model),
                ("import", "&Import…", "Ctrl+I", self.library.ask_import),
                ("export", "&Export…", "Ctrl+E", self.export_current),
                ("save", "&Save checkpoint", QKeySequence.StandardKey.Save, self.save_checkpoint),
                ("quit", "&Quit", "Ctrl+Q", self.close)):
            action = file_menu.addAction(text)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.actions_by_name[name] = action
        file_menu.insertSeparator(self.actions_by_name["save"])
        file_menu.insertSeparator(self.actions_by_name["quit"])
        view = self.menuBar().addMenu("&View")
        view.addAction(self.library_dock.toggleViewAction())
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("About GAN Studio", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def ask_open_model(self) -> None:
        path = QFileDialog.getOpenFileName(self, "Open a model", "", "GAN Studio models (*.pt);;All files (*)")[0]
        if path:
            self.open_model_file(Path(path))

    def open_model_file(self, path: Path) -> None:
        """In the current page when it opens models (Train: to continue a run), else in the Latent Walk."""
        title = list(self.pages)[self.stack.currentIndex()]
        self.open_in_page(path, title if hasattr(self.pages[title], "open_model") else "Latent Walk")

    def export_current(self) -> None:
        """The current page's export (File ▸ Export…, Ctrl+E)."""
        export = getattr(self.stack.currentWidget(), "export_dialog", None)
        if export is None:
            self.studio.show_status("this page has nothing to export; open Latent Walk, Classes or Style Transfer")
        else:
            export()

    def save_checkpoint(self) -> None:
        """Ctrl+S: a checkpoint of the running training, from any page."""
        train = self.pages.get("Train")
        save_now = getattr(train, "save_now", None)
        if save_now is not None and getattr(train, "worker", None) is not None:
            save_now()
        else:
            self.studio.show_status("no training is running: nothing to save")

    def show_about(self) -> None:
        QMessageBox.about(self, "About GAN Studio",
                          f"<b>GAN Studio {__version__}</b><br>Train GANs and create with them.<br><br>"
                          f"Your data folder (runs, models, datasets):<br><code>{paths.user_data_dir()}</code><br><br>"
                          f"Compute device: {self.studio.device_name}")

    def _add_page(self, title: str, spec: str) -> None:
        try:
            page = _load_page(spec, self.studio)
        except Exception as exc:  # a broken page must not take the whole window down
            page = QLabel(f"The {title} page could not be loaded:\n{exc}\n\n{traceback.format_exc(limit=3)}")
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.setWordWrap(True)
        self.pages[title] = page
        self.stack.addWidget(page)
        self.sidebar.addItem(title)

    def show_page(self, title: str) -> None:
        if title in self.pages:
            self.sidebar.setCurrentRow(list(self.pages).index(title))

    def open_in_page(self, entry: object, title: str) -> None:
        page = self.pages.get(title)
        if page is None or not hasattr(page, "open_model"):
            self.studio.show_error(f"the {title} page cannot open models")
            return
        self.sidebar.setCurrentRow(list(self.pages).index(title))
        page.open_model(entry)

    # -- layout and closing -----------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.studio.settings.value("window/geometry")
        state = self.studio.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        page = self.studio.settings.value("window/page")
        if page in self.pages:
            self.sidebar.setCurrentRow(list(self.pages).index(page))

    def _save_layout(self) -> None:
        s = self.studio.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/page", list(self.pages)[self.stack.currentIndex()] if self.pages else "")
        s.sync()

    def busy_pages(self) -> dict[str, str]:
        found = {}
        for title, page in self.pages.items():
            text = page.busy_text() if hasattr(page, "busy_text") else ""
            if text:
                found[title] = text
        return found

    def confirm_close(self, busy: dict[str, str]) -> bool:
        """Ask before interrupting work; True = stop (saving a checkpoint) and close."""
        answer = QMessageBox.question(
            self, "Stop and close?",
            "\n".join(busy.values()) + "\n\nStop now and save a checkpoint, then close? "
            "You can continue later with Resume from… on the Train page.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt override)
        busy = self.busy_pages()
        if busy and not self.confirm_close(busy):
            event.ignore()
            return
        self.statusBar().showMessage("stopping and saving…")
        for page in self.pages.values():  # a busy page stops and saves; every page ends its worker thread
            shutdown = getattr(page, "shutdown", None)
            if shutdown is not None:
                shutdown()
        self._save_layout()
        event.accept()

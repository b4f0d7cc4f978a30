"""The model library panel: bundled models, the user's runs and imported generator files.

Lists `Studio.models()`, imports a model file into the user's models folder (through
`modelfiles.transfer.import_model_file`, which numbers a taken name), and sends an entry to
any page that can open models ("Open in …").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core import paths
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.studio import Studio

GROUPS = (("bundled", "Bundled models"), ("run", "My runs"), ("imported", "Imported files"))


def _describe(entry: ModelEntry) -> str:
    info = entry.info
    bits = [str(info[k]) for k in ("dataset", "description") if info.get(k)]
    if info.get("steps"):
        bits.append(f"{info['steps']} steps")
    return " · ".join(bits) or str(entry.path)


class LibraryPanel(QWidget):
    """The dock's contents; `targets` are the page titles that can open a model."""

    def __init__(self, studio: Studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.targets: list[str] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(10)  # room for whole titles in the narrow dock of a 1280 px window
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.open_button = QPushButton("Open in …")
        self.open_button.setToolTip("Send the selected model to a page (Train resumes a run from its last checkpoint).")
        self.open_button.clicked.connect(lambda: self._open_menu().exec(self.open_button.mapToGlobal(
            self.open_button.rect().bottomLeft())))
        refresh = QPushButton("Refresh")
        refresh.setToolTip("Look for new runs and model files.")
        refresh.clicked.connect(self.refresh)
        import_button = QPushButton("Import…")
        import_button.setToolTip("Copy a GAN Studio generator file (.pt) into your library.")
        import_button.clicked.connect(self.ask_import)
        folder = QPushButton("Show folder")
        folder.setToolTip("Open your GAN Studio data folder (runs, models, datasets) in the file browser.")
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.user_data_dir()))))
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QGridLayout()
        for i, b in enumerate((self.open_button, refresh, import_button, folder)):
            buttons.addWidget(b, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.folder_label)
        studio.library_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.folder_label.setText(f"Your data folder:\n{paths.user_data_dir()}")
        selected = self.selected()
        self.tree.clear()
        entries = self.studio.models()
        for source, title in GROUPS:
            group = QTreeWidgetItem([title])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            mine = [e for e in entries if e.source == source]
            for entry in mine:
                item = QTreeWidgetItem([entry.title])
                item.setData(0, Qt.ItemDataRole.UserRole, entry)
                item.setToolTip(0, f"{_describe(entry)}\n{entry.path}")
                group.addChild(item)
                if selected is not None and entry.id == selected.id:
                    self.tree.setCurrentItem(item)
            if not mine:
                empty = QTreeWidgetItem(["(none yet)" if source != "bundled" else "(none)"])
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                group.addChild(empty)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        self._update_buttons()

    def selected(self) -> ModelEntry | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def entries(self) -> list[ModelEntry]:
        found = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            children = [group.child(i) for i in range(group.childCount())] if group is not None else []
            found += [child.data(0, Qt.ItemDataRole.UserRole) for child in children if child is not None]
        return [e for e in found if e is not None]

    def set_targets(self, titles: list[str]) -> None:
        self.targets = titles
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected() is not None and bool(self.targets))

    def _open_menu(self) -> QMenu:
        menu = QMenu(self)
        entry = self.selected()
        for title in self.targets:
            action = menu.addAction(f"Open in {title}")
            action.setEnabled(entry is not None)
            action.triggered.connect(lambda _=False, t=title: self.studio.open_in_page(self.selected(), t))
        return menu

    def _context_menu(self, pos) -> None:
        if self.selected() is not None and self.targets:
            self._open_menu().exec(self.tree.viewport().mapToGlobal(pos))

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        entry = item.data(0, Qt.ItemDataRole.UserRole)
        if entry is not None and self.targets:
            # a run opens where it was made (Train, to continue it); other models in the first creative page
            preferred = "Train" if entry.source == "run" else next((t for t in self.targets if t != "Train"), "Train")
            self.studio.open_in_page(entry, preferred if preferred in self.targets else self.targets[0])

    def ask_import(self) -> None:
        path = QFileDialog.getOpenFileName(self, "Import a generator file", str(Path.home()),
                                           "GAN Studio models (*.pt);;All files (*)")[0]
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path) -> None:
        from ganstudio.modelfiles.transfer import import_model_file  # torch, only when importing

        try:
            target = import_model_file(path)
        except UserError as exc:
            self.studio.show_user_error(exc)
            return
        self.studio.show_status(f"imported {target.name} into {target.parent}")
        self.studio.refresh_library()

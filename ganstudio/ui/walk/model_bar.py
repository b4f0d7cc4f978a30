"""The Latent Walk page's top row: the model picker, its summary, and project open / save."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget


class ModelBar(QWidget):
    """The file dialogs are asked here; the page opens (or saves) what was picked."""

    model_file_chosen = Signal(str)
    project_chosen = Signal(str)
    save_project_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.model_box = QComboBox()
        self.model_box.setMinimumWidth(260)
        self.model_box.setToolTip("A bundled model, one of your runs, or a generator / checkpoint file")
        self.open_file_button = QPushButton("Open file…")
        self.open_file_button.setToolTip("Open a generator file, a training checkpoint or a run folder's generator.pt")
        self.model_info = QLabel("No model open.")
        self.model_info.setStyleSheet("color: #666;")
        self.model_info.setWordWrap(True)  # a long summary wraps instead of widening the page past 1280 px
        self.model_info.setMinimumWidth(60)
        self.open_project_button = QPushButton("Open project…")
        self.open_project_button.setToolTip("Replay a saved walk (a .json project, or the .json sidecar of any export)")
        self.save_project_button = QPushButton("Save project…")
        self.open_file_button.clicked.connect(lambda: self._ask(
            QFileDialog.getOpenFileName, "Open a generator", "", "GAN Studio models (*.pt)", self.model_file_chosen))
        self.open_project_button.clicked.connect(lambda: self._ask(
            QFileDialog.getOpenFileName, "Open walk project", "", "Walk project (*.json)", self.project_chosen))
        self.save_project_button.clicked.connect(lambda: self._ask(
            QFileDialog.getSaveFileName, "Save walk project", "walk.json", "Walk project (*.json)",
            self.save_project_chosen))
        row.addWidget(QLabel("Model"))
        row.addWidget(self.model_box)
        row.addWidget(self.open_file_button)
        row.addWidget(self.model_info, 1)
        row.addWidget(self.open_project_button)
        row.addWidget(self.save_project_button)

    def list_models(self, entries: list[tuple[str, str]], current: str | None) -> None:
        """(text, path) per model; keeps `current` selected when it is still listed."""
        self.model_box.blockSignals(True)
        self.model_box.clear()
        self.model_box.addItem("Choose a model…", None)
        for text, path in entries:
            self.model_box.addItem(text, path)
        if current is not None and self.model_box.findData(current) >= 0:
            self.model_box.setCurrentIndex(self.model_box.findData(current))
        self.model_box.blockSignals(False)

    def show_model(self, g: Any) -> None:
        """A one-line summary of the open generator: architecture, size, latent, classes, steps, device."""
        bits = [g.config.arch, f"{g.config.img_size} px", f"z {g.z_dim}"]
        if g.num_classes:
            bits.append(f"{g.num_classes} classes")
        if g.meta.get("steps"):
            bits.append(f"{g.meta['steps']} steps")
        self.model_info.setText(" · ".join(bits) + f" · {g.device}")

    def _ask(self, dialog: Any, title: str, default: str, filters: str, chosen: Any) -> None:
        name, _ = dialog(self, title, default, filters)
        if name:
            chosen.emit(name)

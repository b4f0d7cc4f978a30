"""The live sample grid, with a scrubber to look back at earlier grids of the same latent batch."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from ganstudio.ui.common.image_grid import ImageGrid

WAITING = "Samples from a fixed set of latent vectors appear here while training."
HISTORY_BYTES = 64 * 2**20  # memory kept for earlier grids; older ones are thinned out beyond it


class SampleView(QWidget):
    """Shows the newest grid while 'follow' is on; the slider picks any kept grid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: list[tuple[int, np.ndarray]] = []
        self.image = ImageGrid(clickable=False, min_side=160)  # one picture: the engine tiles the grid
        self.image.setText(WAITING)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._show_index)
        self.step_label = QLabel("")
        self.follow = QCheckBox("Follow newest")
        self.follow.setChecked(True)
        self.follow.setToolTip("Show each new grid as it arrives; untick to stay on the grid picked with the slider.")
        self.follow.toggled.connect(self._follow_toggled)
        row = QHBoxLayout()
        row.addWidget(self.slider, 1)
        row.addWidget(self.step_label)
        row.addWidget(self.follow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.image, 1)
        layout.addLayout(row)

    def clear(self) -> None:
        self.history.clear()
        self.image.clear_images(WAITING)
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self.step_label.setText("")

    def add(self, step: int, grid: np.ndarray, show: bool = True) -> None:
        """Keep a grid; draw it only when `show` (several may arrive within one refresh)."""
        self.history.append((step, grid))
        if len(self.history) > 4 and sum(g.nbytes for _, g in self.history) > HISTORY_BYTES:
            self.history = self.history[:-1:2] + self.history[-1:]  # keep an even spread over the run
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.history) - 1)
        self.slider.setEnabled(len(self.history) > 1)
        self.slider.blockSignals(False)
        if show and self.follow.isChecked():
            self._jump_to_newest()

    def _follow_toggled(self, on: bool) -> None:
        if on:
            self._jump_to_newest()

    def _jump_to_newest(self) -> None:
        if self.history:
            self.slider.blockSignals(True)
            self.slider.setValue(len(self.history) - 1)
            self.slider.blockSignals(False)
            self._show_index(len(self.history) - 1)

    def _show_index(self, index: int) -> None:
        if not 0 <= index < len(self.history):
            return
        if index != len(self.history) - 1:
            self.follow.setChecked(False)
        step, grid = self.history[index]
        self.image.set_images(grid[None], 1)
        self.step_label.setText(f"step {step}")

    @property
    def shown_step(self) -> int | None:
        text = self.step_label.text()
        return int(text.split()[-1]) if text else None

"""The Latent Walk page's left side: a grid of samples from consecutive seeds, and the free vector.

Widgets only: the page connects them to its `WalkSession` and draws what the session holds.
"""

from __future__ import annotations

import random

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ganstudio.ui.common.fit_label import fit
from ganstudio.ui.common.image_grid import ImageGrid
from ganstudio.ui.common.qimage import to_pixmap
from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.walk.controls import combo, dspin, fill_classes

PSI_TIP = ("Truncation (ψ): below 1 gives plainer, more typical samples, above 1 wilder ones. A DCGAN has no "
           "mapping network, so ψ simply scales the latent toward the origin (z·ψ).")
FREE_HINT = "Pick a sample and press “Edit freely”."


class SeedPanel(QGroupBox):
    """Seed range, grid size, ψ, class; the grid; pin / edit-as-free buttons; the free vector box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Samples", parent)
        v = QVBoxLayout(self)
        v.addLayout(self._seed_row())
        v.addLayout(self._psi_row())
        self.grid = ImageGrid(min_side=150)  # small enough that the page fits a 720 px high window
        self.grid.setText("Open a model to see samples.")
        self.grid.setToolTip("Click a sample to select it; double-click to enlarge it "
                             "(double-click again for the grid).")
        v.addWidget(self.grid, 1)
        row = QHBoxLayout()
        self.pin_button = QPushButton("Pin as keyframe")
        self.pin_button.setToolTip("Add the selected sample to the end of the timeline")
        self.free_button = QPushButton("Edit freely")
        self.free_button.setToolTip("Copy the selected sample's latent into the free vector below, to nudge it by hand")
        self.photo_button = QPushButton("Find a photo…")
        self.photo_button.setToolTip("Find one of your photos in this model and pin what it draws as a keyframe "
                                     "(or drop an image file on the page)")
        row.addWidget(self.pin_button)
        row.addWidget(self.free_button)
        row.addWidget(self.photo_button)
        v.addLayout(row)
        v.addWidget(self._free_box())

    def _seed_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.seed_start = spin_box(0, 2**31 - 1, 0, "First seed of the grid; each sample is drawn from its own seed")
        self.seed_start.setKeyboardTracking(False)
        self.grid_size = combo([("3×3", 9), ("4×4", 16), ("5×5", 25)], "How many samples to show")
        self.grid_size.setCurrentIndex(1)
        reroll = QPushButton("Re-roll")
        reroll.setToolTip("Jump to a random seed range")
        reroll.clicked.connect(lambda: self.seed_start.setValue(random.randrange(0, 2**31 - 64)))
        row.addWidget(QLabel("Seeds from"))
        row.addWidget(self.seed_start)
        row.addWidget(self.grid_size)
        row.addWidget(reroll)
        return row

    def _psi_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.psi = dspin(0.0, 2.0, 1.0, 0.05, PSI_TIP)
        self.grid_class = combo([], "Class of the grid's samples (conditional models); pinned keyframes take it")
        psi_label = QLabel("Truncation (ψ)")
        psi_label.setToolTip(PSI_TIP)
        row.addWidget(psi_label)
        row.addWidget(self.psi)
        self.grid_class_label = QLabel("Class")
        row.addWidget(self.grid_class_label)
        row.addWidget(self.grid_class, 1)
        return row

    def _free_box(self) -> QWidget:
        box = QGroupBox("Free vector")
        h = QHBoxLayout(box)
        self.free_view = QLabel()
        self.free_view.setWordWrap(True)
        self.free_view.setFixedSize(96, 96)
        self.free_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.free_view.setStyleSheet("background: #181818; color: #bbbbbb; font-size: 10px;")
        self.show_free(None)
        h.addWidget(self.free_view)
        form = QFormLayout()
        self.nudge_size = dspin(0.01, 3.0, 0.3, 0.05,
                                "How far one nudge moves the vector (its coordinates are ~N(0, 1))")
        form.addRow("Step", self.nudge_size)
        buttons = QHBoxLayout()
        self.nudge_button = QPushButton("Nudge")
        self.nudge_button.setToolTip("Move the vector a step in a random direction")
        self.pin_free_button = QPushButton("Pin")
        self.pin_free_button.setToolTip("Add the free vector to the timeline as a keyframe")
        buttons.addWidget(self.nudge_button)
        buttons.addWidget(self.pin_free_button)
        form.addRow(buttons)
        h.addLayout(form, 1)
        return box

    def show_free(self, image: np.ndarray | None) -> None:
        """Draw the free vector's sample, or the hint when there is none."""
        if image is None:
            self.free_view.clear()
            self.free_view.setText(FREE_HINT)
            return
        pix = fit(to_pixmap(image), self.free_view.size())
        self.free_view.setPixmap(pix)

    def set_classes(self, names: list[str], n: int) -> None:
        """Offer the model's n classes (none: hide the class box)."""
        fill_classes(self.grid_class, names, n)
        for w in (self.grid_class, self.grid_class_label):
            w.setVisible(n > 0)

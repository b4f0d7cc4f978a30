"""The Classes page's panels: model and grid controls, the class morph, the pictures (poster and batch export).

Panels lay widgets out and show what the page's `ClassSession` holds; the page wires them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ganstudio.classgen.generate import MAX_PER_CLASS
from ganstudio.classgen.session import ALL, MAX_COLUMNS, MAX_MORPH_FRAMES, ClassSession, MorphSettings
from ganstudio.export.writers import PICTURE_SCALES
from ganstudio.ui.common.export_panel import ExportPanel
from ganstudio.ui.common.image_grid import ImageGrid
from ganstudio.ui.common.qimage import to_pixmap
from ganstudio.ui.common.spin import spin_box

SPIN_MAX_SEED = 2**31 - 1  # what a QSpinBox holds
STRIP_FRAMES = 8  # morph frames shown in the strip
ENLARGED_SIDE = 196


class ModelPanel(QWidget):
    """The model, its classes, samples per class, seed and re-roll, and the enlarged sample."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_box = QComboBox()
        self.model_box.setToolTip("Conditional models: bundled ones, your conditional runs and imported files")
        self.info = QLabel("Pick a conditional model.")
        self.info.setWordWrap(True)
        self.class_list = QListWidget()
        self.per_class = spin_box(1, MAX_COLUMNS, 8, "Samples per class (columns)")
        self.seed = spin_box(0, SPIN_MAX_SEED, 0, "First seed: sample i uses seed + i, the same latent in every class")
        self.reroll = QPushButton("Re-roll")
        self.reroll.setToolTip("New random seeds")
        self.enlarged_view = QLabel()
        self.enlarged_view.setFixedSize(ENLARGED_SIDE, ENLARGED_SIDE)
        self.enlarged_view.setStyleSheet("background: #181818;")
        self.enlarged_caption = QLabel("Click a sample to enlarge it.")
        self.enlarged_caption.setWordWrap(True)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(QLabel("Model"))
        v.addWidget(self.model_box)
        v.addWidget(self.info)
        v.addWidget(QLabel("Class"))
        v.addWidget(self.class_list, 1)
        form = QFormLayout()
        form.addRow("samples per class", self.per_class)
        row = QHBoxLayout()
        row.addWidget(self.seed, 1)
        row.addWidget(self.reroll)
        form.addRow("seed", row)
        v.addLayout(form)
        v.addWidget(self.enlarged_view)
        v.addWidget(self.enlarged_caption)

    def show_classes(self, session: ClassSession) -> None:
        """The class list ("All classes" first) with the session's selection."""
        self.class_list.blockSignals(True)
        self.class_list.clear()
        self.class_list.addItem("All classes (poster)")
        self.class_list.addItems([f"{k}  {n}" for k, n in enumerate(session.names)])
        self.class_list.setCurrentRow(session.selected + 1)
        self.class_list.blockSignals(False)

    def selected_class(self) -> int:
        row = self.class_list.currentRow()
        return row - 1 if row > 0 else ALL

    def show_enlarged(self, session: ClassSession) -> None:
        image = session.enlarged_image
        if image is None:
            self.enlarged_view.clear()
        else:
            self.enlarged_view.setPixmap(to_pixmap(image).scaled(ENLARGED_SIDE, ENLARGED_SIDE))
        self.enlarged_caption.setText(session.enlarged_caption())


class MorphPanel(QGroupBox):
    """From / to class, frames, fps, end seed, Morph, the strip of frames and the export box."""

    def __init__(self, export_panel: ExportPanel, parent: QWidget | None = None) -> None:
        super().__init__("Class morph", parent)
        self.start, self.end = QComboBox(), QComboBox()
        self.frames = spin_box(2, MAX_MORPH_FRAMES, 24, "Frames from the first class to the second")
        self.fps = spin_box(1, 60, 12, "Frames per second of the exported animation")
        self.end_seed = spin_box(-1, SPIN_MAX_SEED, -1, "Latent at the end: −1 keeps the start seed "
                                 "(only the class changes); another seed also walks the latent")
        self.end_seed.setSpecialValueText("same as start")
        self.make = QPushButton("Morph")
        self.make.setToolTip("Blend the class embeddings (and latents) from one class to the other")
        # two rows, so the page still fits a 1366 px wide screen beside the sidebar and the library
        classes_row, row = QHBoxLayout(), QHBoxLayout()
        for label, w in (("from", self.start), ("to", self.end)):
            classes_row.addWidget(QLabel(label))
            classes_row.addWidget(w, 1)
        for label, spin in (("frames", self.frames), ("fps", self.fps), ("end seed", self.end_seed)):
            row.addWidget(QLabel(label))
            row.addWidget(spin)
        row.addStretch(1)
        row.addWidget(self.make)
        self.strip = ImageGrid(clickable=False)
        self.strip.setMinimumSize(280, 60)
        self.export_panel = export_panel
        v = QVBoxLayout(self)
        v.addLayout(classes_row)
        v.addLayout(row)
        v.addWidget(self.strip, 1)
        v.addWidget(export_panel)

    def show_classes(self, session: ClassSession) -> None:
        for box, k in ((self.start, session.morph_settings.start), (self.end, session.morph_settings.end)):
            box.clear()
            for i, name in enumerate(session.names):
                box.addItem(name, i)
            box.setCurrentIndex(k)

    def settings(self) -> MorphSettings:
        seed2 = self.end_seed.value()
        return MorphSettings(self.start.currentData(), self.end.currentData(), self.frames.value(),
                             self.fps.value(), None if seed2 < 0 else seed2)

    def show_morph(self, morph: np.ndarray | None, text: str = "Choose two classes and press Morph.") -> None:
        """A strip of up to `STRIP_FRAMES` evenly spaced frames, or `text` when there is no morph."""
        if morph is None:
            self.strip.clear_images(text)
            return
        pick = np.linspace(0, len(morph) - 1, min(STRIP_FRAMES, len(morph))).round().astype(int)
        self.strip.set_images(morph[pick], len(pick))


class BatchPanel(QGroupBox):
    """The pictures' size (a whole enlargement, crisp or smooth), Save poster…, and N samples per class into a
    new folder with progress and cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Save pictures", parent)
        self.scale = QComboBox()
        for k in PICTURE_SCALES:
            self.scale.addItem(f"{k}×", k)
        self.scale.setCurrentIndex(PICTURE_SCALES.index(4))
        self.scale.setToolTip("Enlarge the poster and every exported sample by this whole factor")
        self.resample = QComboBox()
        self.resample.addItem("crisp", "nearest")
        self.resample.addItem("smooth", "smooth")
        self.resample.setToolTip("How pictures are enlarged: crisp keeps every pixel a sharp square (nearest "
                                 "neighbour), smooth blends them")
        self.save_poster = QPushButton("Save poster…")
        self.save_poster.setToolTip("Save the grid (the poster, or one class's samples) as one PNG")
        self.per_class = spin_box(1, MAX_PER_CLASS, 100, "Samples per class")
        self.button = QPushButton("Export samples…")
        self.button.setToolTip("One folder per class plus labels.csv (file, class, seed), in a new folder")
        self.progress = QProgressBar()
        self.progress.setValue(0)
        self.cancel = QPushButton("Cancel")
        self.cancel.setEnabled(False)
        v = QVBoxLayout(self)
        size = QFormLayout()  # one setting a row: the right column stays narrow enough for 1280 px
        size.addRow("size", self.scale)
        size.addRow("look", self.resample)
        v.addLayout(size)
        v.addWidget(self.save_poster)
        form = QFormLayout()
        form.addRow("per class", self.per_class)
        v.addLayout(form)
        v.addWidget(self.button)
        v.addWidget(self.progress)
        v.addWidget(self.cancel)

    def picture_settings(self) -> tuple[int, str]:
        """(enlargement, resampling) of the poster and the batch."""
        return int(self.scale.currentData()), str(self.resample.currentData())

    def show_running(self, running: bool, can_start: bool) -> None:
        self.button.setEnabled(can_start and not running)
        self.save_poster.setEnabled(can_start)
        self.cancel.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total}")

    def show_end(self, value: int, text: str) -> None:
        self.progress.setRange(0, 100)
        self.progress.setValue(value)
        self.progress.setFormat(text)


def entry_sort_key(entry: Any) -> tuple[bool, bool]:
    """Bundled conditional models first, then other bundled ones, then runs and files."""
    return not (entry.source == "bundled" and entry.conditional), entry.source != "bundled"

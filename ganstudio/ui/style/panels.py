"""The Style Transfer page's panels: the style chooser, the photo queue, the result view and its actions.

Panels only lay widgets out and show what the page's `StyleQueue` holds; the page wires their
buttons to its actions.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ganstudio.style.animation import MAX_FRAMES
from ganstudio.style.photos import MORPH_SIDE
from ganstudio.style.queue import StyleQueue
from ganstudio.style.render import PREVIEW_SIDE
from ganstudio.style.stroke import DEFAULT_STROKE, STROKE_LABELS, STROKES
from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.style.split_view import SplitView

OPEN_FILE_TEXT = "Open a style model file…"


class StyleChooser(QWidget):
    """Style, direction, stroke size and strength."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_box = QComboBox()
        self.direction_box = QComboBox()
        self.stroke_box = QComboBox()
        for stroke in STROKES:
            self.stroke_box.addItem(STROKE_LABELS[stroke], stroke)
        self.stroke_box.setCurrentIndex(STROKES.index(DEFAULT_STROKE))
        self.stroke_box.setToolTip("The photo's long side while the network paints it: the scale of the brush "
                                   "strokes. The painting is then brought back to the photo's full size with the "
                                   "photo's own detail where the style kept its edges. Full size paints the photo "
                                   "itself: the finest strokes and the slowest render.")
        self.strength = QSlider(Qt.Orientation.Horizontal)
        self.strength.setRange(0, 100)
        self.strength.setValue(100)
        self.strength_label = QLabel("100 %")
        strength_row = QHBoxLayout()
        strength_row.addWidget(self.strength)
        strength_row.addWidget(self.strength_label)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Style", self.style_box)
        form.addRow("Direction", self.direction_box)
        form.addRow("Stroke size", self.stroke_box)
        form.addRow("Strength", strength_row)

    def fill(self, styles: list[tuple[str, Path, str]], keep: Path | None) -> None:
        """(title, file, default direction) per style, the kept file if missing, and the "Open…" item."""
        self.style_box.blockSignals(True)
        self.style_box.clear()
        for title, path, direction in styles:
            self.style_box.addItem(title, (path, direction))
        if keep is not None and self.index_of(keep) < 0:
            self.style_box.addItem(keep.name, (keep, "AB"))
        self.style_box.addItem(OPEN_FILE_TEXT, None)
        self.style_box.blockSignals(False)

    def index_of(self, path: Path | None) -> int:
        for i in range(self.style_box.count()):
            data = self.style_box.itemData(i)
            if data is not None and data[0] == path:
                return i
        return -1

    def add_file(self, path: Path) -> None:
        """Offer `path` (just above the "Open…" item) and choose it."""
        if self.index_of(path) < 0:
            self.style_box.insertItem(self.style_box.count() - 1, path.name, (path, "AB"))
        self.style_box.setCurrentIndex(self.index_of(path))

    def open_item_chosen(self) -> bool:
        """True when the current item is "Open a style model file…"."""
        count = self.style_box.count()
        return self.style_box.currentData() is None and count > 1 and self.style_box.currentIndex() == count - 1

    def set_directions(self, labels: dict[str, str], chosen: str) -> None:
        self.direction_box.blockSignals(True)
        self.direction_box.clear()
        for direction, label in labels.items():
            self.direction_box.addItem(label, direction)
        self.direction_box.setCurrentIndex(self.direction_box.findData(chosen))
        self.direction_box.blockSignals(False)

    @property
    def direction(self) -> str:
        return self.direction_box.currentData() or "AB"

    @property
    def stroke(self) -> str:
        return str(self.stroke_box.currentData())


class QueuePanel(QWidget):
    """The list of queued photos and the buttons that add and remove them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.add_files = QPushButton("Add photos…")
        self.add_folder = QPushButton("Add folder…")
        self.paste = QPushButton("Paste")
        self.remove = QPushButton("Remove")
        buttons = QGridLayout()  # two by two: four buttons in one row were clipped in the narrow column
        for i, b in enumerate((self.add_files, self.add_folder, self.paste, self.remove)):
            buttons.addWidget(b, i // 2, i % 2)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(QLabel("Queue"))
        v.addWidget(self.list, 1)
        v.addLayout(buttons)

    def show_queue(self, queue: StyleQueue) -> None:
        """One line per photo, the current one selected."""
        self.list.blockSignals(True)
        while self.list.count() > len(queue.photos):
            self.list.takeItem(self.list.count() - 1)
        for i, photo in enumerate(queue.photos):
            if i < self.list.count():
                self.list.item(i).setText(photo.label)
            else:
                self.list.addItem(photo.label)
        self.list.setCurrentRow(queue.current_index)
        self.list.blockSignals(False)


class ResultPanel(QWidget):
    """The before / after view, what is known about the photo, progress and the actions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = SplitView()
        self.zoom_btn = QPushButton("100 %")
        self.zoom_btn.setToolTip("Show the picture one pixel per screen pixel (a photo over 1024 px: its 1024 px "
                                 "screen copy), and back to fitted. Drag to pan a zoomed picture (drag the divider "
                                 "to move it); the wheel or + / − zoom")
        self.zoom_btn.clicked.connect(self.view.toggle_one_to_one)
        self.view.zoom_changed.connect(lambda: self.zoom_btn.setText("100 %" if self.view.zoom is None else "Fit"))
        self.render_btn = QPushButton("Render full size")
        self.export_btn = QPushButton("Export…")
        self.gif_btn = QPushButton("Morph GIF…")
        self.gif_side = spin_box(64, PREVIEW_SIDE, MORPH_SIDE, "Morph GIF: long side in pixels (at most the "
                                 "screen copy's)")
        self.gif_frames = spin_box(3, 60, 10, "Morph GIF: blend frames from the photo to the painting "
                                   "(the GIF plays them forth and back)")
        self.anim_btn = QPushButton("Animation…")
        self.anim_btn.setToolTip("Stylize every frame of an animated GIF / WebP (or, with the video extra, a video) "
                                 "into a GIF, WebP or MP4, with one set of colour statistics for all frames so it "
                                 f"does not flicker; at most {MAX_FRAMES} frames")
        self.all_btn = QPushButton("Stylize all…")
        self.cancel_btn = QPushButton("Cancel")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        actions = QHBoxLayout()
        for b in (self.render_btn, self.export_btn, self.all_btn, self.cancel_btn, self.zoom_btn):
            actions.addWidget(b)
        gif_row = QHBoxLayout()
        for w in (self.gif_btn, QLabel("size"), self.gif_side, QLabel("px · frames"), self.gif_frames):
            gif_row.addWidget(w)
        gif_row.addStretch(1)
        gif_row.addWidget(self.anim_btn)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.view, 1)
        v.addWidget(self.info)
        v.addWidget(self.progress)
        v.addLayout(actions)
        v.addLayout(gif_row)

    def show_busy(self) -> None:
        """A job has started and has not counted its tiles yet (a busy bar, not the last job's 100 %)."""
        self.progress.setRange(0, 0)
        self.progress.setValue(0)

    def show_progress(self, done: int, total: int, unit: str = "tile") -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{unit} %v of %m" if total > 1 else "%p%")

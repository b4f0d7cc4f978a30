"""The Latent Walk page's preview: the current frame, play / pause, the scrub bar and fps."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from ganstudio.export import writers
from ganstudio.ui.common.fit_label import FitLabel
from ganstudio.ui.common.qimage import to_pixmap
from ganstudio.ui.common.spin import spin_box

NO_WALK = ("Pin two or more keyframes to preview the walk "
           "(or one, with “Noise loop around the selected keyframe”).")


class Playback(QWidget):
    """Widgets and the play timer; the page decides what each tick shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        self.preview = FitLabel(NO_WALK)
        self.preview.setWordWrap(True)
        self.preview.setMinimumSize(120, 120)  # small enough for a 720 px high window
        self.preview.setStyleSheet("background: #181818; color: #bbbbbb;")
        v.addWidget(self.preview, 1)
        row = QHBoxLayout()
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.scrub = QSlider(Qt.Orientation.Horizontal)
        self.scrub.setToolTip("Scrub through the walk")
        self.frame_label = QLabel("0 / 0")
        self.fps = spin_box(1, writers.MAX_FPS, 24,
                            "Frames per second of the preview and of every export (GIF: at most 50)")
        row.addWidget(self.play_button)
        row.addWidget(self.scrub, 1)
        row.addWidget(self.frame_label)
        row.addWidget(QLabel("fps"))
        row.addWidget(self.fps)
        v.addLayout(row)
        self.play_timer = QTimer(self)

    def draw(self, frame: np.ndarray) -> None:
        self.preview.set_picture(to_pixmap(frame))

    def show_position(self, index: int, n: int) -> None:
        """Scrub range and position, and the frame label, without firing the scrub bar's signal."""
        self.scrub.blockSignals(True)
        self.scrub.setRange(0, max(n - 1, 0))
        self.scrub.setValue(index)
        self.scrub.blockSignals(False)
        self.frame_label.setText(f"{index + 1} / {n}" if n else "0 / 0")
        if n == 0:
            self.preview.clear_picture(NO_WALK)

    def show_playing(self, on: bool) -> None:
        """Button state and timer for playing at the fps box's rate."""
        self.play_button.blockSignals(True)
        self.play_button.setChecked(on)
        self.play_button.blockSignals(False)
        self.play_button.setText("Pause" if on else "Play")
        if on:
            self.play_timer.start(round(1000 / self.fps.value()))
        else:
            self.play_timer.stop()

"""A label that shows a picture as large as fits, and fits it again whenever the label is resized."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def fit(pix: QPixmap, size: QSize) -> QPixmap:
    """`pix` scaled to fit `size`, nearest neighbour so 28–64 px samples stay crisp when enlarged."""
    return pix.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


class FitLabel(QLabel):
    """Keeps the full-size picture and shows it fitted: a shrinking window shrinks it too, instead of
    leaving the picture at its old size, cut off."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._source: QPixmap | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def set_picture(self, pix: QPixmap) -> None:
        self._source = pix
        self.setPixmap(fit(pix, self.size()))

    def clear_picture(self, text: str) -> None:
        self._source = None
        self.clear()
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  (Qt override)
        super().resizeEvent(event)
        if self._source is not None:
            self.setPixmap(fit(self._source, event.size()))

"""One widget for every grid of samples: images tiled with `core.render.image_grid`, scaled to fit
with crisp pixels, and (optionally) clickable cells.

Small samples (28 px digits) are enlarged by whole numbers while that fills most of the widget,
so every source pixel stays an even square; a click reports the index of the sample under the
pointer, or nothing for gutters and empty space.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ganstudio.core.render import image_grid
from ganstudio.ui.common.qimage import to_pixmap

PAD = 2  # gutter between cells, in source pixels


class ImageGrid(QLabel):
    """Samples (N, H, W, 3) uint8 drawn as one picture of `cols` columns; `cell_clicked(index)`."""

    cell_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, clickable: bool = True) -> None:
        super().__init__(parent)
        self.clickable = clickable
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(280, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("background: #181818; color: #bbb;")
        self.images = np.zeros((0, 1, 1, 3), np.uint8)
        self.cols = 1
        self._picture: QPixmap | None = None

    def set_images(self, images: np.ndarray, cols: int) -> None:
        self.images, self.cols = images, cols
        self._picture = to_pixmap(image_grid(images, cols, PAD))
        self._rescale()

    def clear_images(self, text: str = "") -> None:
        self.images, self._picture = np.zeros((0, 1, 1, 3), np.uint8), None
        self.clear()
        self.setText(text)

    def composite(self) -> np.ndarray:
        """The grid as one uint8 picture, at source size (what an export writes)."""
        return image_grid(self.images, self.cols, PAD)

    def scale(self) -> float:
        """The enlargement that fits the widget: whole numbers while they fill most of it (even pixels)."""
        if self._picture is None:
            return 1.0
        fit = min(self.width() / self._picture.width(), self.height() / self._picture.height())
        return float(int(fit)) if fit >= 4 else max(fit, 0.25)

    def _rescale(self) -> None:
        if self._picture is None:
            return
        k = self.scale()
        self.setPixmap(self._picture.scaled(round(self._picture.width() * k), round(self._picture.height() * k),
                                            Qt.AspectRatioMode.IgnoreAspectRatio,
                                            Qt.TransformationMode.FastTransformation))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._rescale()

    def index_at(self, pos: QPoint) -> int | None:
        """The sample under a widget position, or None for gutters and empty space."""
        if self._picture is None or not len(self.images):
            return None
        k = self.scale()
        left = (self.width() - round(self._picture.width() * k)) // 2
        top = (self.height() - round(self._picture.height() * k)) // 2
        x, y = int((pos.x() - left) // k) - PAD, int((pos.y() - top) // k) - PAD
        h, w = self.images.shape[1:3]
        col, cx = divmod(x, w + PAD)
        row, cy = divmod(y, h + PAD)
        if x < 0 or y < 0 or cx >= w or cy >= h or col >= self.cols:
            return None
        index = row * self.cols + col
        return index if index < len(self.images) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        index = self.index_at(event.position().toPoint()) if self.clickable else None
        if index is not None:
            self.cell_clicked.emit(index)
        super().mousePressEvent(event)

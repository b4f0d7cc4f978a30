"""The photo with the square the model will see: drag it to move it, the wheel (or the dialog's slider)
resizes it. The crop is kept in the photo's own pixels, so what is projected is exactly what is shown."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ganstudio.projection.photo import Crop, centre_crop
from ganstudio.ui.common.qimage import to_pixmap


class CropView(QWidget):
    """`changed` fires whenever the square moves or changes size."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip("Drag the square to choose what the model sees; the wheel makes it larger or smaller")
        self._pix: QPixmap | None = None
        self._w = self._h = 1
        self._min = 1
        self._crop = Crop(0, 0, 1)
        self._grab: QPoint | None = None

    def set_photo(self, rgb: np.ndarray, min_side: int) -> None:
        """Show a photo (H, W, 3) uint8 with the centre square; the square never goes under `min_side`."""
        self._pix = to_pixmap(rgb)
        self._h, self._w = rgb.shape[:2]
        self._min = min(min_side, self._w, self._h)
        self.set_crop(centre_crop(self._w, self._h))

    def crop(self) -> Crop:
        return self._crop

    def min_side(self) -> int:
        return self._min

    def max_side(self) -> int:
        return min(self._w, self._h)

    def set_crop(self, crop: Crop) -> None:
        """Move the square, kept inside the photo and no smaller than the model's side."""
        side = max(self._min, min(crop.size, self.max_side()))
        x = max(0, min(crop.x, self._w - side))
        y = max(0, min(crop.y, self._h - side))
        new = Crop(x, y, side)
        if new != self._crop:
            self._crop = new
            self.update()
            self.changed.emit()

    def set_side(self, side: int) -> None:
        """Resize the square around its centre."""
        c = self._crop
        cx, cy = c.x + c.size // 2, c.y + c.size // 2
        self.set_crop(Crop(cx - side // 2, cy - side // 2, side))

    # -- drawing and the mouse ---------------------------------------------------------------
    def _frame(self) -> tuple[float, float, float]:
        """(scale, left, top): where the photo is drawn, fitted and centred."""
        scale = min(self.width() / self._w, self.height() / self._h)
        return scale, (self.width() - self._w * scale) / 2, (self.height() - self._h * scale) / 2

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802  (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(24, 24, 24))
        if self._pix is None:
            return
        s, left, top = self._frame()
        photo = QRectF(left, top, self._w * s, self._h * s)
        painter.drawPixmap(photo.toRect(), self._pix)
        c = self._crop
        square = QRectF(left + c.x * s, top + c.y * s, c.size * s, c.size * s)
        shade = QColor(0, 0, 0, 140)
        for r in (QRectF(photo.left(), photo.top(), photo.width(), square.top() - photo.top()),
                  QRectF(photo.left(), square.bottom(), photo.width(), photo.bottom() - square.bottom()),
                  QRectF(photo.left(), square.top(), square.left() - photo.left(), square.height()),
                  QRectF(square.right(), square.top(), photo.right() - square.right(), square.height())):
            painter.fillRect(r, shade)
        painter.setPen(QPen(QColor(255, 220, 0), 2))
        painter.drawRect(square.toRect())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._pix is not None:
            self._grab = event.position().toPoint()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._grab is None:
            return
        pos = event.position().toPoint()
        s = self._frame()[0]
        dx, dy = round((pos.x() - self._grab.x()) / s), round((pos.y() - self._grab.y()) / s)
        if dx or dy:
            self._grab = pos
            c = self._crop
            self.set_crop(Crop(c.x + dx, c.y + dy, c.size))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._grab = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self._pix is None:
            return
        step = max(1, self.max_side() // 40)
        self.set_side(self._crop.size + (step if event.angleDelta().y() > 0 else -step))
        event.accept()

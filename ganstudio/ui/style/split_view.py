"""Before / after split view: the original left of a draggable divider, the stylized photo right of it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget


def rgba_pixmap(arr: np.ndarray) -> QPixmap:
    """(H, W, 3|4) uint8 → QPixmap, alpha kept."""
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    fmt = QImage.Format.Format_RGBA8888 if arr.shape[2] == 4 else QImage.Format.Format_RGB888
    return QPixmap.fromImage(QImage(arr.data, arr.shape[1], arr.shape[0], arr.strides[0], fmt).copy())


class SplitView(QWidget):
    """Shows `before` and `after` fitted to the widget; drag anywhere to move the divider."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.before: QPixmap | None = None
        self.after: QPixmap | None = None
        self.split = 0.5  # divider position, share of the picture's width
        self.placeholder = "Drop photos or folders here"
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.SplitHCursor)

    def set_images(self, before: np.ndarray | None, after: np.ndarray | None) -> None:
        self.before = rgba_pixmap(before) if before is not None else None
        self.after = rgba_pixmap(after) if after is not None else None
        self.update()

    def picture_rect(self) -> QRect:
        ref = self.after or self.before
        if ref is None:
            return QRect()
        size = ref.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect(QPoint((self.width() - size.width()) // 2, (self.height() - size.height()) // 2), size)

    def set_split_at(self, x: int) -> None:
        rect = self.picture_rect()
        if rect.width() > 0:
            self.split = min(max((x - rect.left()) / rect.width(), 0.0), 1.0)
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        self.set_split_at(int(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.set_split_at(int(event.position().x()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(40, 40, 44))
        rect = self.picture_rect()
        if rect.isEmpty():
            p.setPen(QColor(170, 170, 170))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
            return
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self.after is not None:
            p.drawPixmap(rect, self.after)
        if self.before is not None:
            cut = int(rect.width() * (self.split if self.after is not None else 1.0))
            src_w = int(self.before.width() * cut / max(rect.width(), 1))
            p.drawPixmap(QRect(rect.left(), rect.top(), cut, rect.height()), self.before,
                         QRect(0, 0, src_w, self.before.height()))
        if self.before is not None and self.after is not None:
            x = rect.left() + int(rect.width() * self.split)
            p.setPen(QPen(QColor(255, 255, 255), 2))
            p.drawLine(x, rect.top(), x, rect.bottom())
            p.drawText(rect.adjusted(8, 6, -8, -6), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, "before")
            p.drawText(rect.adjusted(8, 6, -8, -6), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, "after")

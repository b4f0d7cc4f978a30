"""Before / after split view: the original left of a draggable divider, the stylized photo right of it.

The pictures are fitted to the widget, or zoomed (100 % shows one pixel of the pictures given, the
page's screen copies of up to 1024 px, per screen pixel) and panned. The divider sits at a share of
the visible part of the picture, so it stays on screen however the picture is panned: dragging on it
(or anywhere while fitted) moves it, dragging elsewhere on a zoomed picture pans. The wheel and
+ / − zoom about the cursor, 1 shows 100 %, 0 fits again.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_ZOOM = 8.0
WHEEL_STEP = 1.25  # zoom factor per wheel notch or key press
GRAB_PX = 8  # how near the divider a press takes hold of it


def rgba_pixmap(arr: np.ndarray) -> QPixmap:
    """(H, W, 3|4) uint8 → QPixmap, alpha kept."""
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    fmt = QImage.Format.Format_RGBA8888 if arr.shape[2] == 4 else QImage.Format.Format_RGB888
    return QPixmap.fromImage(QImage(arr.data, arr.shape[1], arr.shape[0], arr.strides[0], fmt).copy())


class SplitView(QWidget):
    """Shows `before` and `after`, fitted or zoomed; `zoom_changed` is sent between fitted and zoomed."""

    zoom_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.before: QPixmap | None = None
        self.after: QPixmap | None = None
        self.split = 0.5  # divider position, share of the visible picture's width
        self.zoom: float | None = None  # None: fitted to the widget; else screen pixels per image pixel
        self.centre = QPointF()  # the picture point at the widget's centre while zoomed
        self._drag: tuple[str, QPointF] | None = None  # ("split" | "pan", last position)
        self.placeholder = "Drop photos or folders here"
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # + / − / 1 / 0
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.SplitHCursor)

    def set_images(self, before: np.ndarray | None, after: np.ndarray | None) -> None:
        """New pictures; a zoom is kept (and its centre, where the picture keeps its size)."""
        old = self._ref()
        self.before = rgba_pixmap(before) if before is not None else None
        self.after = rgba_pixmap(after) if after is not None else None
        ref = self._ref()
        if ref is not None and (old is None or old.size() != ref.size()):
            self.centre = QPointF(ref.width() / 2, ref.height() / 2)
        self._clamp()
        self.update()

    def _ref(self) -> QPixmap | None:
        return self.after or self.before

    # -- zoom and pan -------------------------------------------------------------------------
    def fit_scale(self) -> float:
        ref = self._ref()
        return min(self.width() / ref.width(), self.height() / ref.height()) if ref is not None else 1.0

    def scale(self) -> float:
        return self.zoom if self.zoom is not None else self.fit_scale()

    def set_zoom(self, zoom: float | None, anchor: QPointF | None = None) -> None:
        """Zoom to `zoom` (None: fit) keeping the picture point under `anchor` (default: the centre) in place."""
        ref = self._ref()
        if ref is None:
            return
        if zoom is not None:
            zoom = min(zoom, MAX_ZOOM)
            if zoom <= self.fit_scale() and zoom != 1.0:
                zoom = None  # smaller than fitted: fitted
        at = anchor if anchor is not None else QPointF(self.width() / 2, self.height() / 2)
        point = self.to_picture(at)
        was_fitted, self.zoom = self.zoom is None, zoom
        if zoom is not None:
            self.centre = point - (at - QPointF(self.width() / 2, self.height() / 2)) / zoom
        self._clamp()
        self.update()
        if was_fitted != (zoom is None):
            self.zoom_changed.emit()

    def toggle_one_to_one(self) -> None:
        """Fit ↔ 100 %."""
        self.set_zoom(1.0 if self.zoom is None else None)

    def pan(self, dx: float, dy: float) -> None:
        """Move the picture by (dx, dy) screen pixels."""
        if self.zoom is not None:
            self.centre -= QPointF(dx, dy) / self.zoom
            self._clamp()
            self.update()

    def _clamp(self) -> None:
        """Keep the picture on screen: a side larger than the widget cannot be panned past its edge."""
        ref = self._ref()
        if ref is None:
            return
        k = self.scale()
        x, y = self.centre.x(), self.centre.y()
        for size, view, value, i in ((ref.width(), self.width(), x, 0), (ref.height(), self.height(), y, 1)):
            half = view / 2 / k
            v = size / 2 if size <= 2 * half else min(max(value, half), size - half)
            x, y = (v, y) if i == 0 else (x, v)
        self.centre = QPointF(x, y)

    def picture_rect(self) -> QRectF:
        """Where the whole picture lies, in widget pixels (whole pixels at 100 %)."""
        ref = self._ref()
        if ref is None:
            return QRectF()
        k = self.scale()
        w, h = ref.width() * k, ref.height() * k
        if self.zoom is None:
            return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        left = round(self.width() / 2 - self.centre.x() * k)
        top = round(self.height() / 2 - self.centre.y() * k)
        return QRectF(left, top, w, h)

    def to_picture(self, at: QPointF) -> QPointF:
        rect = self.picture_rect()
        return (at - rect.topLeft()) / self.scale()

    def visible_rect(self) -> QRectF:
        return self.picture_rect().intersected(QRectF(self.rect()))

    # -- the divider ----------------------------------------------------------------------------
    def divider_x(self) -> float:
        vis = self.visible_rect()
        return vis.left() + vis.width() * self.split

    def set_split_at(self, x: float) -> None:
        vis = self.visible_rect()
        if vis.width() > 0:
            self.split = min(max((x - vis.left()) / vis.width(), 0.0), 1.0)
            self.update()

    # -- input ----------------------------------------------------------------------------------
    def _on_divider(self, x: float) -> bool:
        return self.zoom is None or abs(x - self.divider_x()) <= GRAB_PX or self.after is None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        at = event.position()
        left = event.button() == Qt.MouseButton.LeftButton
        mode = "split" if left and self._on_divider(at.x()) and self.after is not None else "pan"
        self._drag = (mode, at)
        if mode == "split":
            self.set_split_at(at.x())
        else:
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        at = event.position()
        if self._drag is None:
            hand = Qt.CursorShape.SplitHCursor if self._on_divider(at.x()) else Qt.CursorShape.OpenHandCursor
            self.setCursor(hand)
            return
        mode, last = self._drag
        if mode == "split":
            self.set_split_at(at.x())
        else:
            self.pan(at.x() - last.x(), at.y() - last.y())
        self._drag = (mode, at)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        self._drag = None
        self.mouseMoveEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        self.set_zoom(1.0 if self.zoom is None else None, event.position())

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt name)
        notches = event.angleDelta().y() / 120
        if notches:
            self.set_zoom(self.scale() * WHEEL_STEP ** notches, event.position())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(self.scale() * WHEEL_STEP)
        elif key == Qt.Key.Key_Minus:
            self.set_zoom(self.scale() / WHEEL_STEP)
        elif key == Qt.Key.Key_1:
            self.set_zoom(1.0)
        elif key == Qt.Key.Key_0:
            self.set_zoom(None)
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if self.zoom is not None and self.zoom <= self.fit_scale() and self.zoom != 1.0:
            self.set_zoom(None)
        self._clamp()

    # -- drawing --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(40, 40, 44))
        rect = self.picture_rect()
        if rect.isEmpty():
            p.setPen(QColor(170, 170, 170))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
            return
        smooth = self.scale() < 1.0 or (self.zoom is None and self.scale() != 1.0)  # zoomed in: crisp pixels
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        if self.after is not None:
            p.drawPixmap(rect, self.after, QRectF(self.after.rect()))
        if self.before is not None:
            cut = self.divider_x() if self.after is not None else rect.right() + 1
            p.save()
            p.setClipRect(QRectF(rect.left(), rect.top(), cut - rect.left(), rect.height()))
            p.drawPixmap(rect, self.before, QRectF(self.before.rect()))
            p.restore()
        self._draw_marks(p)

    def _draw_marks(self, p: QPainter) -> None:
        vis = self.visible_rect().toAlignedRect()
        p.setPen(QPen(QColor(255, 255, 255), 2))
        if self.before is not None and self.after is not None:
            x = round(self.divider_x())
            p.drawLine(x, vis.top(), x, vis.bottom())
            box = vis.adjusted(8, 6, -8, -6)
            p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, "before")
            p.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, "after")
        if self.zoom is not None:
            p.drawText(QRect(vis).adjusted(8, 6, -8, -6), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                       f"{self.zoom:.0%}")

"""One widget for every grid of samples: images tiled with `core.render.image_grid`, scaled to fit
with crisp pixels, and (optionally) clickable cells.

Small samples (28 px digits) are enlarged by whole numbers while that fills most of the widget,
so every source pixel stays an even square; a click reports the index of the sample under the
pointer, or nothing for gutters and empty space. The Latent Walk page adds what a seed picker
needs: a caption on each cell (its seed), the selected cell outlined, and a double-click that
shows one sample enlarged on its own (double-click again for the grid). The Classes page uses
the plain grid, and the Train page one pre-tiled picture per step.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ganstudio.core.render import image_grid
from ganstudio.ui.common.qimage import to_pixmap

PAD = 2  # gutter between cells, in source pixels
ACCENT = QColor("#f0a030")  # the selected cell's outline


class ImageGrid(QLabel):
    """Samples (N, H, W, 3) uint8 drawn as one picture of `cols` columns.

    `cell_clicked(index)` on a click on a sample (which also selects it), `activated(index)` on a
    double-click (which toggles the enlarged view of that sample).
    """

    cell_clicked = Signal(int)
    activated = Signal(int)

    def __init__(self, parent: QWidget | None = None, clickable: bool = True, min_side: int = 280) -> None:
        super().__init__(parent)
        self.clickable = clickable
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumSize(min_side, min_side)
        # the picture is scaled to whatever room the layout gives, so its size must not ask for more
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setStyleSheet("background: #181818; color: #bbb;")
        self.images = np.zeros((0, 1, 1, 3), np.uint8)
        self.cols = 1
        self.captions: list[str] = []  # drawn over each cell when given (the walk's seeds)
        self.current = -1  # the selected sample, outlined when there are captions; -1 = none
        self.enlarged = False  # showing only the selected sample
        self._picture: QPixmap | None = None

    def set_images(self, images: np.ndarray, cols: int, captions: list[str] | None = None) -> None:
        self.images, self.cols, self.captions = images, cols, list(captions or [])
        if self.current >= len(images):
            self.current, self.enlarged = -1, False
        self._show()

    def clear_images(self, text: str = "") -> None:
        self.images, self._picture, self.captions = np.zeros((0, 1, 1, 3), np.uint8), None, []
        self.current, self.enlarged = -1, False
        self.clear()
        self.setText(text)

    def composite(self) -> np.ndarray:
        """The grid as one uint8 picture, at source size (what an export writes)."""
        return image_grid(self.images, self.cols, PAD)

    def select(self, index: int) -> None:
        """Select sample `index` (ignored when out of range) and report it as clicked."""
        if 0 <= index < len(self.images):
            self.current = index
            self.update()
            self.cell_clicked.emit(index)

    def set_enlarged(self, on: bool) -> None:
        self.enlarged = on and self.current >= 0
        self._show()

    def _show(self) -> None:
        shown = self.images[self.current:self.current + 1] if self.enlarged else self.images
        self._picture = to_pixmap(image_grid(shown, 1 if self.enlarged else self.cols, PAD)) if len(shown) else None
        self._rescale()

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
        # whole factors keep every source pixel an even square; any other factor would make nearest
        # neighbour repeat some rows and columns and not others, so it is smoothed instead
        mode = Qt.TransformationMode.FastTransformation if k == int(k) else Qt.TransformationMode.SmoothTransformation
        self.setPixmap(self._picture.scaled(round(self._picture.width() * k), round(self._picture.height() * k),
                                            Qt.AspectRatioMode.IgnoreAspectRatio, mode))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._rescale()

    def _origin(self) -> tuple[int, int, float]:
        assert self._picture is not None
        k = self.scale()
        return ((self.width() - round(self._picture.width() * k)) // 2,
                (self.height() - round(self._picture.height() * k)) // 2, k)

    def cell_rect(self, index: int) -> QRect:
        """Where sample `index` is drawn, in widget coordinates (empty when it is not shown)."""
        if self._picture is None or not 0 <= index < len(self.images) or (self.enlarged and index != self.current):
            return QRect()
        left, top, k = self._origin()
        h, w = self.images.shape[1:3]
        row, col = (0, 0) if self.enlarged else divmod(index, self.cols)
        x, y = PAD + col * (w + PAD), PAD + row * (h + PAD)
        return QRect(left + round(x * k), top + round(y * k), round(w * k), round(h * k))

    def index_at(self, pos: QPoint) -> int | None:
        """The sample under a widget position, or None for gutters and empty space."""
        if self._picture is None:
            return None
        indices = [self.current] if self.enlarged else range(len(self.images))
        return next((i for i in indices if self.cell_rect(i).contains(pos)), None)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        if not self.captions or self._picture is None:
            return
        p = QPainter(self)
        for i in [self.current] if self.enlarged else range(len(self.images)):
            rect = self.cell_rect(i)
            if i == self.current and not self.enlarged:
                p.setPen(QPen(ACCENT, 3))
                p.drawRect(rect.adjusted(1, 1, -2, -2))
            if i < len(self.captions):
                text = self.captions[i]
                p.fillRect(QRect(rect.left(), rect.bottom() - 14, 8 + 7 * len(text), 15), QColor(0, 0, 0, 150))
                p.setPen(QColor("#ffffff"))
                p.drawText(rect.left() + 4, rect.bottom() - 2, text)
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        index = self.index_at(event.position().toPoint()) if self.clickable and not self.enlarged else None
        if index is not None:
            self.select(index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        index = self.current if self.enlarged else self.index_at(event.position().toPoint())
        if self.clickable and index is not None and index >= 0:
            self.current = index
            self.set_enlarged(not self.enlarged)
            self.activated.emit(index)
        super().mouseDoubleClickEvent(event)

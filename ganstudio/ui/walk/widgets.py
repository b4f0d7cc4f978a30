"""Widgets of the Latent Walk page: the clickable seed grid and the keyframe timeline strip."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QSizePolicy, QWidget

from ganstudio.ui.common.qimage import to_pixmap
from ganstudio.ui.walk.controls import fit

ACCENT = QColor("#f0a030")


class SeedGrid(QWidget):
    """Samples in a square grid, each labelled with its seed. Click selects; double-click enlarges one."""

    selected = Signal(int)  # index into `seeds`
    activated = Signal(int)  # double-click

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seeds: list[int] = []
        self._pixmaps: list[QPixmap] = []
        self.current = -1
        self.enlarged = False
        self.placeholder = "Open a model to see samples."
        self.setMinimumSize(180, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("Click a sample to select it; double-click to enlarge it (double-click again for the grid).")

    def set_samples(self, seeds: list[int], images: np.ndarray) -> None:
        self.seeds = list(seeds)
        self._pixmaps = [to_pixmap(img) for img in images]
        if self.current >= len(self.seeds):
            self.current = -1
        self.update()

    def select(self, index: int) -> None:
        if 0 <= index < len(self.seeds):
            self.current = index
            self.update()
            self.selected.emit(index)

    def set_enlarged(self, on: bool) -> None:
        self.enlarged = on and self.current >= 0
        self.update()

    def _cols(self) -> int:
        return max(1, math.ceil(math.sqrt(len(self._pixmaps))))

    def cell_rect(self, index: int) -> QRect:
        """Where sample `index` is drawn (the whole widget when enlarged)."""
        side = min(self.width(), self.height())
        if self.enlarged:
            return QRect((self.width() - side) // 2, 0, side, side)
        cols = self._cols()
        cell = side // cols
        r, c = divmod(index, cols)
        return QRect((self.width() - cell * cols) // 2 + c * cell, r * cell, cell, cell)

    def index_at(self, x: int, y: int) -> int:
        for i in range(len(self._pixmaps)):
            if self.cell_rect(i).contains(x, y):
                return i
        return -1

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#181818"))
        if not self._pixmaps:
            p.setPen(QColor("#bbbbbb"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        shown = [self.current] if self.enlarged else range(len(self._pixmaps))
        for i in shown:
            rect = self.cell_rect(i).adjusted(2, 2, -2, -2)
            # nearest neighbour keeps 28–64 px samples crisp when enlarged
            p.drawPixmap(rect, fit(self._pixmaps[i], rect.size()))
            if i == self.current and not self.enlarged:
                p.setPen(QPen(ACCENT, 3))
                p.drawRect(rect.adjusted(1, 1, -1, -1))
            p.setPen(QColor("#ffffff"))
            tag = QRect(rect.left(), rect.bottom() - 14, 8 + 7 * len(str(self.seeds[i])), 15)
            p.fillRect(tag, QColor(0, 0, 0, 150))
            p.drawText(rect.left() + 4, rect.bottom() - 2, str(self.seeds[i]))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self.enlarged:
            self.select(self.index_at(int(event.position().x()), int(event.position().y())))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        index = self.current if self.enlarged else self.index_at(int(event.position().x()), int(event.position().y()))
        if index >= 0:
            self.current = index
            self.set_enlarged(not self.enlarged)
            self.activated.emit(index)


class Timeline(QListWidget):
    """Keyframes left to right as thumbnails; drag to reorder. Each item carries its Keyframe object."""

    order_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Snap)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setIconSize(QSize(72, 72))
        self.setGridSize(QSize(96, 112))
        self.setFixedHeight(132)
        self.setSpacing(4)
        self.setToolTip("The keyframes of the walk in play order. Drag to reorder; select one to edit its segment.")
        self.model().rowsMoved.connect(lambda *_: self.order_changed.emit())

    def sync(self, keys: list, texts: list[str], images: list[np.ndarray | None], current: int) -> None:
        """Show `keys` (rebuilt only when they changed, so a drag in progress is left alone), each with
        its text and thumbnail (blank until rendered), and select row `current`."""
        self.blockSignals(True)
        if self.keyframes() != keys:
            self.clear()
            for kf in keys:
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, kf)
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
                self.addItem(item)
        for i, (text, image) in enumerate(zip(texts, images, strict=True)):
            item = self.item(i)
            item.setText(text)
            item.setIcon(QIcon() if image is None else
                         QIcon(fit(to_pixmap(image), QSize(72, 72))))
        self.setCurrentRow(current)
        self.blockSignals(False)

    def keyframes(self) -> list:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]

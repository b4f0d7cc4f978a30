"""The Latent Walk page's keyframe timeline strip (the seed grid is the shared `ui.common.image_grid`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from ganstudio.ui.common.fit_label import fit
from ganstudio.ui.common.qimage import to_pixmap

ACCENT = QColor("#f0a030")


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
        self.setGridSize(QSize(104, 112))  # a thumbnail and two caption lines ("T-shirt/top · 24 f")
        self.setWordWrap(True)
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

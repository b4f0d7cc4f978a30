"""numpy uint8 pictures → Qt pixmaps, built in the GUI thread only."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPixmap


def to_pixmap(rgb: np.ndarray) -> QPixmap:
    """(H, W, 3) or (H, W) uint8 → QPixmap (copied, so the array may be freed)."""
    arr = np.ascontiguousarray(rgb, dtype=np.uint8)
    if arr.ndim == 2:
        image = QImage(arr.data, arr.shape[1], arr.shape[0], arr.strides[0], QImage.Format.Format_Grayscale8)
    else:
        image = QImage(arr.data, arr.shape[1], arr.shape[0], arr.strides[0], QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())

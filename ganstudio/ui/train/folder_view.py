"""What a scanned image folder holds, under the folder row: a summary line and a few thumbnails."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from ganstudio.core.errors import UserError
from ganstudio.core.images import fit_square, open_image
from ganstudio.data.folder import FolderScan
from ganstudio.ui.common.qimage import to_pixmap

THUMBS = 8
THUMB_PX = 36


class FolderView:
    """The summary label and the thumbnails' row (two rows of the data section)."""

    def __init__(self) -> None:
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.thumbs = QHBoxLayout()
        self.thumbs.setSpacing(2)
        self.thumbs.addStretch(1)
        self.thumbs_box = QWidget()
        self.thumbs_box.setLayout(self.thumbs)
        # the thumbnails never widen the form past its scroll area (Browse… and the combos were cut off)
        self.thumbs_box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.thumbs_box.setMinimumWidth(0)

    def show_scan(self, scan: FolderScan) -> None:
        self.summary.setText(describe(scan))
        while self.thumbs.count() > 1:
            item = self.thumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        picks = scan.files[:: max(1, len(scan.files) // THUMBS)][:THUMBS]
        for i, path in enumerate(picks):
            thumb = QLabel()
            thumb.setFixedSize(THUMB_PX, THUMB_PX)
            thumb.setToolTip(path.name)
            try:
                thumb.setPixmap(to_pixmap(np.asarray(fit_square(open_image(path), THUMB_PX).convert("RGB"))))
            except UserError:
                thumb.setText("?")
                thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.thumbs.insertWidget(i, thumb)


def describe(scan: FolderScan) -> str:
    """"6 images, no class subfolders → plain model" and the like."""
    text = f"{len(scan.files)} images"
    if scan.conditional:
        names = ", ".join(scan.class_names[:6]) + (" …" if len(scan.class_names) > 6 else "")
        text += f" in {len(scan.class_names)} classes ({names}) → conditional model"
    else:
        text += ", no class subfolders → plain model"
    if scan.ignored:
        text += f"; {scan.ignored} other file(s) ignored"
    return text

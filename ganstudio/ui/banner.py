"""A dismissable error banner across the top of the window: message, hint, close button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class ErrorBanner(QFrame):
    """Shows the latest error without blocking the window (a modal dialog would stall training views).

    The window places it over the top of the page when `shown` fires, so the page never moves."""

    shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setStyleSheet("#errorBanner { background: #fde2e1; border: 1px solid #e0a3a0; border-radius: 4px; }"
                           "QLabel { color: #6b1111; }")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.message.font()
        font.setBold(True)
        self.message.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.clicked.connect(self.hide)
        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.hint)
        row = QHBoxLayout(self)
        row.addLayout(text, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_error(self, message: str, hint: str = "") -> None:
        self.message.setText(message)  # not capitalised: it may start with a file name
        self.hint.setText(f"What to try: {hint}" if hint else "")
        self.hint.setVisible(bool(hint))
        self.show()
        self.shown.emit()

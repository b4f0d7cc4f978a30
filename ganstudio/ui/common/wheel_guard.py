"""The mouse wheel scrolls the page; it changes a spin box or a drop-down only once it has focus.

Without this, scrolling the Train form with the pointer over Batch size turns 64 into 112: Qt's
spin boxes and combo boxes take every wheel event they are under. One application-wide event
filter hands such events to the scroll area around the widget instead, and makes
those widgets take focus by click or Tab, not by wheel.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Wheel and isinstance(watched, (QAbstractSpinBox, QComboBox)):
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            if not watched.hasFocus():
                area = _scroll_area_of(watched)
                if area is not None:
                    QCoreApplication.sendEvent(area.viewport(), event)
                return True
        return False


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area the widget sits in (a drop-down's own list is not one of them)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def install() -> None:
    """Idempotent; needs a running QApplication (the guard lives as long as it does)."""
    app = QCoreApplication.instance()
    if app is None or app.findChild(_WheelGuard) is not None:
        return
    app.installEventFilter(_WheelGuard(app))

"""The wheel scrolls a form instead of changing the spin box or drop-down under the pointer."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from ganstudio.ui.common import wheel_guard


def _wheel(widget: QWidget, notches: int = 3) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(widget.rect().center())), QPoint(0, 0),
                        QPoint(0, -120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _form(qtbot) -> tuple[QScrollArea, QSpinBox, QComboBox]:
    wheel_guard.install()
    inner = QWidget()
    v = QVBoxLayout(inner)
    spin, combo = QSpinBox(), QComboBox()
    spin.setRange(1, 4096)
    spin.setValue(64)
    spin.setSingleStep(16)
    combo.addItems(["a", "b", "c", "d"])
    for _ in range(20):
        v.addWidget(QSpinBox())
    v.addWidget(spin)
    v.addWidget(combo)
    for _ in range(20):
        v.addWidget(QSpinBox())
    area = QScrollArea()
    area.setWidget(inner)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    area.ensureWidgetVisible(spin)
    return area, spin, combo


def test_the_wheel_over_an_unfocused_spin_box_scrolls_the_form(qtbot):
    area, spin, combo = _form(qtbot)
    before = area.verticalScrollBar().value()
    _wheel(spin)
    _wheel(combo)
    assert spin.value() == 64 and combo.currentIndex() == 0
    assert area.verticalScrollBar().value() > before  # the page scrolled instead


def test_a_focused_spin_box_still_takes_the_wheel(qtbot):
    area, spin, _ = _form(qtbot)  # the area owns the spin box: keep it alive
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=2000)
    _wheel(spin, 1)
    assert spin.value() != 64 and area.isVisible()

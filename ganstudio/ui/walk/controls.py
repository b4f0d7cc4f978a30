"""Small widget factories shared by the Latent Walk page's panels."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox


def dspin(lo: float, hi: float, value: float, step: float, tip: str = "") -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setSingleStep(step)
    s.setValue(value)
    s.setToolTip(tip)
    return s


def combo(items: list[tuple[str, object]], tip: str = "") -> QComboBox:
    c = QComboBox()
    for text, data in items:
        c.addItem(text, data)
    c.setToolTip(tip)
    return c


def fill_classes(box: QComboBox, names: list[str], n: int) -> None:
    """List classes 0..n-1 (by name where the model has one) without firing the box's signals."""
    box.blockSignals(True)
    box.clear()
    for i in range(n):
        box.addItem(names[i] if i < len(names) else str(i), i)
    box.blockSignals(False)

"""The integer spin box every page builds the same way: range, start value and a tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox


def spin_box(lo: int, hi: int, value: int, tip: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    box.setToolTip(tip)
    return box

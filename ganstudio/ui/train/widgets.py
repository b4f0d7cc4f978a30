"""One editing widget per kind of setting in `ganstudio.train.fields`, and reading / writing its value.

Written once for every field, so the Train form's widget ↔ config mapping never repeats a name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ganstudio.train.fields import Field

FILE_FILTERS = {"csv": "CSV files (*.csv);;All files (*)"}


class PathField(QWidget):
    """A line edit with a Browse… button (folder or file)."""

    chosen = Signal(str)

    def __init__(self, tip: str, pick_folder: bool, file_filter: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.pick_folder, self.file_filter = pick_folder, file_filter
        self.edit = QLineEdit()
        self.edit.setToolTip(tip)
        self.edit.setPlaceholderText(placeholder)
        self.edit.editingFinished.connect(lambda: self.chosen.emit(self.edit.text().strip()))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def _browse(self) -> None:
        start = self.text() or str(Path.home())
        if self.pick_folder:
            path = QFileDialog.getExistingDirectory(self, "Choose a folder", start)
        else:
            path = QFileDialog.getOpenFileName(self, "Choose a file", start, self.file_filter)[0]
        if path:
            self.edit.setText(path)
            self.chosen.emit(path)


def _combo(f: Field) -> QComboBox:
    box = QComboBox()
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)  # long labels must not widen the whole form
    for label, value in f.choices:
        box.addItem(label, value)
    return box


def _spin(f: Field) -> QWidget:
    box: QSpinBox | QDoubleSpinBox
    if f.kind == "int":
        box = QSpinBox()
        box.setRange(int(f.lo), int(f.hi))
        box.setSingleStep(int(f.step))
    else:
        box = QDoubleSpinBox()
        box.setRange(f.lo, f.hi)
        box.setDecimals(f.decimals)
        box.setSingleStep(f.step)
    if f.special:
        box.setSpecialValueText(f.special)
    return box


def make_widget(f: Field) -> QWidget:
    """The editor of a setting, with its tip as the tooltip."""
    widget: QWidget
    if f.kind in ("folder", "file"):
        return PathField(f.tip, f.kind == "folder", FILE_FILTERS.get(f.name, ""), f.placeholder)
    if f.kind == "choice":
        widget = _combo(f)
    elif f.kind in ("int", "float"):
        widget = _spin(f)
    elif f.kind == "bool":
        widget = QCheckBox(f.label)
    else:
        edit = QLineEdit()
        edit.setPlaceholderText(f.placeholder)
        widget = edit
    widget.setToolTip(f.tip)
    return widget


def changed_signal(widget: QWidget) -> Any:
    """The signal a setting's editor sends when the user changes its value."""
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.valueChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, PathField):
        return widget.edit.textChanged
    assert isinstance(widget, QLineEdit)
    return widget.textChanged


def get_value(widget: QWidget) -> Any:
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, PathField):
        return widget.text()
    assert isinstance(widget, QLineEdit)
    return widget.text().strip()


def set_value(widget: QWidget, value: Any) -> None:
    """Show `value`; a choice that is not on the list leaves the box as it is."""
    if isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    elif isinstance(widget, QDoubleSpinBox):
        widget.setValue(float(value))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        if index >= 0:
            widget.setCurrentIndex(index)
    elif isinstance(widget, PathField):
        widget.set_text(str(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))

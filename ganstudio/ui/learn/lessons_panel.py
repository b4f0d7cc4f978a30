"""The lesson list and the chosen lesson's words: what happens, what to look at, and the checked claim."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from ganstudio.lab.images import ImageLesson
from ganstudio.lab.lessons import COURSE, Lesson


class LessonsPanel(QGroupBox):
    """`start(lesson, mode)` is emitted by the buttons: mode 'preset', 'fix' or 'side' (both side by side).
    The last lesson, an `ImageLesson`, has only its one button ('preset')."""

    start = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Lessons", parent)
        v = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.addItems([x.title for x in COURSE])
        self.list.setMaximumHeight(118)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.run_button = QPushButton("Start lesson")
        self.fix_button = QPushButton("")
        self.side_button = QPushButton("Side by side")
        self.side_button.setToolTip("Both runs at once: the same data and seed, the one setting changed")
        row = QHBoxLayout()
        row.addWidget(self.run_button)
        row.addWidget(self.fix_button)
        row.addWidget(self.side_button)
        v.addWidget(self.list)
        v.addWidget(self.text)
        v.addLayout(row)
        self.list.currentRowChanged.connect(self._show)
        self.run_button.clicked.connect(lambda: self.start.emit(self.lesson(), "preset"))
        self.fix_button.clicked.connect(lambda: self.start.emit(self.lesson(), "fix"))
        self.side_button.clicked.connect(lambda: self.start.emit(self.lesson(), "side"))
        self.list.setCurrentRow(0)

    def lesson(self) -> Lesson | ImageLesson:
        return COURSE[max(self.list.currentRow(), 0)]

    def select(self, key: str) -> None:
        self.list.setCurrentRow(next(i for i, x in enumerate(COURSE) if x.key == key))

    def _show(self, _row: int) -> None:
        x = self.lesson()
        self.text.setText(f"<p>{html.escape(x.text)}</p><p><i>{html.escape(x.question)}</i></p>"
                          f"<p style='color:#555'>True of this run: {html.escape(x.claim)}</p>")
        fix = x.fix if isinstance(x, Lesson) else None
        self.run_button.setText(x.button if isinstance(x, ImageLesson) else "Start lesson")
        self.fix_button.setVisible(fix is not None)
        self.side_button.setVisible(fix is not None)
        self.fix_button.setText(x.fix_label if isinstance(x, Lesson) else "")

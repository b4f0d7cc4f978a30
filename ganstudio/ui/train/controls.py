"""The run controls panel: start / pause / stop / save / resume, live learning rates, the progress
bar, the status line and the health hints. It renders a `RunState` and holds no state of its own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ganstudio.train.run_state import RunState

START_TIP = "Train with the settings on the left (or continue the chosen checkpoint)."
HINT_STYLE = {"ok": "#e6f4ea; color: #1e4620", "warn": "#fff4d6; color: #5c4400", "bad": "#fde2e1; color: #6b1111"}


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


def _lr_box(who: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(1e-6, 0.99)
    box.setDecimals(6)
    box.setSingleStep(1e-4)
    box.setToolTip(f"New learning rate for the {who}, applied from the next step (also while paused). "
                   "With an LR decay this is the rate before the cool-down scales it.")
    return box


class RunControls(QWidget):
    """The buttons and read-outs above the plots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_button = _button("Start training", START_TIP)
        self.start_button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 14px; }")
        self.pause_button = _button("Pause", "Pause after the current step; press again to resume.")
        self.stop_button = _button("Stop", "End the run now; a checkpoint and the generator file are saved.")
        self.save_button = _button("Save checkpoint",
                                   "Write a checkpoint after the current step, without stopping.")
        # a push button lays its menu arrow out beside the text
        self.resume_button = _button("Resume from…", "Continue an earlier run from one of its checkpoints.")
        self.resume_menu = QMenu(self)
        self.resume_button.setMenu(self.resume_menu)
        self.live_lr_g, self.live_lr_d = _lr_box("generator"), _lr_box("discriminator")
        self.lr_button = _button("Set LR", "Change both learning rates of the running training.")
        self.rollback_button = _button("Roll back with lower LR",
                                       "Continue the diverged run from its last good checkpoint with half the "
                                       "learning rates.")
        self.rollback_button.hide()
        self.progress = QProgressBar()
        self.run_label = QLabel()
        self.run_label.setWordWrap(True)
        self.run_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_box = QLabel()
        self.hint_box.setWordWrap(True)
        self.hint_box.setTextFormat(Qt.TextFormat.RichText)
        self.hint_box.hide()
        self._lay_out()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button, self.save_button, self.resume_button,
                       self.rollback_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        # the live learning rates share the progress bar's row, so the page fits a 1366 px wide screen
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addSpacing(8)
        for w in (QLabel("LR  G"), self.live_lr_g, QLabel("D"), self.live_lr_d, self.lr_button):
            progress_row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addLayout(progress_row)
        layout.addWidget(self.run_label)
        layout.addWidget(self.hint_box)

    def show_run(self, run: RunState, blocker: str = "") -> None:
        """Buttons, progress bar, status line and hints for the run's state; `blocker` says why Start cannot run."""
        phase, live = run.phase, run.phase in ("running", "paused")
        self.start_button.setEnabled(not run.busy and not blocker)
        self.start_button.setToolTip(f"Cannot start: {blocker}" if blocker else START_TIP)
        self.resume_button.setEnabled(not run.busy)
        self.pause_button.setEnabled(live)
        self.pause_button.setText("Resume" if phase == "paused" else "Pause")
        self.stop_button.setEnabled(phase in ("preparing", "running", "paused"))
        self.save_button.setEnabled(live)
        self.lr_button.setEnabled(live)
        self.rollback_button.setVisible(bool(run.rollback) and not run.busy)
        maximum, value, text = run.progress()
        self.progress.setRange(0, maximum)
        self.progress.setValue(value)
        self.progress.setFormat(text)
        self.run_label.setText(run.status)
        self._render_hints(run)

    def _render_hints(self, run: RunState) -> None:
        hints = run.hints()
        if not hints:
            self.hint_box.hide()
            return
        style = HINT_STYLE[run.worst_level()]
        self.hint_box.setStyleSheet(f"QLabel {{ background: {style}; padding: 6px; border-radius: 4px; }}")
        self.hint_box.setText("<br>".join(f"<b>{h.title}.</b> {h.advice}" for h in hints))
        self.hint_box.show()

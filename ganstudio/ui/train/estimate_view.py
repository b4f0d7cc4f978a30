"""The Train form's time estimate: roughly how long the chosen steps take on this machine, before Start.

A short measured warm-up (`train.estimate.measure`) runs on the page's `JobRunner` once the settings
have been still for DEBOUNCE_MS, and again only when a setting that changes a step's cost changes;
a new number of steps just rescales the figure. Start cancels a measurement under way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from ganstudio.core.config import TrainConfig
from ganstudio.train.estimate import StepTime, cost_key, measure
from ganstudio.ui.common import gcguard
from ganstudio.ui.common.jobs import Job, JobRunner

KEY = "estimate"  # the runner's key for measurements
DEBOUNCE_MS = 800
PREFIX = "Time: "


class StepEstimate(QObject):
    """Fills `label`. `settings()` gives the run Start would begin and the steps it would train, or None
    when nothing can be measured now (a run is under way, the settings are incomplete)."""

    def __init__(self, label: QLabel, runner: JobRunner,
                 settings: Callable[[], tuple[TrainConfig, int] | None]) -> None:
        super().__init__(label)
        self.label, self.runner, self.settings = label, runner, settings
        self.measured: dict[str, StepTime] = {}  # cost key → its figure, so going back needs no new measurement
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.measure_now)

    def settings_changed(self) -> None:
        """Show the figure at once where it is known, else measure when the settings have been still a moment."""
        if not self._show():
            self.timer.start()

    def measure_now(self) -> None:
        chosen = self.settings()
        if chosen is None or self._show():
            return
        cfg, key = chosen[0], cost_key(chosen[0])
        gcguard.install()  # the measuring thread must never run the garbage collector
        self.label.setText(PREFIX + "measuring a few steps on this machine…")
        self.runner.submit(Job(KEY, lambda progress, cancelled: measure(cfg, cancelled),
                               on_done=lambda t: self._measured(key, t), on_failed=self._failed,
                               on_cancelled=lambda: self.label.setText("")))

    def cancel(self) -> None:
        """Before a run starts: it must not wait behind a measurement."""
        self.timer.stop()
        self.runner.cancel(KEY)

    def _measured(self, key: str, t: StepTime) -> None:
        self.measured[key] = t
        self._show()

    def _failed(self, message: str, hint: str) -> None:
        self.label.setText(f"{PREFIX}not measured: {message}")

    def _show(self) -> bool:
        """Show the known figure for the current settings; False when there is none (or none can be had)."""
        chosen = self.settings()
        if chosen is None:
            self.label.setText("")
            return True
        cfg, steps = chosen
        t = self.measured.get(cost_key(cfg))
        if t is None:
            return False
        self.label.setText(PREFIX + t.text(steps, cfg.sample_every))
        return True

"""Training in a QThread: iterate the engine's event generator and re-emit each event as a signal.

Only plain events (floats, strings, numpy arrays) cross to the window. Any exception that
escapes the engine becomes a `crashed` signal, so a bug in a run can never take the app down.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from ganstudio.config import TrainConfig
from ganstudio.train import events as ev
from ganstudio.train.control import RunControl


class TrainWorker(QThread):
    """One run. Drive it through `control` (pause, resume, stop, save now, learning rates)."""

    event = Signal(object)  # every ganstudio.train.events event, in order
    crashed = Signal(str, str)  # message, hint: an unexpected exception in the engine

    def __init__(self, cfg: TrainConfig, resume: str | Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.resume = resume
        self.control = RunControl()
        self.outcome: ev.Finished | ev.Failed | None = None  # the last event, read after the thread ends

    def run(self) -> None:
        from ganstudio.train.loop import train  # imports torch; keep it off the window's start-up path

        try:
            for event in train(self.cfg, self.control, self.resume):
                if isinstance(event, (ev.Finished, ev.Failed)):
                    self.outcome = event
                self.event.emit(event)
        except Exception as exc:  # the app must survive any engine bug
            traceback.print_exc()
            self.crashed.emit(f"training stopped unexpectedly: {type(exc).__name__}: {exc}",
                              "this is a bug in GAN Studio; the last checkpoint in the run folder is kept")

    def stop_and_wait(self, timeout_ms: int = 60_000) -> bool:
        """Ask the loop to stop (it saves a checkpoint) and block until the thread ends."""
        self.control.stop()
        return self.wait(timeout_ms)

"""Training in a QThread: iterate the engine's event generator and buffer each plain event.

Only plain events (floats, strings, numpy arrays) cross to the window, which pulls them with
`take_events()` from a timer, so its work is bounded however fast steps come. Any exception
that escapes the engine becomes a `Crashed` item, so a bug in a run can never take the app down.

Events are pulled rather than emitted one by one: PySide6 6.12's `Signal.emit` miscounts a
reference on every call and crashes the process after some thousands of emits.
"""

from __future__ import annotations

import traceback
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QThread

from ganstudio.core.config import TrainConfig
from ganstudio.train import events as ev
from ganstudio.train.control import RunControl


@dataclass(frozen=True)
class Crashed:
    """An unexpected exception in the engine (a bug), as text for the error banner."""

    message: str
    hint: str


class TrainWorker(QThread):
    """One run. Drive it through `control` (pause, resume, stop, save now, learning rates);
    QThread's `finished` signal tells when it has ended."""

    def __init__(self, cfg: TrainConfig, resume: str | Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.resume = resume
        self.control = RunControl()
        self.outcome: ev.Finished | ev.Failed | None = None  # the last event, read after the thread ends
        self._pending: deque = deque()  # appended by the training thread, popped by the GUI thread

    def take_events(self) -> list:
        """Every event (or `Crashed`) produced since the last call, in order."""
        taken = []
        while self._pending:
            taken.append(self._pending.popleft())
        return taken

    def run(self) -> None:
        from ganstudio.train.loop import train  # imports torch; keep it off the window's start-up path

        try:
            for event in train(self.cfg, self.control, self.resume):
                if isinstance(event, (ev.Finished, ev.Failed)):
                    self.outcome = event
                self._pending.append(event)
        except Exception as exc:  # the app must survive any engine bug
            traceback.print_exc()
            self._pending.append(Crashed(f"training stopped unexpectedly: {type(exc).__name__}: {exc}",
                                         "this is a bug in GAN Studio; the last checkpoint in the run folder is kept"))

    def stop_and_wait(self, timeout_ms: int = 60_000) -> bool:
        """Ask the loop to stop (it saves a checkpoint) and block until the thread ends."""
        self.control.stop()
        return self.wait(timeout_ms)

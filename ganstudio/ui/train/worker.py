"""One training run as a generator job on the window's `JobRunner`.

The engine's event generator runs in the runner's worker thread; each event arrives in the GUI
thread through `on_item` and is buffered here until the page's timer takes it, so the page's
drawing is bounded however fast steps come. An exception that escapes the engine (a bug)
becomes a `Crashed` item, so a run can never take the app down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ganstudio.core.config import TrainConfig
from ganstudio.core.jobs import CancelCheck, Progress
from ganstudio.train import events as ev
from ganstudio.train.control import RunControl
from ganstudio.ui.common.jobs import Job, JobRunner

JOB_KEY = "training"  # the runner names a failed job by its key: "training failed unexpectedly: …"


@dataclass(frozen=True)
class Crashed:
    """An unexpected exception in the engine (a bug), as text for the error banner."""

    message: str
    hint: str


class TrainWorker:
    """One run. Drive it through `control` (pause, resume, stop, save now, learning rates)."""

    def __init__(self, cfg: TrainConfig, resume: str | Path | None, runner: JobRunner) -> None:
        self.cfg, self.resume, self.runner = cfg, resume, runner
        self.control = RunControl()
        self._pending: list[object] = []  # filled by on_item, emptied by take_events (both GUI thread)

    def start(self, on_ended: Callable[[], None]) -> None:
        """Submit the run; `on_ended` runs in the GUI thread after its last event has arrived."""
        self.runner.submit(Job(JOB_KEY, self._events, on_item=self._pending.append,
                               on_done=lambda _result: on_ended(), on_failed=lambda m, h: self._crashed(m, h, on_ended),
                               on_cancelled=on_ended))

    def _events(self, progress: Progress, cancelled: CancelCheck) -> Iterator[ev.Event]:
        from ganstudio.train.loop import train  # imports torch; keep it off the window's start-up path

        return train(self.cfg, self.control, self.resume)

    def _crashed(self, message: str, hint: str, on_ended: Callable[[], None]) -> None:
        self._pending.append(Crashed(message, hint))  # the status line says which checkpoint is kept
        on_ended()

    def take_events(self) -> list[object]:
        """Every event (or `Crashed`) that has arrived since the last call, in order."""
        taken = list(self._pending)
        self._pending.clear()  # in place: on_item holds this list's append
        return taken

    def stop_and_wait(self, timeout_ms: int = 60_000) -> bool:
        """Ask the loop to stop (it saves a checkpoint) and block until the worker thread ends."""
        self.control.stop()
        return self.runner.shutdown(timeout_ms)

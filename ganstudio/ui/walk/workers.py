"""Background threads for the Latent Walk page: newest-wins preview rendering, and exports.

The preview worker keeps one pending job per kind ("grid", "frames", …). A newer request of
the same kind replaces the one still waiting, so however fast the user scrubs, the thread
only ever renders the newest position and the window never queues up stale work. Only
numpy arrays and plain values cross back to the GUI thread.
"""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QThread, Signal

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled

BUG_HINT = "this is a bug in GAN Studio"


class PreviewWorker(QThread):
    """Runs `fn()` jobs off the GUI thread; per kind only the newest waiting job survives."""

    done = Signal(str, object, object)  # kind, tag, result
    failed = Signal(str, str, str)  # kind, message, hint

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cond = threading.Condition()
        self._pending: dict[str, tuple[object, Callable[[], Any]]] = {}
        self._stop = False

    def submit(self, kind: str, tag: object, fn: Callable[[], Any]) -> None:
        with self._cond:
            self._pending[kind] = (tag, fn)
            self._cond.notify()
        if not self.isRunning():
            self.start()

    def pending(self, kind: str) -> bool:
        with self._cond:
            return kind in self._pending

    def run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                kind = next(iter(self._pending))
                tag, fn = self._pending.pop(kind)
            try:
                result = fn()
            except UserError as exc:
                self.failed.emit(kind, exc.message, exc.hint)
                continue
            except Exception as exc:  # the window must survive any rendering bug
                traceback.print_exc()
                self.failed.emit(kind, f"preview failed: {type(exc).__name__}: {exc}", BUG_HINT)
                continue
            self.done.emit(kind, tag, result)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        with self._cond:
            self._stop = True
            self._pending.clear()
            self._cond.notify()
        return self.wait(timeout_ms)


class ExportWorker(QThread):
    """One export: `job(progress, cancel) -> str` (what was written). Cancel is checked between frames."""

    progress = Signal(int, int)
    finished_ok = Signal(str)
    failed = Signal(str, str)
    cancelled = Signal()

    def __init__(self, job: Callable[[Callable[[int, int], None], Callable[[], bool]], str], parent=None) -> None:
        super().__init__(parent)
        self.job = job
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            written = self.job(self.progress.emit, self._cancel.is_set)
        except Cancelled:
            self.cancelled.emit()
        except UserError as exc:
            self.failed.emit(exc.message, exc.hint)
        except Exception as exc:  # the window must survive any export bug
            traceback.print_exc()
            self.failed.emit(f"export failed: {type(exc).__name__}: {exc}", BUG_HINT)
        else:
            self.finished_ok.emit(written)

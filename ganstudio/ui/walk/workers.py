"""The export thread of the shared export panel (`ui.common.export_panel`) and the Classes page.

The Latent Walk page runs its exports on its own `JobRunner` instead (see `ui.walk.export_box`).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled

BUG_HINT = "this is a bug in GAN Studio"


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

"""The Latent Walk page's export box: the shared `ExportPanel`, run on the page's one `JobRunner`.

Exports then queue behind (and never overlap) the preview's renders, so the generator is only
ever used by the runner's thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from ganstudio.core.errors import UserError
from ganstudio.ui.common.export_panel import ExportPanel
from ganstudio.ui.common.jobs import Job, JobRunner

KEY = "export"


class WalkExportPanel(ExportPanel):
    """`ExportPanel` whose exports are jobs of `runner`; `exporting` is True from start to outcome."""

    exporting = False

    def __init__(self, studio, make_job, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(studio, make_job, parent)
        self.runner = runner

    def start(self, kind: str, path: Path) -> bool:
        """Export in the background; False (with a banner) if it cannot start."""
        if self.exporting:
            return False
        try:
            fn = self.make_job(kind, path, self.settings())
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        self.exporting = True
        self.progress.setRange(0, 0)
        self.progress.setFormat(f"exporting {path.name}…")
        self.cancel_button.setEnabled(True)
        self._update()
        self.runner.submit(Job(KEY, fn, on_done=self._done, on_progress=self._on_progress,
                               on_failed=self._failed, on_cancelled=self._cancelled))
        return True

    def cancel(self) -> None:
        if not self.exporting:
            return
        self.runner.cancel(KEY)
        if not self.runner.pending(KEY):  # it was still waiting, so nothing ran: no callback will come
            self._cancelled()

    def shutdown(self) -> None:
        self.runner.cancel(KEY)

    def _update(self) -> None:
        super()._update()
        if self.exporting:
            self.export_button.setEnabled(False)

    def _done(self, written: str) -> None:
        self._on_done(written)
        self._end()

    def _failed(self, message: str, hint: str) -> None:
        self._on_failed(message, hint)
        self._end()

    def _cancelled(self) -> None:
        self._on_cancelled()
        self._end()

    def _end(self) -> None:
        self.exporting = False
        self.cancel_button.setEnabled(False)
        self._update()

"""The Latent Walk page's export box: format and options, Export…, progress and cancel.

The page supplies `make_job(kind, path, settings)`, which checks everything it can up front
(raising UserError) and returns the function the export thread runs. This box owns the
thread, so there is only ever one export at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from ganstudio.core.errors import UserError
from ganstudio.export import writers as export
from ganstudio.export.dispatch import ExportSettings
from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.walk.workers import ExportWorker

EXPORTS = [  # kind, menu text, file suffix
    ("gif", "GIF animation", ".gif"), ("webp", "Animated WebP", ".webp"), ("apng", "APNG (animated PNG)", ".png"),
    ("mp4", "MP4 video", ".mp4"), ("sheet", "Sprite sheet (PNG + JSON frame map)", ".png"),
    ("frames", "PNG sequence (new folder)", ""), ("frame", "PNG: current frame", ".png"),
    ("grid", "PNG: seed grid", ".png"),
]
Job = Callable[[Callable[[int, int], None], Callable[[], bool]], str]


class ExportPanel(QGroupBox):
    def __init__(self, studio, make_job: Callable[[str, Path, ExportSettings], Job], parent=None) -> None:
        super().__init__("Export", parent)
        self.studio = studio
        self.make_job = make_job
        self.worker: ExportWorker | None = None
        self.last_written = ""
        self._ready = {"walk": False, "grid": False}
        v = QVBoxLayout(self)
        self.kind = QComboBox()
        for kind, text, _ in EXPORTS:
            self.kind.addItem(text, kind)
        self.kind.setToolTip("What to write")
        self.kind.currentIndexChanged.connect(self._update)
        self.scale = spin_box(1, 16, 4, "Enlarge every frame by this factor")
        self.resample = QComboBox()
        self.resample.addItem("nearest (crisp pixels)", "nearest")
        self.resample.addItem("smooth", "smooth")
        self.resample.setToolTip("How frames are enlarged")
        self.colors = spin_box(2, 256, 256, "GIF palette size")
        self.palette = QComboBox()
        self.palette.addItem("one shared palette (fast, no flicker)", "shared")
        self.palette.addItem("a palette per frame (dithered)", "per-frame")
        self.palette.setToolTip("GIF palette quality")
        self.quality = spin_box(1, 100, 90, "WebP / MP4 quality (100 = lossless WebP)")
        self.colors_label, self.quality_label = QLabel("colours"), QLabel("quality")
        # the longest format name must not set the page's minimum width (it has to fit a 1366 px screen)
        self.kind.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(14)
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(QLabel("scale ×"))
        row.addWidget(self.scale)
        row.addWidget(self.resample)
        v.addLayout(row)
        row = QHBoxLayout()
        for w in (self.colors_label, self.colors, self.palette, self.quality_label, self.quality):
            row.addWidget(w)
        row.addStretch(1)
        v.addLayout(row)
        self.video_note = QLabel(f"{export.VIDEO_MISSING}: {export.VIDEO_HINT}")
        self.video_note.setWordWrap(True)
        self.video_note.setStyleSheet("color: #8a5a00;")
        v.addWidget(self.video_note)
        row = QHBoxLayout()
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self._browse)
        self.progress = QProgressBar()
        self.progress.setValue(0)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.export_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        v.addLayout(row)
        self._update()

    def settings(self) -> ExportSettings:
        return ExportSettings(scale=float(self.scale.value()), resample=self.resample.currentData(),
                              colors=self.colors.value(),
                              palette=self.palette.currentData(), quality=self.quality.value())

    def set_ready(self, walk: bool, grid: bool) -> None:
        """Whether there is a walk (for every kind but the grid) and a seed grid to export."""
        self._ready = {"walk": walk, "grid": grid}
        self._update()

    def _update(self) -> None:
        kind = self.kind.currentData()
        for w in (self.colors_label, self.colors, self.palette):
            w.setVisible(kind == "gif")
        for w in (self.quality_label, self.quality):
            w.setVisible(kind in ("webp", "mp4"))
        missing_video = kind == "mp4" and not export.video_available()
        self.video_note.setVisible(missing_video)
        ready = self._ready["grid" if kind == "grid" else "walk"]
        self.export_button.setEnabled(self.worker is None and ready and not missing_video)

    def _browse(self) -> None:
        kind = self.kind.currentData()
        suffix = next(s for k, _, s in EXPORTS if k == kind)
        folder = self.studio.settings.value("walk/export_dir", str(Path.home()))
        default = str(Path(folder) / (("walk_frames" if kind == "frames" else "walk") + suffix))
        title = "New folder for the frames" if kind == "frames" else "Export"
        name, _ = QFileDialog.getSaveFileName(self, title, default, "Folder (*)" if kind == "frames" else f"*{suffix}")
        if name:
            self.studio.settings.setValue("walk/export_dir", str(Path(name).parent))
            self.start(kind, Path(name))

    def start(self, kind: str, path: Path) -> bool:
        """Export in the background; False (with a banner) if it cannot start."""
        if self.worker is not None:
            return False
        try:
            job = self.make_job(kind, path, self.settings())
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        self.worker = ExportWorker(job, self)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished_ok.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self.worker.finished.connect(self._on_thread_end)
        self.progress.setRange(0, 0)
        self.progress.setFormat(f"exporting {path.name}…")
        self.cancel_button.setEnabled(True)
        self._update()
        self.worker.start()
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def shutdown(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(30_000)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(("rendering" if done * 2 <= total else "encoding") + " %p%")

    def _on_done(self, written: str) -> None:
        self.last_written = written
        self.studio.show_status(f"wrote {written}")
        self._finish(100, f"wrote {Path(written.split(' ')[0]).name}")

    def _on_failed(self, message: str, hint: str) -> None:
        self.studio.show_error(message, hint)
        self._finish(0, "export failed")

    def _on_cancelled(self) -> None:
        self.studio.show_status("export cancelled; nothing was written")
        self._finish(0, "cancelled: nothing was written")

    def _finish(self, value: int, text: str) -> None:
        self.progress.setRange(0, 100)
        self.progress.setValue(value)
        self.progress.setFormat(text)

    def _on_thread_end(self) -> None:
        self.worker = None
        self.cancel_button.setEnabled(False)
        self._update()

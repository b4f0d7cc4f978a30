"""The export box of the Latent Walk, Classes and Learn pages: format and options, Export…, progress, cancel.

The page supplies `make_job(kind, path, settings)`, which checks everything it can up front
(raising UserError) and returns the job to run, and its `JobRunner`: exports queue behind (and
never overlap) the page's renders, so the generator is only ever used by the runner's thread.
One export at a time. A page offers only the kinds it can write (`kinds`), under its own names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import CancelCheck, Progress
from ganstudio.export import writers as export
from ganstudio.export.dispatch import ExportSettings
from ganstudio.ui.common.jobs import Job, JobRunner
from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.studio import Studio

EXPORTS = [  # kind, menu text, file suffix
    ("gif", "GIF animation", ".gif"), ("webp", "Animated WebP", ".webp"), ("apng", "APNG (animated PNG)", ".png"),
    ("mp4", "MP4 video", ".mp4"), ("sheet", "Sprite sheet (PNG + JSON frame map)", ".png"),
    ("frames", "PNG sequence (new folder)", ""), ("frame", "PNG: current frame", ".png"),
    ("grid", "PNG: seed grid", ".png"),
]
KEY = "export"  # the runner's key for exports
ExportJob = Callable[[Progress, CancelCheck], str]  # returns what was written, for the status line


class ExportPanel(QGroupBox):
    """`exporting` is True from `start` until the export's outcome has been shown."""

    def __init__(self, studio: Studio, make_job: Callable[[str, Path, ExportSettings], ExportJob],
                 runner: JobRunner, parent: QWidget | None = None, kinds: Sequence[str] | None = None,
                 names: Mapping[str, str] | None = None, stem: str = "walk") -> None:
        """`kinds`: the EXPORTS the page can write (default all), `names` their menu texts where the page's
        differ, `stem` the file name the dialog proposes."""
        super().__init__("Export", parent)
        self.studio = studio
        self.make_job = make_job
        self.runner = runner
        self.stem = stem
        self.exporting = False
        self.last_written = ""
        self._ready = {"walk": False, "grid": False}
        v = QVBoxLayout(self)
        self.kind = QComboBox()
        for kind, text, _ in EXPORTS:
            if kinds is None or kind in kinds:
                self.kind.addItem((names or {}).get(kind, text), kind)
        self.kind.setToolTip("What to write")
        self.kind.currentIndexChanged.connect(self._update)
        self.scale = spin_box(1, 16, 4, "Enlarge every frame by this factor")
        self.resample = QComboBox()
        self.resample.addItem("crisp", "nearest")
        self.resample.addItem("smooth", "smooth")
        self.resample.setToolTip("How frames are enlarged: crisp keeps every pixel a sharp square (nearest "
                                 "neighbour), smooth blends them")
        self.colors = spin_box(2, 256, 256, "GIF palette size")
        self.gif_palette = QComboBox()
        self.gif_palette.addItem("shared palette", "shared")
        self.gif_palette.addItem("palette per frame", "per-frame")
        self.gif_palette.setToolTip("GIF colours: one palette shared by every frame (fast, no flicker), or one "
                                    "palette per frame (dithered, truer colours)")
        self.quality = spin_box(1, 100, 90, "WebP / MP4 quality (100 = lossless WebP)")
        self.colors_label, self.quality_label = QLabel("colours"), QLabel("quality")
        # the longest format name must not set the page's minimum width (it has to fit a 1366 px screen)
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(14)
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(QLabel("scale ×"))
        row.addWidget(self.scale)
        row.addWidget(self.resample)
        v.addLayout(row)
        # the options and the video note keep their room when hidden: changing format must not move the page
        options = QWidget()
        row = QHBoxLayout(options)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.colors_label, self.colors, self.gif_palette, self.quality_label, self.quality):
            row.addWidget(w)
        row.addStretch(1)
        options.setFixedHeight(options.sizeHint().height())
        v.addWidget(options)
        self.video_note = QLabel(f"{export.VIDEO_MISSING}: {export.VIDEO_HINT}")
        self.video_note.setWordWrap(True)
        self.video_note.setStyleSheet("color: #8a5a00;")
        policy = self.video_note.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.video_note.setSizePolicy(policy)
        v.addWidget(self.video_note)
        row = QHBoxLayout()
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self.browse)
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
                              palette=self.gif_palette.currentData(), quality=self.quality.value())

    def set_ready(self, walk: bool, grid: bool) -> None:
        """Whether there is a walk (for every kind but the grid) and a seed grid to export."""
        self._ready = {"walk": walk, "grid": grid}
        self._update()

    def _update(self) -> None:
        kind = self.kind.currentData()
        for w in (self.colors_label, self.colors, self.gif_palette):
            w.setVisible(kind == "gif")
        for w in (self.quality_label, self.quality):
            w.setVisible(kind in ("webp", "mp4"))
        missing_video = kind == "mp4" and not export.video_available()
        self.video_note.setVisible(missing_video)
        ready = self._ready["grid" if kind == "grid" else "walk"]
        self.export_button.setEnabled(not self.exporting and ready and not missing_video)

    def browse(self) -> None:
        """Ask where to write the chosen format, then export (the Export… button, and File ▸ Export…)."""
        if not self.export_button.isEnabled():
            self.studio.show_status("nothing to export yet" if not self.exporting else "an export is running")
            return
        kind = self.kind.currentData()
        suffix = next(s for k, _, s in EXPORTS if k == kind)
        folder = str(self.studio.settings.value("walk/export_dir", str(Path.home())))
        default = str(Path(folder) / (self.stem + ("_frames" if kind == "frames" else "") + suffix))
        title = "New folder for the frames" if kind == "frames" else "Export"
        name, _ = QFileDialog.getSaveFileName(self, title, default, "Folder (*)" if kind == "frames" else f"*{suffix}")
        if name:
            self.studio.settings.setValue("walk/export_dir", str(Path(name).parent))
            self.start(kind, Path(name))

    def start(self, kind: str, path: Path) -> bool:
        """Export in the background; False (with a banner) if it cannot start."""
        if self.exporting:
            return False
        if self.kind.findData(kind) < 0:
            offered = ", ".join(self.kind.itemText(i) for i in range(self.kind.count()))
            self.studio.show_error(f"'{kind}' is not an export of this page", f"choose one of: {offered}")
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
        self.runner.submit(Job(KEY, fn, on_done=self._on_done, on_progress=self._on_progress,
                               on_failed=self._on_failed, on_cancelled=self._on_cancelled))
        return True

    def cancel(self) -> None:
        self.runner.cancel(KEY)

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
        self.exporting = False
        self.cancel_button.setEnabled(False)
        self._update()

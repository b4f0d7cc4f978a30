"""The Train page: settings form, run controls, live plots, live samples or the 2D view, health hints.

Events from the worker thread are queued as they arrive and drawn by a ~10 Hz timer, so the
window's work is bounded however fast training steps come.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core import paths
from ganstudio.core.errors import UserError
from ganstudio.train import events as ev
from ganstudio.train.loop import reported_stats
from ganstudio.train.run_state import READY, RunState
from ganstudio.ui.common import gcguard
from ganstudio.ui.studio import Studio
from ganstudio.ui.train.form import TrainForm
from ganstudio.ui.train.plots import LivePlots
from ganstudio.ui.train.points_view import PointsView
from ganstudio.ui.train.samples_view import SampleView
from ganstudio.ui.train.worker import Crashed, TrainWorker

REFRESH_MS = 100  # drawing rate of plots and previews
RECENT_RUNS = 8
HINT_STYLE = {"ok": "#e6f4ea; color: #1e4620", "warn": "#fff4d6; color: #5c4400", "bad": "#fde2e1; color: #6b1111"}
DROP_HINT = ("drop a folder of images (PNG, JPEG, …; one subfolder per class for a conditional model), "
             "or a CSV file of 2D points")


def _run_name(label: str, arch: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-") or "data"
    return f"{arch}-{safe}-{time.strftime('%Y%m%d-%H%M%S')}"


def _unique_dir(folder: Path) -> Path:
    if not folder.exists() or not any(folder.iterdir()):
        return folder
    n = 2
    while (folder.parent / f"{folder.name}-{n}").exists():
        n += 1
    return folder.parent / f"{folder.name}-{n}"


class TrainPage(QWidget):
    """One run at a time; `state` is idle | preparing | running | paused | stopping."""

    state_changed = Signal(str)

    def __init__(self, studio: Studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.worker: TrainWorker | None = None
        self.run = RunState()
        self._shown_phase = ""
        self.resume_path: Path | None = None
        self.setAcceptDrops(True)

        self.form = TrainForm()
        self.form.error.connect(self.studio.show_error)
        self.form.restore_settings(studio.settings)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(self.form.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)

        self.start_button = QPushButton("Start training")
        self.start_button.setToolTip("Train with the settings on the left (or continue the chosen checkpoint).")
        self.start_button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 14px; }")
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Pause after the current step; press again to resume.")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("End the run now; a checkpoint and the generator file are saved.")
        self.stop_button.clicked.connect(self.stop)
        self.save_button = QPushButton("Save checkpoint now")
        self.save_button.setToolTip("Write a checkpoint after the current step, without stopping.")
        self.save_button.clicked.connect(self.save_now)
        self.resume_button = QPushButton("Resume from…")  # a push button lays its menu arrow out beside the text
        self.resume_button.setToolTip("Continue an earlier run from one of its checkpoints.")
        self.resume_menu = QMenu(self)
        self.resume_menu.aboutToShow.connect(self._fill_resume_menu)
        self.resume_button.setMenu(self.resume_menu)
        self.live_lr_g = QDoubleSpinBox()
        self.live_lr_d = QDoubleSpinBox()
        for box, who in ((self.live_lr_g, "generator"), (self.live_lr_d, "discriminator")):
            box.setRange(1e-6, 0.99)
            box.setDecimals(6)
            box.setSingleStep(1e-4)
            box.setToolTip(f"New learning rate for the {who}, applied from the next step (also while paused). "
                           "With an LR decay this is the rate before the cool-down scales it.")
        self.lr_button = QPushButton("Set LR")
        self.lr_button.setToolTip("Change both learning rates of the running training.")
        self.lr_button.clicked.connect(self.apply_live_lr)
        controls = QHBoxLayout()
        for w in (self.start_button, self.pause_button, self.stop_button, self.save_button, self.resume_button):
            controls.addWidget(w)
        controls.addStretch(1)

        self.progress = QProgressBar()
        self.progress.setFormat("ready")
        self.progress.setValue(0)
        # the live learning rates share the progress bar's row, so the page fits a 1366 px wide screen
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addSpacing(8)
        progress_row.addWidget(QLabel("LR  G"))
        progress_row.addWidget(self.live_lr_g)
        progress_row.addWidget(QLabel("D"))
        progress_row.addWidget(self.live_lr_d)
        progress_row.addWidget(self.lr_button)
        self.run_label = QLabel(READY)
        self.run_label.setWordWrap(True)
        self.run_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hint_box = QLabel()
        self.hint_box.setWordWrap(True)
        self.hint_box.setTextFormat(Qt.RichText)
        self.hint_box.hide()

        self.plots = LivePlots()
        self.samples = SampleView()
        self.points = PointsView()
        self.preview = QStackedWidget()
        self.preview.addWidget(self.points)
        self.preview.addWidget(self.samples)
        self.plots_scroll = QScrollArea()  # a short window scrolls the plots instead of squashing them
        self.plots_scroll.setWidget(self.plots)
        self.plots_scroll.setWidgetResizable(True)
        self.plots_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.plots_scroll.setFrameShape(QFrame.NoFrame)
        views = QSplitter(Qt.Horizontal)
        views.addWidget(self.plots_scroll)
        views.addWidget(self.preview)
        views.setStretchFactor(0, 1)
        views.setStretchFactor(1, 1)

        right = QVBoxLayout()
        right.addLayout(controls)
        right.addLayout(progress_row)
        right.addWidget(self.run_label)
        right.addWidget(self.hint_box)
        right.addWidget(views, 1)
        right_box = QWidget()
        right_box.setLayout(right)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 900])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.form.arch.currentIndexChanged.connect(lambda _index: self._show_views_for_model())
        self.form.kind.currentIndexChanged.connect(lambda _index: self._show_views_for_model())
        self.form.lr_g.valueChanged.connect(lambda v: self.state == "idle" and self.live_lr_g.setValue(v))
        self.form.lr_d.valueChanged.connect(lambda v: self.state == "idle" and self.live_lr_d.setValue(v))
        self.live_lr_g.setValue(self.form.lr_g.value())
        self.live_lr_d.setValue(self.form.lr_d.value())
        self._show_views_for_model()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.drain)
        self._render_state()

    # -- state ---------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        """idle | preparing | running | paused | stopping"""
        return self.run.phase

    @property
    def step(self) -> int:
        return self.run.step

    @property
    def last_checkpoint(self) -> str:
        return self.run.last_checkpoint

    @property
    def run_dir(self) -> Path | None:
        return Path(self.run.run_dir) if self.run.run_dir else None

    def _render_state(self) -> None:
        """Show the run state: buttons, progress bar, status line, hints and the window's activity."""
        state, busy = self.run.phase, self.run.busy
        self.start_button.setEnabled(not busy)
        self.resume_button.setEnabled(not busy)
        self.form.setEnabled(not busy)
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.stop_button.setEnabled(state in ("preparing", "running", "paused"))
        self.save_button.setEnabled(state in ("running", "paused"))
        self.lr_button.setEnabled(state in ("running", "paused"))
        maximum, value, text = self.run.progress()
        self.progress.setRange(0, maximum)
        self.progress.setValue(value)
        self.progress.setFormat(text)
        self.run_label.setText(self.run.status)
        self.studio.set_activity(self.run.activity())
        self._render_hints()
        if state != self._shown_phase:
            self._shown_phase = state
            self.state_changed.emit(state)

    def busy_text(self) -> str:
        """What would be lost by closing now ('' when idle); the main window asks before closing."""
        return self.run.busy_text()

    def shutdown(self) -> None:
        """Stop the run, let the loop save its checkpoint, and wait for the thread to end."""
        if self.worker is not None:
            self.worker.stop_and_wait()
            self.drain()
            self._cleanup()

    def _show_views_for_model(self) -> None:
        """The plots the chosen model's trainer declares, and its preview: the 2D view and modes plot
        for 2D points (MLP), the sample grid for image models."""
        arch = self.form.arch.currentData()
        self.plots.show_stats(reported_stats(arch))
        bar = self.plots_scroll.verticalScrollBar().sizeHint().width()
        self.plots_scroll.setMinimumWidth(self.plots.minimumWidth() + bar)
        self.preview.setCurrentWidget(self.points if arch == "mlp" else self.samples)

    # -- actions -------------------------------------------------------------------------------
    def start(self) -> None:
        if self.worker is not None:
            return
        try:
            cfg = self._config()
        except UserError as exc:
            self.studio.show_user_error(exc)
            return
        self.form.save_settings(self.studio.settings)
        self.run.begin(cfg)
        self._show_views_for_model()
        self.plots.clear_data()
        self.samples.clear()
        self.points.clear()
        self.live_lr_g.setValue(cfg.lr_g)
        self.live_lr_d.setValue(cfg.lr_d)
        gcguard.install()  # the training thread must never run the garbage collector
        self.worker = TrainWorker(cfg, self.resume_path, self)
        self.worker.finished.connect(self._thread_ended)
        self._render_state()  # busy until Started: loading (or downloading) data can take a while
        self.worker.start()
        self.timer.start()

    def _config(self):
        if self.resume_path is not None:
            run_dir = self.resume_path.parent.parent
            return self.form.config(str(run_dir))
        name = self.form.name.text().strip() or _run_name(self.form.data_label(), self.form.arch.currentData())
        if Path(name).name != name or name in (".", ".."):
            raise UserError(f"'{name}' cannot be a run name", "use letters, digits, - and _ only")
        return self.form.config(str(_unique_dir(paths.runs_dir() / name)))

    def toggle_pause(self) -> None:
        if self.worker is None:
            return
        if self.state == "paused" or self.worker.control.paused:
            self.worker.control.resume()
        else:
            self.worker.control.pause()
        self.pause_button.setEnabled(False)  # until the loop confirms with Paused / Resumed

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.control.stop()
            self.run.stopping()
            self._render_state()

    def save_now(self) -> None:
        if self.worker is not None:
            self.worker.control.save_now()
            self.studio.show_status("a checkpoint will be saved after the current step")

    def apply_live_lr(self) -> None:
        if self.worker is not None:
            self.worker.control.set_lr(self.live_lr_g.value(), self.live_lr_d.value())
            self.studio.show_status(f"learning rates set to G {self.live_lr_g.value():g}, D {self.live_lr_d.value():g}")

    # -- resume --------------------------------------------------------------------------------
    def _fill_resume_menu(self) -> None:
        self.resume_menu.clear()
        for run in self.recent_runs():
            self.resume_menu.addAction(run.name, lambda r=run: self.open_model(r))
        if self.resume_menu.actions():
            self.resume_menu.addSeparator()
        self.resume_menu.addAction("Choose a checkpoint file…", self._choose_checkpoint)
        if self.resume_path is not None:
            self.resume_menu.addAction("Start a new run instead", self._new_run_instead)

    def _choose_checkpoint(self) -> None:
        path = QFileDialog.getOpenFileName(self, "Resume from a checkpoint", str(paths.runs_dir()),
                                           "Checkpoints (ckpt_*.pt);;All files (*)")[0]
        if path:
            self.open_model(path)

    def recent_runs(self) -> list[Path]:
        saved = self.studio.settings.value("train/recent_runs", []) or []
        return [Path(p) for p in ([saved] if isinstance(saved, str) else saved) if Path(p).is_dir()]

    def _remember_run(self, run_dir: Path) -> None:
        runs = [str(run_dir)] + [str(p) for p in self.recent_runs() if p != run_dir]
        self.studio.settings.setValue("train/recent_runs", runs[:RECENT_RUNS])

    def open_model(self, entry_or_path: object) -> None:
        """Prepare to continue a run: a run's library entry, a run folder or a checkpoint file."""
        from ganstudio.modelfiles.checkpoint import latest_checkpoint
        from ganstudio.modelfiles.generator import is_checkpoint_file
        from ganstudio.train.loop import config_from_checkpoint

        path = Path(getattr(entry_or_path, "path", entry_or_path))
        if path.is_file() and not is_checkpoint_file(path):
            path = path.parent  # a run's generator.pt: continue the run it came from
        ckpt = latest_checkpoint(path) if path.is_dir() else path
        if ckpt is None or not ckpt.is_file():
            self.studio.show_error(f"{path.name} has no training checkpoint to continue from",
                                   "bundled and imported generator files cannot be trained further; "
                                   "resume one of your runs instead")
            return
        try:
            cfg = config_from_checkpoint(ckpt)
        except UserError as exc:
            self.studio.show_user_error(exc)
            return
        self.form.set_config(cfg)
        self.resume_path = ckpt
        step = int(ckpt.stem.split("_")[-1]) if ckpt.stem.split("_")[-1].isdigit() else 0
        self.run.status = (f"Will continue {ckpt.parent.parent.name} from step {step} "
                           f"(checkpoint {ckpt.name}). Raise Steps to train longer, then press Start.")
        self.run_label.setText(self.run.status)
        self.start_button.setText("Continue training")
        self._show_views_for_model()

    def clear_resume(self) -> None:
        """The next Start begins a new run (the finished run's summary stays on screen)."""
        self.resume_path = None
        self.form.name.clear()
        self.start_button.setText("Start training")

    def _new_run_instead(self) -> None:
        self.clear_resume()
        self.run.status = READY
        self.run_label.setText(self.run.status)

    # -- events --------------------------------------------------------------------------------
    def drain(self) -> None:
        """Apply every queued event, drawing only the newest picture of each kind."""
        events = self.worker.take_events() if self.worker is not None else []
        if not events:
            return
        last_view = None
        last_samples = max((i for i, e in enumerate(events) if isinstance(e, ev.Samples)), default=-1)
        for i, e in enumerate(events):
            self.run.apply(e)
            if isinstance(e, ev.StepStats):
                self.plots.add(e.step, e.values)
            elif isinstance(e, ev.Samples):
                self.samples.add(e.step, e.grid, show=i == last_samples)
            elif isinstance(e, ev.PointsView):
                last_view = e
            elif isinstance(e, ev.Metrics):
                self.points.add_metrics(e)
            else:
                self._on_lifecycle(e)
        if last_view is not None:
            self.points.show_view(last_view)
        self.plots.redraw()
        self._render_state()

    def _on_lifecycle(self, e: object) -> None:
        """What the window does besides the run state: status messages, errors, the library."""
        if isinstance(e, ev.Started):
            for note in e.notes:
                self.studio.show_status(note)
            self._remember_run(Path(e.run_dir))
        elif isinstance(e, ev.CheckpointSaved):
            self.studio.show_status(f"checkpoint saved: {e.path}")
        elif isinstance(e, ev.Finished):
            self.studio.show_status(f"{self.run.outcome} {Path(e.generator).parent.name} at step {e.step}")
            self.studio.refresh_library()
        elif isinstance(e, Crashed):
            self.run.crashed()
            self.studio.show_error(e.message, e.hint)
        elif isinstance(e, ev.Failed):
            kept = f" The last good checkpoint is kept: {e.checkpoint}." if e.checkpoint else ""
            self.studio.show_error(e.message, (e.hint + "." if e.hint else "") + kept)

    def _thread_ended(self) -> None:
        self.drain()
        self._cleanup()

    def _cleanup(self) -> None:
        if self.worker is None:
            return
        self.timer.stop()
        self.worker.wait()  # `finished` arrives just before the thread really ends
        self.worker.deleteLater()
        self.worker = None
        if self.resume_path is not None:
            self.clear_resume()
        self.run.ended()
        self._render_state()

    # -- health hints --------------------------------------------------------------------------
    def _render_hints(self) -> None:
        hints = self.run.hints()
        if not hints:
            self.hint_box.hide()
            return
        style = HINT_STYLE[self.run.worst_level()]
        self.hint_box.setStyleSheet(f"QLabel {{ background: {style}; padding: 6px; border-radius: 4px; }}")
        self.hint_box.setText("<br>".join(f"<b>{h.title}.</b> {h.advice}" for h in hints))
        self.hint_box.show()

    # -- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.state == "idle":
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if not urls:
            self.studio.show_error("only files and folders on this computer can be dropped here", DROP_HINT)
            return
        event.acceptProposedAction()
        self.drop_path(Path(urls[0].toLocalFile()))

    def drop_path(self, path: Path) -> None:
        """A dropped folder becomes the dataset; a CSV becomes the points file; anything else is explained."""
        if path.is_dir():
            if self.form.set_folder(str(path)):
                self.clear_resume()
                self._show_views_for_model()
                self.studio.show_status(f"dataset: {path}")
        elif path.suffix.lower() == ".csv" and path.is_file():
            self.form.csv.set_text(str(path))
            self.form.kind.setCurrentIndex(self.form.kind.findData("csv"))
            self.clear_resume()
            self._show_views_for_model()
        else:
            self.studio.show_error(f"{path.name} is not a folder of images", DROP_HINT)

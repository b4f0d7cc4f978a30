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
from ganstudio.train import health
from ganstudio.train.loop import reported_stats
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
        self.state = "idle"
        self.resume_path: Path | None = None
        self.run_dir: Path | None = None
        self.step, self.total, self.outcome = 0, 0, "ended"
        self.last_checkpoint = ""
        self._d_real: list[float] = []
        self._d_fake: list[float] = []
        self._hints: dict[str, health.Hint] = {}
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
        self.run_label = QLabel("Ready: press Start training to train the settings on the left.")
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
        self._set_state("idle")

    # -- state ---------------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.state = state
        busy = state != "idle"
        self.start_button.setEnabled(not busy)
        self.resume_button.setEnabled(not busy)
        self.form.setEnabled(not busy)
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.stop_button.setEnabled(state in ("preparing", "running", "paused"))
        self.save_button.setEnabled(state in ("running", "paused"))
        self.lr_button.setEnabled(state in ("running", "paused"))
        if state == "idle":
            self.studio.set_activity("")
        self.state_changed.emit(state)

    def busy_text(self) -> str:
        """What would be lost by closing now ('' when idle); the main window asks before closing."""
        if self.state == "idle":
            return ""
        return f"Training {self.run_dir.name if self.run_dir else ''} (step {self.step} of {self.total})"

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
        self.run_dir = Path(cfg.out_dir)
        self._show_views_for_model()
        self.plots.clear_data()
        self.samples.clear()
        self.points.clear()
        self._d_real, self._d_fake, self._hints = [], [], {}
        self._render_hints()
        self.step, self.total, self.last_checkpoint = 0, cfg.steps, ""
        self.outcome = "ended"  # replaced by finished / stopped / failed when the run says how it ended
        self.live_lr_g.setValue(cfg.lr_g)
        self.live_lr_d.setValue(cfg.lr_d)
        gcguard.install()  # the training thread must never run the garbage collector
        self.worker = TrainWorker(cfg, self.resume_path, self)
        self.worker.finished.connect(self._thread_ended)
        self.progress.setRange(0, 0)  # busy until Started: loading (or downloading) data can take a while
        self.progress.setFormat("preparing data…")
        self.run_label.setText(f"Preparing {cfg.data.kind} data and the {cfg.model.arch} model for {self.run_dir.name}…")
        self._set_state("preparing")
        self.studio.set_activity(f"Preparing {self.run_dir.name}")
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
            self._set_state("stopping")
            self.progress.setFormat("stopping and saving…")

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
        self.run_label.setText(f"Will continue {ckpt.parent.parent.name} from step {step} "
                               f"(checkpoint {ckpt.name}). Raise Steps to train longer, then press Start.")
        self.start_button.setText("Continue training")
        self._show_views_for_model()

    def clear_resume(self) -> None:
        """The next Start begins a new run (the finished run's summary stays on screen)."""
        self.resume_path = None
        self.form.name.clear()
        self.start_button.setText("Start training")

    def _new_run_instead(self) -> None:
        self.clear_resume()
        self.run_label.setText("Ready: press Start training to train the settings on the left.")

    # -- events --------------------------------------------------------------------------------
    def drain(self) -> None:
        """Apply every queued event, drawing only the newest picture of each kind."""
        events = self.worker.take_events() if self.worker is not None else []
        if not events:
            return
        last_view = None
        last_samples = max((i for i, e in enumerate(events) if isinstance(e, ev.Samples)), default=-1)
        for i, e in enumerate(events):
            if isinstance(e, ev.StepStats):
                self._on_stats(e)
            elif isinstance(e, ev.Samples):
                self.samples.add(e.step, e.grid, show=i == last_samples)
                self._check_diversity(e)
            elif isinstance(e, ev.PointsView):
                last_view = e
            elif isinstance(e, ev.Metrics):
                self.points.add_metrics(e)
                hint = health.mode_collapse(e.values.get("modes", 0), e.values.get("modes_total", 0),
                                            e.step / max(self.total, 1))
                self._set_hint("collapse", hint)
            else:
                self._on_lifecycle(e)
        if last_view is not None:
            self.points.show_view(last_view)
        self.plots.redraw()
        self._update_progress()
        self._render_hints()

    def _on_stats(self, e: ev.StepStats) -> None:
        self.plots.add(e.step, e.values)
        self.step = e.step
        if "d_real" in e.values:
            self._d_real.append(e.values["d_real"])
            self._d_fake.append(e.values["d_fake"])
            self._set_hint("d_wins", health.d_winning(self._d_real, self._d_fake))

    def _check_diversity(self, e: ev.Samples) -> None:
        cfg = self.worker.cfg if self.worker else None
        if cfg is not None and cfg.model.arch != "mlp":
            div = health.sample_diversity(e.grid, cfg.model.img_size)
            self._set_hint("collapse", health.low_diversity(div, e.step / max(self.total, 1)))

    def _on_lifecycle(self, e: object) -> None:
        if isinstance(e, ev.Started):
            self.step, self.total = e.start_step, e.total_steps
            self.run_dir = Path(e.run_dir)
            classes = f", {len(e.class_names)} classes" if e.class_names else ""
            self.run_label.setText(f"{e.data}{classes} · {e.device}, {e.precision} · run folder {e.run_dir}")
            for note in e.notes:
                self.studio.show_status(note)
            self._remember_run(self.run_dir)
            self._set_state("running")
        elif isinstance(e, ev.Paused):
            self.step = e.step
            self._set_state("paused")
        elif isinstance(e, ev.Resumed):
            self._set_state("running")
        elif isinstance(e, ev.CheckpointSaved):
            self.last_checkpoint = e.path
            self.studio.show_status(f"checkpoint saved: {e.path}")
        elif isinstance(e, ev.Finished):
            self.step = e.step
            self.last_checkpoint = e.checkpoint
            verb = "Stopped" if e.stopped else "Finished"
            self.outcome = verb.lower()
            self.run_label.setText(f"{verb} at step {e.step}. Checkpoint {e.checkpoint}; generator {e.generator}. "
                                   "The run is in the model library.")
            self.studio.show_status(f"{self.outcome} {Path(e.generator).parent.name} at step {e.step}")
            self.studio.refresh_library()
        elif isinstance(e, Crashed):
            self.outcome = "failed"
            self.studio.show_error(e.message, e.hint)
        elif isinstance(e, ev.Failed):
            self.outcome = "failed"
            kept = f" The last good checkpoint is kept: {e.checkpoint}." if e.checkpoint else ""
            self.studio.show_error(e.message, (e.hint + "." if e.hint else "") + kept)
            self.run_label.setText(f"Failed at step {e.step}: {e.message}")
            if "NaN" in e.message or "diverged" in e.message:
                self._set_hint("diverged", health.diverged(e.message))


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
        self.progress.setRange(0, max(self.total, 1))
        self.progress.setValue(self.step)
        self.progress.setFormat(f"step {self.step} of {self.total} · {self.outcome}")
        self._set_state("idle")

    def _update_progress(self) -> None:
        if self.state in ("running", "paused", "stopping"):
            self.progress.setRange(0, max(self.total, 1))
            self.progress.setValue(self.step)
            suffix = {"paused": " · paused", "stopping": " · stopping and saving…"}.get(self.state, "")
            self.progress.setFormat(f"step {self.step} of {self.total}{suffix}")
            name = self.run_dir.name if self.run_dir else ""
            self.studio.set_activity(f"Training {name}: step {self.step}/{self.total}{suffix}")

    # -- health hints --------------------------------------------------------------------------
    def _set_hint(self, key: str, hint: health.Hint | None) -> None:
        if hint is None:
            self._hints.pop(key, None)
        else:
            self._hints[key] = hint

    def _render_hints(self) -> None:
        hints = list(self._hints.values())
        if not hints and self.state in ("running", "paused") and len(self._d_real) >= health.D_WINNING_WINDOW:
            hints = [health.HEALTHY]
        if not hints:
            self.hint_box.hide()
            return
        worst = "bad" if any(h.level == "bad" for h in hints) else "warn" if any(h.level == "warn" for h in hints) else "ok"
        self.hint_box.setStyleSheet(f"QLabel {{ background: {HINT_STYLE[worst]}; padding: 6px; border-radius: 4px; }}")
        self.hint_box.setText("<br>".join(f"<b>{h.title}.</b> {h.advice}" for h in hints))
        self.hint_box.show()

    @property
    def hints(self) -> list[health.Hint]:
        return list(self._hints.values())

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

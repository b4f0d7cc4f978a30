"""The Train page: settings form, run controls, live plots, live samples or the 2D view, health hints.

The page is composition and wiring: the form, the controls and the views are panels of their own,
the run's state is a Qt-free `RunState`, and the run itself is a generator job on a `JobRunner`.
Events are buffered as they arrive and applied by a ~10 Hz timer, so the window's work is bounded
however fast training steps come.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QDoubleSpinBox, QFileDialog, QHBoxLayout, QScrollArea, QSplitter, QVBoxLayout, QWidget

from ganstudio.core import paths
from ganstudio.core.config import TrainConfig, replace
from ganstudio.core.errors import UserError
from ganstudio.train import events as ev
from ganstudio.train.run_state import RunState
from ganstudio.train.runfolder import new_run_name, unused_run_dir
from ganstudio.ui.common import gcguard
from ganstudio.ui.common.jobs import JobRunner
from ganstudio.ui.studio import Studio
from ganstudio.ui.train import resume
from ganstudio.ui.train.controls import RunControls
from ganstudio.ui.train.estimate_view import StepEstimate
from ganstudio.ui.train.form import TrainForm
from ganstudio.ui.train.views import TrainViews
from ganstudio.ui.train.worker import Crashed, TrainWorker

REFRESH_MS = 100  # drawing rate of plots and previews
DROP_HINT = ("drop a folder of images (PNG, JPEG, …; one subfolder per class for a conditional model), "
             "or a CSV file of 2D points")


class TrainPage(QWidget):
    """One run at a time; `state` is idle | preparing | running | paused | stopping."""

    state_changed = Signal(str)

    def __init__(self, studio: Studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.worker: TrainWorker | None = None
        self.jobs = JobRunner(self)
        self.run = RunState()
        self._shown_phase = ""
        self.resume_path: Path | None = None
        self.setAcceptDrops(True)
        self.form = TrainForm()
        self.form.error.connect(self.studio.show_error)
        self.form.restore_settings(studio.settings)
        self.controls = RunControls()
        self.views = TrainViews()
        c, v = self.controls, self.views
        self.start_button, self.pause_button, self.stop_button = c.start_button, c.pause_button, c.stop_button
        self.save_button, self.resume_menu, self.progress, self.run_label = (c.save_button, c.resume_menu,
                                                                             c.progress, c.run_label)
        self.live_lr_g, self.live_lr_d, self.lr_button = c.live_lr_g, c.live_lr_d, c.lr_button
        self.plots, self.samples, self.points, self.preview = v.plots, v.samples, v.points, v.preview
        self.estimate = StepEstimate(self.form.estimate_label, self.jobs, self._estimate_settings)
        self._lay_out()
        self._connect()
        self._show_model()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.drain)
        self._render_state()

    def _lay_out(self) -> None:
        scroll = self.form_scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(self.form.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right_box = QWidget()
        right = QVBoxLayout(right_box)
        right.addWidget(self.controls)
        right.addWidget(self.views, 1)
        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 900])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        c, form = self.controls, self.form
        c.start_button.clicked.connect(self.start)
        c.pause_button.clicked.connect(self.toggle_pause)
        c.stop_button.clicked.connect(self.stop)
        c.save_button.clicked.connect(self.save_now)
        c.lr_button.clicked.connect(self.apply_live_lr)
        c.rollback_button.clicked.connect(self.roll_back)
        c.resume_menu.aboutToShow.connect(self._fill_resume_menu)
        form.data_changed.connect(self._render_state)
        form.changed.connect(self.estimate.settings_changed)
        form.folder_scanned.connect(lambda _scan: self.studio.clear_error())  # a usable folder: its error is gone
        form.arch.currentIndexChanged.connect(lambda _index: self._show_model())
        form.kind.currentIndexChanged.connect(lambda _index: self._show_model())
        form.lr_g.valueChanged.connect(lambda v: self._form_lr_changed(self.live_lr_g, v))
        form.lr_d.valueChanged.connect(lambda v: self._form_lr_changed(self.live_lr_d, v))
        self.live_lr_g.setValue(form.lr_g.value())
        self.live_lr_d.setValue(form.lr_d.value())

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
        """Show the run state: the controls, the form's lock and the window's activity line."""
        self.controls.show_run(self.run, self.form.blocker())
        self.form.setEnabled(not self.run.busy)
        self.studio.set_activity(self.run.activity())
        if self.run.phase != self._shown_phase:
            self._shown_phase = self.run.phase
            self.state_changed.emit(self.run.phase)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.estimate.settings_changed()  # measured only while the page is seen

    def _estimate_settings(self) -> tuple[TrainConfig, int] | None:
        """The run Start would begin and the steps it would train, for the time estimate (None: none now)."""
        if self.run.busy or self.form.blocker() or not self.isVisible():
            return None
        try:
            cfg = self.form.config("")
        except UserError:
            return None
        done = resume.checkpoint_step(self.resume_path) if self.resume_path is not None else 0
        return cfg, max(cfg.steps - done, 0)

    def busy_text(self) -> str:
        """What would be lost by closing now ('' when idle); the main window asks before closing."""
        return self.run.busy_text()

    def shutdown(self) -> None:
        """Stop the run, let the loop save its checkpoint, and wait for the thread to end."""
        if self.worker is not None:
            self.worker.stop_and_wait()
            self.drain()
            self._cleanup()

    def _show_model(self) -> None:
        self.views.show_model(self.form.arch.currentData())

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
        if self.resume_path is None:
            self.form.name.clear()  # a name is for one run: the next one is named after its own data
        self.run.begin(cfg)
        self._show_model()
        if self.resume_path is None:  # a continued run keeps the history its opening showed
            self.views.clear()
        self.live_lr_g.setValue(cfg.lr_g)
        self.live_lr_d.setValue(cfg.lr_d)
        gcguard.install()  # the training thread must never run the garbage collector
        self.estimate.cancel()  # the run must not wait behind a measurement
        self.worker = TrainWorker(cfg, self.resume_path, self.jobs)
        self._render_state()  # busy until Started: loading (or downloading) data can take a while
        self.worker.start(self._thread_ended)
        self.timer.start()

    def _config(self) -> TrainConfig:
        if self.resume_path is not None:
            return self.form.config(str(self.resume_path.parent.parent))
        name = self.form.name.text().strip() or new_run_name(self.form.data_label(), self.form.arch.currentData())
        if Path(name).name != name or name in (".", ".."):
            raise UserError(f"'{name}' cannot be a run name", "use letters, digits, - and _ only")
        return self.form.config(str(unused_run_dir(paths.runs_dir() / name)))

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

    def _form_lr_changed(self, live: QDoubleSpinBox, value: float) -> None:
        """Before a run the live boxes follow the form; during one they hold the run's own rates."""
        if self.state == "idle":
            live.setValue(value)

    def apply_live_lr(self) -> None:
        if self.worker is not None:
            self.worker.control.set_lr(self.live_lr_g.value(), self.live_lr_d.value())
            self.studio.show_status(f"learning rates set to G {self.live_lr_g.value():g}, D {self.live_lr_d.value():g}")

    def roll_back(self) -> None:
        """After a divergence: continue from the last good checkpoint with the lower learning rates."""
        rates, ckpt = self.run.rollback, self.run.rollback_checkpoint
        if not rates or self.worker is not None:
            return
        self.open_model(Path(ckpt))
        if self.resume_path is None:
            return  # open_model showed why the checkpoint cannot be continued
        self.form.lr_g.setValue(rates.get("lr_g", self.form.lr_g.value()))
        self.form.lr_d.setValue(rates.get("lr_d", self.form.lr_d.value()))
        self.start()

    # -- resume --------------------------------------------------------------------------------
    def _fill_resume_menu(self) -> None:
        menu = self.resume_menu
        menu.clear()
        for run in self.recent_runs():
            menu.addAction(run.name, partial(self.open_model, run))
        if menu.actions():
            menu.addSeparator()
        menu.addAction("Choose a checkpoint file…", self._choose_checkpoint)
        if self.resume_path is not None:
            menu.addAction("Start a new run instead", self._new_run_instead)

    def _choose_checkpoint(self) -> None:
        path = QFileDialog.getOpenFileName(self, "Resume from a checkpoint", str(paths.runs_dir()),
                                           "Checkpoints (ckpt_*.pt);;All files (*)")[0]
        if path:
            self.open_model(path)

    def recent_runs(self) -> list[Path]:
        return resume.recent_runs(self.studio.settings)

    def open_model(self, entry_or_path: object) -> None:
        """Prepare to continue a run: a run's library entry, a run folder or a checkpoint file; or, given a
        `TrainConfig` another page prepared (the Learn page's last lesson), fill in the form and start it."""
        from ganstudio.train.loop import config_from_checkpoint

        if isinstance(entry_or_path, TrainConfig):
            self.start_config(entry_or_path)
            return
        try:
            ckpt = resume.checkpoint_to_continue(entry_or_path)
            cfg = config_from_checkpoint(ckpt)
        except UserError as exc:
            self.studio.show_user_error(exc)
            return
        self.form.set_config(cfg)
        self.resume_path = ckpt
        step = resume.checkpoint_step(ckpt)
        self.run.opened(cfg, step, resume.continue_text(ckpt))
        self.start_button.setText("Continue training")
        self._show_model()
        self.views.clear()
        for at, values in resume.history(ckpt.parent.parent, step):
            self.plots.add(at, values)
        self.plots.redraw()
        self._render_state()
        self.estimate.settings_changed()  # the steps left to train

    def start_config(self, cfg: TrainConfig) -> None:
        """Show `cfg` in the form and start it; without a data root it keeps the root and download choice
        shown here, which are the user's."""
        if self.worker is not None:
            self.studio.show_error("a training run is already running", "stop it first, then start this one")
            return
        if not cfg.data.root:
            data = replace(cfg.data, root=self.form.root.text(), download=self.form.download.isChecked())
            cfg = replace(cfg, data=data)
        self.clear_resume()
        self.form.set_config(cfg)
        self.start()

    def clear_resume(self) -> None:
        """The next Start begins a new run (the finished run's summary stays on screen)."""
        self.resume_path = None
        self.form.name.clear()
        self.start_button.setText("Start training")

    def _new_run_instead(self) -> None:
        self.clear_resume()
        self.run = RunState()
        self.views.clear()
        self._render_state()

    # -- events --------------------------------------------------------------------------------
    def drain(self) -> None:
        """Apply every buffered event, drawing only the newest picture of each kind."""
        events = self.worker.take_events() if self.worker is not None else []
        if not events:
            return
        for e in events:
            self.run.apply(e)
        for e in self.views.apply(events):
            self._on_lifecycle(e)
        self._render_state()

    def _on_lifecycle(self, e: object) -> None:
        """What the window does besides the run state: status messages, errors, the library."""
        if isinstance(e, ev.Started):
            self.studio.clear_error()  # the run is under way: an earlier attempt's error no longer applies
            for note in e.notes:
                self.studio.show_status(note)
            resume.remember_run(self.studio.settings, Path(e.run_dir))
        elif isinstance(e, ev.CheckpointSaved):
            self.studio.show_status(f"checkpoint saved: {e.path}")
        elif isinstance(e, ev.Finished):
            self.studio.show_status(f"{self.run.outcome} {Path(e.generator).parent.name} at step {e.step}")
            self.studio.refresh_library()
        elif isinstance(e, Crashed):
            self.run.crashed()
            self.studio.show_error(e.message, e.hint)
        elif isinstance(e, ev.Failed):  # the status line names the checkpoint kept
            self.studio.show_error(e.message, e.hint)

    def _thread_ended(self) -> None:
        self.drain()
        self._cleanup()

    def _cleanup(self) -> None:
        if self.worker is None:
            return
        self.timer.stop()
        self.worker = None
        if self.resume_path is not None:
            self.clear_resume()
        self.run.ended()
        self._render_state()
        self.estimate.settings_changed()

    # -- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and self.state == "idle":
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
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
                self._show_model()
                self.studio.show_status(f"dataset: {path}")
        elif path.suffix.lower() == ".csv" and path.is_file():
            self.form.csv.set_text(str(path))
            self.form.kind.setCurrentIndex(self.form.kind.findData("csv"))
            self.clear_resume()
            self._show_model()
        else:
            self.studio.show_error(f"{path.name} is not a folder of images", DROP_HINT)

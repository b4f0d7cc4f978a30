"""The Learn page: the GAN Lab inside the studio.

Every step of a run, every save, load and export runs on the page's `JobRunner`, whose one
thread alone uses the session's networks; the GUI thread only reads the snapshots it is handed
(plain numpy arrays) and the session's list of them, redrawing the newest on a timer so drawing
cost is bounded however fast steps come. Playing is a generator job, so anything else first
pauses it: the runner runs one job at a time.
"""

from __future__ import annotations

import time
from itertools import count
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import CancelCheck, Progress
from ganstudio.export.dispatch import EXPORT_KINDS, ExportSettings
from ganstudio.lab import files, frames
from ganstudio.lab.images import ImageLesson
from ganstudio.lab.lessons import Lesson
from ganstudio.lab.session import LabSession, Snapshot
from ganstudio.lab.settings import LabSettings, check, replace
from ganstudio.ui.common import gcguard
from ganstudio.ui.common.export_panel import ExportJob, ExportPanel
from ganstudio.ui.common.jobs import Job, JobRunner
from ganstudio.ui.learn.charts import Charts, figures_text
from ganstudio.ui.learn.graph import ModelGraph
from ganstudio.ui.learn.lessons_panel import LessonsPanel
from ganstudio.ui.learn.settings_form import SettingsForm
from ganstudio.ui.learn.view import ViewPair

REDRAW_MS = 60
SLOW_S = 0.4  # pause after each half-step in slow motion


def _wait(seconds: float, cancelled: CancelCheck) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not cancelled():
        time.sleep(0.02)


class LearnPage(QWidget):
    def __init__(self, studio: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        gcguard.install()  # the training thread must never run the garbage collector
        self.runner = JobRunner(self)
        self.session: LabSession | None = None
        self.twin: LabSession | None = None  # the same run with one setting changed, shown side by side
        self.playing = False
        self._pending: tuple[Snapshot, Snapshot | None] | None = None  # newest snapshots not drawn yet
        self._follow = True  # the view follows the newest step (False while scrubbed back)
        self._autoplay: tuple[int, str] | None = None  # (steps, phase) to play once the new run is built
        self._twin_title = ""  # the title over the fix's view, side by side
        self._ids = count()
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._redraw)
        self.timer.start()
        self.new_run()

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.views = ViewPair()
        self.view, self.twin_view, self.twin_box = self.views.main, self.views.twin, self.views.twin_box
        self.play_button = QPushButton("Play")
        self.play_button.clicked.connect(self.toggle_play)
        self.slow = QCheckBox("slow motion")
        self.slow.setToolTip("Run D's and G's halves of each iteration as separate steps, slowly")
        self.step_buttons = {}
        for phase, text in (("d", "Step D"), ("g", "Step G"), ("both", "Step both")):
            b = self.step_buttons[phase] = QPushButton(text)
            b.clicked.connect(lambda _=False, ph=phase: self.step(ph))
        self.reset_button = QPushButton("New run")
        self.reset_button.clicked.connect(lambda: self.new_run())
        self.scrub = QSlider(Qt.Orientation.Horizontal)
        self.scrub.valueChanged.connect(self._scrubbed)
        self.scrub_label = QLabel("step 0")
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(self.views, 1)
        lv.addWidget(self.view.toggle_bar)
        row = QHBoxLayout()
        for w in (self.play_button, self.slow, *self.step_buttons.values()):
            row.addWidget(w)
        row.addStretch(1)
        lv.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel("history"))
        row.addWidget(self.scrub, 1)
        row.addWidget(self.scrub_label)
        row.addWidget(self.reset_button)
        lv.addLayout(row)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self._side())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 480])
        QVBoxLayout(self).addWidget(splitter)

    def _side(self) -> QScrollArea:
        self.graph = ModelGraph()
        self.charts = Charts()
        self.lessons = LessonsPanel()
        self.lessons.start.connect(self.start_lesson)
        self.form = SettingsForm()
        self.form.changed.connect(lambda: self.new_run())
        self.draw_button = QPushButton("Draw")
        self.draw_button.setCheckable(True)
        self.draw_button.setToolTip("Click or drag over the view to draw the data")
        self.draw_button.toggled.connect(self.view.set_drawing)
        clear, use = QPushButton("Clear drawing"), QPushButton("Train on drawing")
        clear.clicked.connect(self.view.clear_drawing)
        use.clicked.connect(self.train_on_drawing)
        save, load = QPushButton("Save run…"), QPushButton("Load run…")
        save.clicked.connect(self._browse_save)
        load.clicked.connect(self._browse_load)
        self.export_panel = ExportPanel(self.studio, self._make_export, self.runner, kinds=EXPORT_KINDS, stem="gan-lab")
        self.export_panel.set_ready(walk=True, grid=False)
        box = QWidget()
        v = QVBoxLayout(box)
        v.addWidget(self.graph)
        v.addWidget(self.lessons)
        v.addWidget(self.charts)
        canvas = QGroupBox("Your own distribution")
        row = QHBoxLayout(canvas)
        for w in (self.draw_button, clear, use):
            row.addWidget(w)
        v.addWidget(canvas)
        settings = QGroupBox("Settings (a change starts a new run)")
        QVBoxLayout(settings).addWidget(self.form)
        v.addWidget(settings)
        row = QHBoxLayout()
        row.addWidget(save)
        row.addWidget(load)
        v.addLayout(row)
        v.addWidget(self.export_panel)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        scroll.setMinimumWidth(400)  # narrower than the export box (446 px): it scrolls sideways then
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        return scroll

    # -- runs ----------------------------------------------------------------------------
    def new_run(self, settings: LabSettings | None = None, twin: LabSettings | None = None) -> bool:
        """Build a run from `settings` (default: the form's), and beside it one from `twin` if given,
        on the runner; False with a banner if refused."""
        settings = settings or self.form.settings()
        drawn = np.array(self.view.drawn, np.float32).reshape(-1, 2) if settings.shape == "drawn" else None
        try:
            for s in (settings, twin):
                if s is not None:
                    check(s)
        except UserError as exc:
            self.studio.show_user_error(exc)
            return False
        self.pause()

        def build(progress: Progress, cancelled: CancelCheck) -> tuple[LabSession, LabSession | None]:
            return LabSession(settings, drawn), (LabSession(twin, drawn) if twin is not None else None)

        self.runner.submit(Job("reset", build, on_done=lambda pair: self._on_session(*pair),
                               on_failed=self._on_failed))
        return True

    def _on_session(self, session: LabSession, twin: LabSession | None = None) -> None:
        self.session, self.twin = session, twin
        self.view.set_data(session.real, session.bounds, on_drawing=session.settings.shape == "drawn")
        self.views.show_twin(self._twin_title if twin is not None else None)
        if twin is not None:
            self.twin_view.set_data(twin.real, twin.bounds)
        self._follow = True
        self._pending = (session.latest, twin.latest if twin is not None else None)
        self._redraw()
        if self._autoplay is not None:
            steps, phase = self._autoplay
            self._autoplay = None
            self.play(until=steps, phase=phase)

    def _on_failed(self, message: str, hint: str) -> None:
        self.studio.show_error(message, hint)

    def _on_snapshot(self, snaps: tuple[Snapshot, Snapshot | None]) -> None:
        self._pending = snaps
        self.graph.set_phase(snaps[0].phase)

    def train_on_drawing(self) -> bool:
        self.draw_button.setChecked(False)
        settings = replace(self.form.settings(), shape="drawn")
        ok = self.new_run(settings)
        if ok:
            self.form.set_settings(settings)
        return ok

    def start_lesson(self, lesson: Lesson | ImageLesson, mode: str = "preset") -> None:
        """mode: 'preset' (the lesson's run), 'fix' (its fixed run) or 'side' (both, side by side)."""
        if isinstance(lesson, ImageLesson):
            self.start_images(lesson)
            return
        settings = lesson.fix if mode == "fix" and lesson.fix is not None else lesson.preset
        twin = lesson.fix if mode == "side" else None
        self.lessons.select(lesson.key)
        self.form.set_settings(settings)
        self._twin_title = f"With the fix: {lesson.fix_label.lower()}"
        self._autoplay = (lesson.steps, lesson.phase)
        self.new_run(settings, twin)
        self.studio.show_status(f"{lesson.title}: playing {lesson.steps} steps")

    def start_images(self, lesson: ImageLesson) -> None:
        """The step to images: the Train page fills in the lesson's run (keeping its own data root) and starts it."""
        self.pause()
        self.lessons.select(lesson.key)
        self.studio.open_in_page(lesson.config(), "Train")
        self.studio.show_status(f"{lesson.title}: the run trains on the Train page")

    # -- playing and stepping ------------------------------------------------------------
    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def play(self, until: int = 0, phase: str = "both") -> bool:
        """Step until paused (or until step `until`); slow motion runs D's and G's halves apart."""
        session, twin = self.session, self.twin
        if self.playing or session is None:
            return False
        slow = self.slow.isChecked()

        def run(progress: Progress, cancelled: CancelCheck):
            while not cancelled() and (not until or session.step_count < until):
                for half in (("d", "g") if slow and phase == "both" else (phase,)):
                    yield session.step(half), (twin.step(half) if twin is not None else None)
                    if slow:
                        _wait(SLOW_S, cancelled)

        self.playing = True
        self.play_button.setText("Pause")
        self.studio.set_activity("Learn: training the lab's GAN")
        self.runner.submit(Job("play", run, on_item=self._on_snapshot, on_done=self._stopped,
                               on_cancelled=self._stopped, on_failed=self._play_failed))
        return True

    def pause(self) -> None:
        if self.playing:
            self.runner.cancel("play")

    def _stopped(self, _result: object = None) -> None:
        self.playing = False
        self.play_button.setText("Play")
        self.graph.set_phase("")
        self.studio.set_activity("")

    def _play_failed(self, message: str, hint: str) -> None:
        self._stopped()
        self.studio.show_error(message, hint)

    def step(self, phase: str) -> None:
        """One step of D, of G or of both; every click counts (each is a job of its own)."""
        session, twin = self.session, self.twin
        if session is None:
            return
        self.pause()
        self._follow = True
        self.runner.submit(Job(f"step-{next(self._ids)}",
                               lambda p, c: (session.step(phase), twin.step(phase) if twin is not None else None),
                               on_done=self._on_snapshot, on_failed=self._on_failed))

    # -- drawing -------------------------------------------------------------------------
    def history(self) -> list[Snapshot]:
        return list(self.session.history) if self.session is not None else []

    def _redraw(self) -> None:
        snaps, self._pending = self._pending, None
        if snaps is None:
            return
        history = self.history()
        self.scrub.blockSignals(True)
        self.scrub.setMaximum(max(len(history) - 1, 0))
        if self._follow:
            self.scrub.setValue(self.scrub.maximum())
        self.scrub.blockSignals(False)
        if self._follow:
            self._show(*snaps, history)

    def _show(self, snap: Snapshot, twin: Snapshot | None, history: list[Snapshot]) -> None:
        self.view.show_snapshot(snap)
        self.charts.show_history(history, snap)
        self.scrub_label.setText(f"step {snap.step}")
        if twin is not None:
            self.twin_view.show_snapshot(twin)
            self.twin_view.set_caption(figures_text(twin))
            self.view.set_caption(figures_text(snap))

    def _scrubbed(self, index: int) -> None:
        history = self.history()
        if not history or self.session is None:
            return
        index = min(index, len(history) - 1)
        self._follow = index == len(history) - 1
        twin_history = list(self.twin.history) if self.twin is not None else []
        if self._follow:
            self._show(self.session.latest, self.twin.latest if self.twin is not None else None, history)
        else:  # both runs record the same steps, so their histories line up
            self._show(history[index], twin_history[index] if index < len(twin_history) else None, history)

    # -- files and export ----------------------------------------------------------------
    def save_to(self, path: str | Path) -> None:
        session = self.session
        if session is None:
            return
        self.pause()
        self.runner.submit(Job("save", lambda p, c: str(files.save_lab(session, path)),
                               on_done=lambda written: self.studio.show_status(f"saved {written}"),
                               on_failed=self._on_failed))

    def load_from(self, path: str | Path) -> None:
        self.pause()
        self.runner.submit(Job("load", lambda p, c: files.load_lab(path), on_done=self._loaded,
                               on_failed=self._on_failed))

    def _loaded(self, session: LabSession) -> None:
        self.form.set_settings(session.settings)
        if session.drawn is not None:
            self.view.drawn = [tuple(p) for p in session.drawn.tolist()]
            self.view.drawn_item.setData(session.drawn[:, 0], session.drawn[:, 1])
        self._on_session(session)

    def _browse_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save lab run", str(Path.home() / "lab.ganlab"), "*.ganlab")
        if name:
            self.save_to(name)

    def _browse_load(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Load lab run", str(Path.home()), "*.ganlab")
        if name:
            self.load_from(name)

    def _make_export(self, kind: str, path: Path, settings: ExportSettings) -> ExportJob:
        if self.session is None:
            raise UserError("there is no run to export yet")
        self.pause()
        return frames.export_job(self.history(), self.session.real, self.session.bounds, kind, path, settings)

    def busy_text(self) -> str:
        return "an export of the lab's run is running" if self.export_panel.exporting else ""

    def shutdown(self) -> None:
        self.timer.stop()
        self.runner.shutdown()

"""The Latent Walk page: explore a generator's latent space, pin keyframes, preview and export morphs.

Left: a grid of samples from consecutive seeds and a free latent vector to nudge. Right: the live
preview (scrub, play, Space) and the walk's settings. Bottom: the keyframe timeline. Exports go
through `ganstudio.export.dispatch` with the walk project as provenance. State and rules live in
a Qt-free `WalkSession`; every forward pass and export runs on the page's one `JobRunner`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QGroupBox, QMessageBox, QScrollArea, QSplitter, QVBoxLayout, QWidget

from ganstudio.core.errors import UserError
from ganstudio.export.dispatch import ExportSettings
from ganstudio.ui.common.export_panel import ExportPanel
from ganstudio.ui.common.featured import can_walk, featured
from ganstudio.ui.common.jobs import Job, JobRunner
from ganstudio.ui.walk import projects
from ganstudio.ui.walk.find_photo import PhotoFinder
from ganstudio.ui.walk.keyframe_panel import KeyframePanel, key_text
from ganstudio.ui.walk.model_bar import ModelBar
from ganstudio.ui.walk.path_panel import PathPanel
from ganstudio.ui.walk.playback import Playback
from ganstudio.ui.walk.seed_panel import SeedPanel
from ganstudio.ui.walk.style_panel import StylePanel
from ganstudio.ui.walk.wiring import connect_panels
from ganstudio.walk.exports import ExportJob, export_job
from ganstudio.walk.session import Request, WalkSession
from ganstudio.walk.timeline import Keyframe, Walk


class WalkPage(QWidget):
    """See the module docstring."""

    def __init__(self, studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.session = WalkSession()
        self._defaulted = False  # a bundled model was opened for a page shown empty
        self.runner = JobRunner(self)
        app = QCoreApplication.instance()
        if app is not None:  # the window only shuts down busy pages; never leave a job running at exit
            app.aboutToQuit.connect(self.runner.shutdown)
        self.model_bar = ModelBar()
        self.seeds = SeedPanel()
        self.playback = Playback()
        self.path = PathPanel()
        self.export_panel = ExportPanel(studio, self._make_job, self.runner)
        self.keys = KeyframePanel()
        self.style_panel = StylePanel(studio, self.session, self._submit, self.runner)
        self.style_panel.setVisible(False)
        self.session.update(**self.path.values(), **self.style_panel.values())  # the walk starts as shown
        self._lay_out()
        connect_panels(self)
        self.photo_finder = PhotoFinder(self)  # "Find a photo…" and image files dropped on the page
        self.studio.library_changed.connect(self.refresh_models)
        self.play_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self.play_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.play_shortcut.activated.connect(self.toggle_playing)
        self.refresh_models()
        self._update_enabled()

    def _settings_scroll(self) -> QScrollArea:
        """The walk's settings under the preview; they scroll when a StyleGAN's style panel makes them
        taller than a 720 px screen leaves room for."""
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        for w in (self.path, self.style_panel, self.export_panel):
            v.addWidget(w)
        v.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(box)
        # never narrower than the settings beside the vertical scroll bar: nothing is cut at the right edge
        scroll.setMinimumWidth(box.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        return scroll

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.model_bar)
        walk_box = QGroupBox("Walk")
        v = QVBoxLayout(walk_box)
        v.addWidget(self.playback, 1)
        v.addWidget(self._settings_scroll(), 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.seeds)
        split.addWidget(walk_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        layout.addWidget(self.keys)

    # -- models ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt override)
        """The first time the page is shown without a model, it opens a bundled one."""
        super().showEvent(event)
        if self.session.g is None and not self._defaulted:
            self._defaulted = True
            entry = featured(self.studio.models(), can_walk)
            if entry is not None:
                self.open_model(entry)

    def refresh_models(self) -> None:
        entries = [(f"{e.title} ({e.source})", str(e.path)) for e in self.studio.models() if can_walk(e)]
        g = self.session.g
        if g is not None and str(g.path) not in [path for _, path in entries]:
            entries.append((g.path.name, str(g.path)))
        self.model_bar.list_models(entries, self.model_bar.model_box.currentData())

    def _on_model_chosen(self, index: int) -> None:
        path = self.model_bar.model_box.itemData(index)
        if path:
            self.open_model(path)

    def open_model(self, entry_or_path: Any) -> bool:
        """Open a ModelEntry or a path (generator file, checkpoint, run folder); False with a banner if it fails."""
        from ganstudio.core.device import pick_device
        from ganstudio.modelfiles.generator import load_generator

        path = Path(getattr(entry_or_path, "path", entry_or_path))
        try:
            g = load_generator(path, pick_device("auto"))
            question = self.session.switch_question(g)
            self.session.open(g, keep=not question or self.ask_keep_keyframes(question))
            if getattr(entry_or_path, "source", "") == "bundled":
                self.session.starter()
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        g = self.session.g
        for panel in (self.seeds, self.keys):
            panel.set_classes(g.class_names, g.num_classes)
        self.seeds.show_free(None)
        self.refresh_models()
        self.model_bar.model_box.setCurrentIndex(self.model_bar.model_box.findData(str(path)))
        self.model_bar.show_model(g)
        self.style_panel.set_model(g)
        self._submit(self.session.grid_request())
        self._walk_changed()
        self.studio.clear_error()
        self.studio.show_status(f"opened {path.name} for the latent walk")
        return True

    def ask_keep_keyframes(self, question: str) -> bool:
        """Ask before a model switch drops or changes keyframes (tests replace this)."""
        answer = QMessageBox.question(self, "Keep the keyframes?", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    # -- running requests --------------------------------------------------------------------
    def _submit(self, req: Request | None) -> None:
        """Run a session request on the page's runner; its result goes back to the session."""
        if req is None:
            return
        self.runner.submit(Job(req.kind, lambda progress, cancelled: req.fn(),
                               on_done=lambda result: self._on_result(req, result),
                               on_failed=lambda message, hint: self._on_request_failed(req, message, hint)))

    def _on_result(self, req: Request, result: Any) -> None:
        s = self.session
        if not s.accept(req, result):
            return
        if req.kind == "grid":
            seeds = s.grid_seeds_shown
            self.seeds.grid.set_images(result, max(1, math.ceil(math.sqrt(len(seeds)))), [str(x) for x in seeds])
            s.grid_selected = self.seeds.grid.current
            self._update_enabled()
        elif req.kind == "free":
            self.seeds.show_free(s.free_image)
        elif req.kind == "thumbs":
            self._show_keys()
        elif req.kind == "mix":
            self.style_panel.show_mix(result)
        else:
            self._draw_current()

    def _on_request_failed(self, req: Request, message: str, hint: str) -> None:
        self.session.failed(req)
        self.playback.show_playing(self.session.playing)
        self.studio.show_error(message, hint)

    # -- seed grid and free vector -----------------------------------------------------------
    def _set_grid(self, **state: Any) -> None:
        for name, value in state.items():
            setattr(self.session, name, value)
        self._submit(self.session.grid_request())

    def _on_psi(self, value: float) -> None:
        """ψ changes every picture: the grid, the free vector, the thumbnails and the walk."""
        self._change(lambda: self.session.update(psi=round(value, 4)))
        self._submit(self.session.grid_request())
        if self.session.free_z is not None:
            self._submit(self.session.free_request())
        self.style_panel.redraw()

    def _on_grid_selected(self, index: int) -> None:
        self.session.grid_selected = index
        seed = self.selected_seed()
        if seed is not None:
            self.style_panel.set_base(seed)
        self._update_enabled()

    def selected_seed(self) -> int | None:
        return self.session.selected_seed()

    def pin_selected(self) -> None:
        seed = self.selected_seed()
        if seed is not None:
            self.add_keyframe(Keyframe(seed=seed, cls=self.session.grid_class, frames=self.keys.key_frames.value()))

    def edit_selected_as_free(self) -> None:
        seed = self.selected_seed()
        if seed is not None:
            self._submit(self.session.edit_as_free(seed))
            self._update_enabled()

    def nudge(self) -> None:
        """Move the free vector one step in a random direction."""
        self._submit(self.session.nudge(self.seeds.nudge_size.value()))

    def pin_free(self) -> None:
        kf = self.session.free_keyframe(self.keys.key_frames.value())
        if kf is not None:
            self.add_keyframe(kf)

    # -- keyframes ---------------------------------------------------------------------------
    def _change(self, change: Callable[..., None], *args: Any) -> None:
        """Apply a change to the walk, then show the outcome (a walk that cannot be planned: a banner)."""
        try:
            change(*args)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
        self._walk_changed()

    def add_keyframe(self, kf: Keyframe) -> None:
        self._change(self.session.add_keyframe, kf)

    def keyframes(self) -> list[Keyframe]:
        return self.session.keyframes()

    def move_selected_key(self, delta: int) -> None:
        self._change(self.session.move_selected, delta)

    def remove_selected_key(self) -> None:
        self._change(self.session.remove_selected)

    def _on_order_changed(self) -> None:
        timeline = self.keys.timeline
        self._change(self.session.set_keyframes, timeline.keyframes(), timeline.currentRow())

    def _on_key_edited(self) -> None:
        self._change(self.session.edit_selected, self.keys.key_frames.value(), self.keys.key_class.currentData())

    def _show_keys(self) -> None:
        s = self.session
        keys = s.keyframes()
        names = s.g.class_names if s.g is not None and s.g.num_classes else None
        texts = [key_text(i, kf, names) for i, kf in enumerate(keys)]
        self.keys.timeline.sync(keys, texts, [s.thumb(kf) for kf in keys], s.selected)
        if s.selected >= 0:
            self.keys.show_keyframe(keys[s.selected].frames, keys[s.selected].cls)

    # -- the walk and its preview ------------------------------------------------------------
    def walk(self) -> Walk:
        """The walk the page shows, as it would be saved."""
        return self.session.current_walk()

    def frame_count(self) -> int:
        return self.session.frame_count()

    def _walk_changed(self) -> None:
        """Show the session's walk: keyframes, thumbnails, scrub range, the current frame, buttons."""
        s = self.session
        self._show_keys()
        self.style_panel.set_photos(s.keyframes())
        self._submit(s.thumbs_request())
        self.playback.show_position(s.frame_index, s.frame_count())
        self.show_frame(s.frame_index)
        self.playback.show_playing(s.playing)
        self._update_enabled()

    def show_frame(self, index: int) -> None:
        """Show frame `index` now if rendered, else ask for it (newest request wins)."""
        s = self.session
        req = s.seek(index)
        if s.frame_count() == 0:
            return
        self._draw_current()
        self._submit(req)

    def _draw_current(self) -> None:
        """The position, and the current frame when it is rendered (else the last one stays up)."""
        s = self.session
        self.playback.show_position(s.frame_index, s.frame_count())
        frame = s.current_frame()
        if frame is not None:
            self.playback.draw(frame)

    def set_playing(self, on: bool) -> None:
        req = self.session.set_playing(on)
        self.playback.show_playing(self.session.playing)
        self._submit(req)

    def _tick(self) -> None:
        s = self.session
        moved, req = s.tick()
        if moved:
            self._draw_current()
        self._submit(req)

    def _on_fps(self, value: int) -> None:
        """fps only changes timing (preview and exports), not the frames: nothing to re-render."""
        self.session.update(fps=float(value))
        if self.session.playing:
            self.playback.show_playing(True)

    # -- export ------------------------------------------------------------------------------
    def export_to(self, kind: str, path: Path) -> bool:
        """Export without a file dialog (the Export… button asks for the path, then calls this)."""
        return self.export_panel.start(kind, path)

    def export_dialog(self) -> None:
        """File ▸ Export…: the walk in the export box's format."""
        self.export_panel.browse()

    def toggle_playing(self) -> None:
        """Space: play or pause the preview."""
        if self.playback.play_button.isEnabled():
            self.set_playing(not self.session.playing)

    def _make_job(self, kind: str, path: Path, settings: ExportSettings) -> ExportJob:
        return export_job(self.session, kind, path, settings)

    # -- projects ----------------------------------------------------------------------------
    def save_project(self, path: Path) -> bool:
        return projects.save(self, path)

    def open_project(self, path: Path) -> bool:
        """Load a project (or export sidecar): its model, keyframes and settings."""
        return projects.open_(self, path)

    def apply_walk(self, walk: Walk) -> bool:
        """Take a saved walk and set every control from it; False (with a banner) if it does not fit the model."""
        try:
            self.session.apply(walk)  # a walk made for another model (latent size, classes) stops here
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        for spin in (self.seeds.psi, self.playback.fps):
            spin.blockSignals(True)
        self.seeds.psi.setValue(walk.psi)
        self.playback.fps.setValue(round(walk.fps))
        for spin in (self.seeds.psi, self.playback.fps):
            spin.blockSignals(False)
        self.path.show_walk(walk)
        self.style_panel.show_walk(walk)
        self._submit(self.session.grid_request())
        self._walk_changed()
        return True

    # -- state -------------------------------------------------------------------------------
    def _update_enabled(self) -> None:
        s, n = self.session, self.session.frame_count()
        for w in (self.seeds.pin_button, self.seeds.free_button):
            w.setEnabled(s.selected_seed() is not None)
        for w in (self.seeds.nudge_button, self.seeds.pin_free_button):
            w.setEnabled(s.free_z is not None)
        self.keys.key_editor.setEnabled(s.selected >= 0)
        self.playback.play_button.setEnabled(n > 0)
        self.playback.scrub.setEnabled(n > 1)
        self.model_bar.save_project_button.setEnabled(s.g is not None and bool(s.walk.keyframes))
        self.export_panel.set_ready(walk=n > 0, grid=s.g is not None and bool(s.grid_seeds_shown))

    def busy_text(self) -> str:
        if self.export_panel.exporting:
            return "An export is being written."
        return "A photo is being found (its best latent so far would be lost)." if self.photo_finder.busy() else ""

    def shutdown(self) -> None:
        """Stop the timer and the runner (the window calls this on close; tests too); an export is cancelled."""
        self.playback.play_timer.stop()
        self.runner.shutdown()

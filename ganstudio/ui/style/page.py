"""Style Transfer page: drop photos, pick a style, preview, render at full size, export.

Photos arrive by drag and drop (files or folders), the open dialogs or the clipboard, and wait
in a queue (`style.queue.StyleQueue`, which this page renders). Selecting one runs its preview
in the background (tile progress, cancel): the render at screen size through the render's own
pipeline (`style.render`), so what is seen is what is exported; a photo no larger than the
screen copy gets its full-size render at once. The stroke size picks the scale the network
paints at. The strength slider and the before/after divider act on what is already
computed, instantly. Exports keep the original resolution and carry provenance; "Stylize all"
writes every queued photo to a folder. Every style job runs in the page's one `JobRunner`
thread, the only thread that touches the loaded style models.
"""

from __future__ import annotations

import tempfile
from itertools import count
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFileDialog, QHBoxLayout, QVBoxLayout, QWidget

from ganstudio.core.errors import UserError
from ganstudio.style.photos import unused_path
from ganstudio.style.queue import QueuedPhoto, Status, StyleQueue
from ganstudio.style.render import PREVIEW_SIDE, StyleModels, StyleRequest, Stylized, fit, run_request
from ganstudio.ui.common.jobs import Job, JobRunner
from ganstudio.ui.style import dialogs, intake
from ganstudio.ui.style.panels import QueuePanel, ResultPanel, StyleChooser

MODEL_SUFFIX = ".pt"  # a dropped model file is a style to offer, not a photo


class StylePage(QWidget):
    """The Style Transfer page (see module docstring)."""

    def __init__(self, studio: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.photo_queue = StyleQueue()
        self.runner = JobRunner(self)
        self._models = StyleModels()  # touched only by jobs, in the runner's thread
        self._style_error: tuple[str, str] | None = None  # why the chosen style file was refused
        self._jobs: dict[str, QueuedPhoto] = {}  # key → photo, while the job waits or runs
        self._ids = count(1)
        self.paste_dir = Path(tempfile.mkdtemp(prefix="ganstudio-paste-"))
        self.setAcceptDrops(True)
        self._build()
        self.reload_models()
        studio.library_changed.connect(self.reload_models)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self).activated.connect(self.paste)

    def _build(self) -> None:
        self.chooser, self.queue_panel, self.result = StyleChooser(), QueuePanel(), ResultPanel()
        self.style_box, self.direction_box = self.chooser.style_box, self.chooser.direction_box
        self.strength, self.view = self.chooser.strength, self.result.view
        self.stroke_box = self.chooser.stroke_box
        self.style_box.currentIndexChanged.connect(self._on_style_changed)
        self.direction_box.currentIndexChanged.connect(lambda _index: self._restyle())
        self.stroke_box.currentIndexChanged.connect(lambda _index: self._on_stroke())
        self.strength.valueChanged.connect(self._on_strength)
        q, r = self.queue_panel, self.result
        q.list.currentRowChanged.connect(self._on_select)
        q.add_files.clicked.connect(lambda: dialogs.ask_files(self))
        q.add_folder.clicked.connect(lambda: dialogs.ask_folder(self))
        q.paste.clicked.connect(self.paste)
        q.remove.clicked.connect(self._remove_current)
        for button, action in ((r.render_btn, self.render_current), (r.export_btn, self.export_dialog),
                               (r.gif_btn, lambda: dialogs.ask_gif(self)), (r.all_btn, lambda: dialogs.ask_batch(self)),
                               (r.anim_btn, lambda: dialogs.ask_animation(self)),
                               (r.cancel_btn, self.cancel)):
            button.clicked.connect(action)
        side = QWidget()
        left = QVBoxLayout(side)
        left.addWidget(self.chooser)
        left.addWidget(self.queue_panel, 1)
        side.setMaximumWidth(340)
        root = QHBoxLayout(self)
        root.addWidget(side)
        root.addWidget(self.result, 1)

    @property
    def photos(self) -> list[QueuedPhoto]:
        return self.photo_queue.photos

    @property
    def current(self) -> QueuedPhoto | None:
        return self.photo_queue.current

    # -- style models ---------------------------------------------------------------------
    def reload_models(self) -> None:
        """Bundled styles and CycleGAN runs from the library, plus any file opened here."""
        chosen = self.style_box.currentData()
        keep = chosen[0] if chosen is not None else self.photo_queue.model_path
        styles = [(e.title, Path(e.path), e.info.get("direction", "AB")) for e in self.studio.models()
                  if e.kind == "cyclegan"]
        self.chooser.fill(styles, keep)
        self.style_box.blockSignals(True)
        self.style_box.setCurrentIndex(max(self.chooser.index_of(keep), 0))
        self.style_box.blockSignals(False)
        self._on_style_changed()

    def open_model(self, entry_or_path: Any) -> None:
        """From the library's "Open in…": a ModelEntry or a path to a CycleGAN model."""
        self.chooser.add_file(Path(getattr(entry_or_path, "path", entry_or_path)))

    def _on_style_changed(self) -> None:
        if self.chooser.open_item_chosen():
            self._ask_model_file()
            return
        data = self.style_box.currentData()
        if data is None:
            self.photo_queue.set_style(None, "AB")
            self.direction_box.clear()
            return
        path, default_direction = data
        models = self._models
        self.runner.submit(Job("style-info", lambda progress, cancelled: models.direction_labels(path),
                               on_done=lambda labels: self._style_ready(path, labels, default_direction),
                               on_failed=self._style_refused))

    def _style_ready(self, path: Path, labels: dict[str, str], default_direction: str) -> None:
        """The chosen file is a usable style: offer its directions and restyle the queue."""
        if self._style_error is not None:  # a usable style now: the refused one's banner goes
            self.studio.clear_error()
        self._style_error = None
        self.chooser.set_directions(labels, default_direction)
        self._restyle(path)

    def _style_refused(self, message: str, hint: str) -> None:
        """A damaged or foreign file: say why, and keep it from being used by any job."""
        self._style_error = (message, hint)
        self.photo_queue.set_style(None, "AB")
        self.direction_box.clear()
        self.studio.show_error(message, hint)

    def _ask_model_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open a style model", "", "GAN Studio models (*.pt)")
        if name:
            self.open_model(Path(name))
        else:
            self.style_box.setCurrentIndex(max(self.chooser.index_of(self.photo_queue.model_path), 0))

    def _restyle(self, path: Path | None = None) -> None:
        """A new style (`path`) or direction: what was computed with another one no longer applies."""
        self.photo_queue.set_style(path or self.photo_queue.model_path, self.chooser.direction)
        self._show_queue()
        self._preview_current()

    def _on_stroke(self) -> None:
        """Another stroke size: previews and renders are made again at the new scale."""
        self.photo_queue.set_stroke(self.chooser.stroke)
        self._show_queue()
        self._preview_current()

    # -- adding photos --------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        """Queue files and the photos inside folders; the first new one is shown. A model file is offered
        as a style instead."""
        models = [p for p in paths if p.suffix.lower() == MODEL_SUFFIX and p.is_file()]
        for path in models:
            self.open_model(path)
        paths = [p for p in paths if p not in models]
        if not paths:
            return
        added = self.photo_queue.add(paths)
        refused = intake.refusals(added)
        if refused:
            self.studio.show_error(refused, "add PNG, JPEG, WebP, BMP, TIFF or GIF photos")
        if not added.photos:
            self.studio.show_status("no new photos found")
            return
        self.studio.show_status(f"added {len(added.photos)} photo(s)")
        self._show_queue()
        self._preview_current()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        if not intake.add_mime(self, event.mimeData()):
            self.studio.show_status("nothing to add in what was dropped")
        event.acceptProposedAction()

    def paste(self) -> None:
        """Clipboard files, or clipboard pixels saved as a PNG in a temporary folder."""
        if not intake.add_mime(self, QApplication.clipboard().mimeData()):
            self.studio.show_status("the clipboard holds no image")

    def _remove_current(self) -> None:
        if self.photo_queue.remove(self.photo_queue.current_index) is not None:
            self._show_queue()
            self._preview_current()

    # -- jobs -----------------------------------------------------------------------------
    def _chosen_model(self) -> Path | None:
        """The style file jobs use; None (and the reason in the banner) when there is none to use."""
        if self.photo_queue.model_path is None:
            self.studio.show_error(*(self._style_error or ("no style model chosen",
                                                           "pick a style, or open a CycleGAN model file")))
        return self.photo_queue.model_path

    def _submit(self, photo: QueuedPhoto, status: Status, **kw: Any) -> bool:
        """Run one style job for `photo` in the page's thread; its outcome comes back to `_on_*`."""
        q, model = self.photo_queue, self._chosen_model()
        if model is None:
            return False
        req = StyleRequest(photo.path, model, q.direction, tile=q.tile, overlap=q.overlap, stroke=q.stroke,
                           **kw)
        models = self._models
        self._start(photo, status, lambda progress, cancelled: run_request(req, models, progress, cancelled))
        return True

    def _start(self, photo: QueuedPhoto, status: Status, body: Any, unit: str = "tile") -> None:
        """Run `body(progress, cancelled)` for `photo` on the page's job thread, counting `unit`s."""
        q = self.photo_queue
        key, generation = f"{photo.path.name} #{next(self._ids)}", q.generation
        self._jobs[key] = photo
        q.set_status(photo, status)
        self.result.show_busy()
        self.runner.submit(Job(key, body, on_done=lambda result: self._on_done(key, result, generation),
                               on_progress=lambda done, total: self.result.show_progress(done, total, unit),
                               on_failed=lambda message, hint: self._on_failed(key, message, hint),
                               on_cancelled=lambda: self._on_cancelled(key)))
        self._show_queue()

    def export_animation(self, target: Path) -> None:
        """Every frame of the current animation (GIF, WebP or video) stylized into `target` (.gif, .webp or .mp4)."""
        from ganstudio.style.animation import ClipJob, run_clip

        photo, q = self.current, self.photo_queue
        if photo is None or not photo.animated:
            self.studio.show_status("choose an animated GIF / WebP or a video first")
            return
        model = self._chosen_model()
        if model is None:
            return
        job = ClipJob(photo.path, target, target.suffix.lower().lstrip("."), q.direction, q.strength_share, q.stroke,
                      q.tile, q.overlap, meta=self.meta(photo))
        models = self._models
        self._start(photo, Status.EXPORTING, lambda progress, cancelled: run_clip(job, models.get(model), progress,
                                                                                  cancelled)[0], unit="frame")

    def _preview_current(self) -> None:
        photo = self.photo_queue.needs_preview()
        if photo is not None:
            self._submit(photo, Status.RENDERING, side=PREVIEW_SIDE)
        self._show_current()

    def _on_select(self, row: int) -> None:
        self.photo_queue.select(row)
        self._preview_current()

    def render_current(self) -> None:
        """Render the current photo at full size, unless that is done or under way (a preview under way may turn
        out to be the full render: a photo no larger than the screen copy; if not, the render follows it)."""
        photo = self.current
        if photo is None:
            self.studio.show_status("add a photo first")
            return
        if photo.full is not None:
            return
        if photo.status is Status.RENDERING:
            photo.full_wanted = True
        else:
            self._submit(photo, Status.RENDERING)

    def cancel(self) -> None:
        """Drop waiting jobs and stop the running one at its next tile."""
        self.runner.cancel()
        self.studio.show_status("cancelled")

    def meta(self, photo: QueuedPhoto) -> dict:
        """The provenance an export of `photo` carries: the style, direction, strength and stroke size."""
        from ganstudio.style.photos import provenance

        q = self.photo_queue
        return provenance(photo.path, self.style_box.currentText(), self.direction_box.currentText(),
                          q.strength_share, q.tile, q.overlap, q.stroke)

    def export_current(self, target: Path) -> None:
        """Write the current photo at full size (rendering it first when needed)."""
        photo = self.current
        if photo is None:
            return
        from ganstudio.style.photos import export_format

        try:
            export_format(target)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return
        self._submit(photo, Status.EXPORTING, out=target, strength=self.photo_queue.strength_share,
                     stylized=photo.full, meta=self.meta(photo))

    def export_gif(self, target: Path) -> None:
        """The "original → stylized" morph, from the screen-size images (a GIF is small anyway)."""
        dialogs.write_morph_gif(self, target)

    def stylize_all(self, folder: Path, suffix: str = ".png") -> None:
        """Every queued photo into `folder`, named by photo and style; existing files are never overwritten."""
        taken: set[Path] = set()
        for photo in self.photos:
            out = unused_path(folder / self.photo_queue.export_name(photo, self.direction_box.currentText(), suffix),
                              taken)
            self._submit(photo, Status.QUEUED, out=out, strength=self.photo_queue.strength_share,
                         meta=self.meta(photo))

    def export_dialog(self) -> None:
        """File ▸ Export… and the Export… button: the current photo at full size."""
        dialogs.ask_export(self)

    # -- job outcomes ---------------------------------------------------------------------
    def _on_done(self, key: str, result: Stylized | str, generation: int) -> None:
        photo = self._jobs.pop(key, None)
        if photo is None:
            return
        if self.result.progress.maximum() == 0 and not self._jobs:  # an export of a render reports no tiles
            self.result.show_progress(1, 1)
        q = self.photo_queue
        if isinstance(result, str):
            q.set_status(photo, Status.SAVED)
            self.studio.show_status(f"wrote {result}")
        else:
            full = result.stylized if result.full else None
            q.rendered(photo, full, (fit(result.original), fit(result.stylized)), result.notes, generation)
            if photo.full_wanted and photo.full is None and generation == q.generation:
                photo.full_wanted = False
                self._submit(photo, Status.RENDERING)
        self._show_queue()
        if photo is self.current:
            self._show_current()

    def _on_failed(self, key: str, message: str, hint: str) -> None:
        photo = self._jobs.pop(key, None)
        if photo is not None:
            self.photo_queue.set_status(photo, Status.FAILED, message)
            self._show_queue()
        self.studio.show_error(message, hint)

    def _on_cancelled(self, key: str) -> None:
        photo = self._jobs.pop(key, None)
        if photo is not None:
            self.photo_queue.set_status(photo, Status.CANCELLED)
            self._show_queue()
        self.result.progress.setValue(0)

    # -- display --------------------------------------------------------------------------
    def _show_queue(self) -> None:
        self.queue_panel.show_queue(self.photo_queue)

    def _on_strength(self, value: int) -> None:
        self.photo_queue.set_strength(value)
        self._show_current()

    def _show_current(self) -> None:
        from ganstudio.style.tiles import blend

        self.chooser.strength_label.setText(f"{self.photo_queue.strength} %")
        photo = self.current
        self.result.anim_btn.setEnabled(photo is not None and photo.animated)
        if photo is None or photo.preview is None:
            self.view.set_images(None, None)
            self.result.info.setText("" if photo is None else f"{photo.path.name}: {photo.status}")
            return
        original, stylized = photo.preview
        after = blend(original[..., :3], stylized, self.photo_queue.strength_share)
        if original.shape[2] == 4:
            after = np.dstack([after, original[..., 3]])
        self.view.set_images(original, after)
        self.result.info.setText(" · ".join([photo.path.name, photo.status, *photo.notes]))

    def busy_text(self) -> str:
        """What closing the window would interrupt ('' when idle)."""
        n = len(self._jobs)
        return f"style transfer of {n} photo(s)" if n else ""

    def shutdown(self) -> None:
        """Cancel queued and running jobs and wait for the thread (the window calls this on close)."""
        self.runner.shutdown()
        self._jobs.clear()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self.shutdown()
        super().closeEvent(event)

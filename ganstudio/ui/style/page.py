"""Style Transfer page: drop photos, pick a style, preview, render at full size, export.

Photos arrive by drag and drop (files or folders), the open dialogs or the clipboard, and wait
in a queue. Selecting one shows a quick screen-size preview; "Render full size" runs the tiled
full-resolution render in the background (progress, cancel). The strength slider and the
before/after divider act on what is already computed, instantly. Exports keep the original
resolution and carry provenance; "Stylize all" writes every queued photo to a folder.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.errors import UserError
from ganstudio.ui.style.split_view import SplitView
from ganstudio.ui.style.worker import StyleJob, StyleWorker

EXPORT_FILTERS = "PNG image (*.png);;JPEG image (*.jpg *.jpeg);;WebP image (*.webp)"


@dataclass
class QueuedPhoto:
    """A photo in the queue and what has been computed for it with the current style."""

    path: Path
    status: str = "waiting"
    notes: list[str] = field(default_factory=list)
    preview: tuple[np.ndarray, np.ndarray] | None = None  # original, stylized (screen size)
    full: np.ndarray | None = None  # stylized at full size, full strength


class StylePage(QWidget):
    """The Style Transfer page (see module docstring)."""

    def __init__(self, studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.photos: list[QueuedPhoto] = []
        self.jobs: dict[int, tuple[str, QueuedPhoto]] = {}  # job id → (what, photo)
        self._next_id = 0
        self._paste_dir = Path(tempfile.mkdtemp(prefix="ganstudio-paste-"))
        self.model_path: Path | None = None
        self.worker = StyleWorker(self)
        self.worker.progress.connect(self._on_progress)
        self.worker.result.connect(self._on_result)
        self.worker.saved.connect(self._on_saved)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self.setAcceptDrops(True)
        self._build()
        self.reload_models()
        studio.library_changed.connect(self.reload_models)
        QShortcut(QKeySequence.Paste, self, activated=self.paste)

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.style_box = QComboBox()
        self.style_box.currentIndexChanged.connect(self._on_style_changed)
        self.direction_box = QComboBox()
        self.direction_box.currentIndexChanged.connect(self._restyle)
        self.strength = QSlider(Qt.Horizontal)
        self.strength.setRange(0, 100)
        self.strength.setValue(100)
        self.strength.valueChanged.connect(self._show_current)
        self.strength_label = QLabel("100 %")
        strength_row = QHBoxLayout()
        strength_row.addWidget(self.strength)
        strength_row.addWidget(self.strength_label)
        form = QFormLayout()
        form.addRow("Style", self.style_box)
        form.addRow("Direction", self.direction_box)
        form.addRow("Strength", strength_row)

        self.queue = QListWidget()
        self.queue.currentRowChanged.connect(self._on_select)
        add_files = QPushButton("Add photos…")
        add_files.clicked.connect(self._ask_files)
        add_folder = QPushButton("Add folder…")
        add_folder.clicked.connect(self._ask_folder)
        paste = QPushButton("Paste")
        paste.clicked.connect(self.paste)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_current)
        add_row = QGridLayout()  # two by two: four buttons in one row were clipped in the narrow column
        for i, b in enumerate((add_files, add_folder, paste, remove)):
            add_row.addWidget(b, i // 2, i % 2)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(QLabel("Queue"))
        left.addWidget(self.queue, 1)
        left.addLayout(add_row)

        self.view = SplitView()
        self.render_btn = QPushButton("Render full size")
        self.render_btn.clicked.connect(self.render_current)
        self.export_btn = QPushButton("Export…")
        self.export_btn.clicked.connect(self._ask_export)
        self.gif_btn = QPushButton("Morph GIF…")
        self.gif_btn.clicked.connect(self._ask_gif)
        self.all_btn = QPushButton("Stylize all…")
        self.all_btn.clicked.connect(self._ask_batch)
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        actions = QHBoxLayout()
        for b in (self.render_btn, self.export_btn, self.gif_btn, self.all_btn, self.cancel_btn):
            actions.addWidget(b)
        right = QVBoxLayout()
        right.addWidget(self.view, 1)
        right.addWidget(self.info)
        right.addWidget(self.progress)
        right.addLayout(actions)

        root = QHBoxLayout(self)
        side = QWidget()
        side.setLayout(left)
        side.setMaximumWidth(340)
        root.addWidget(side)
        root.addLayout(right, 1)

    # -- style models ---------------------------------------------------------------------
    def reload_models(self) -> None:
        """Bundled styles and CycleGAN runs from the library, plus any file opened here."""
        keep = self.model_path
        self.style_box.blockSignals(True)
        self.style_box.clear()
        for entry in self.studio.models():
            if entry.kind == "cyclegan":
                self.style_box.addItem(entry.title, (Path(entry.path), entry.info.get("direction", "AB")))
        if keep is not None and self._index_of(keep) < 0:
            self.style_box.addItem(keep.name, (keep, "AB"))
        self.style_box.addItem("Open a style model file…", None)
        self.style_box.blockSignals(False)
        idx = self._index_of(keep) if keep is not None else 0
        self.style_box.setCurrentIndex(max(idx, 0))
        self._on_style_changed()

    def _index_of(self, path: Path) -> int:
        for i in range(self.style_box.count()):
            data = self.style_box.itemData(i)
            if data is not None and data[0] == path:
                return i
        return -1

    def open_model(self, entry_or_path) -> None:
        """From the library's "Open in…": a ModelEntry or a path to a CycleGAN model."""
        path = Path(getattr(entry_or_path, "path", entry_or_path))
        self.model_path = path
        if self._index_of(path) < 0:
            self.style_box.insertItem(self.style_box.count() - 1, path.name, (path, "AB"))
        self.style_box.setCurrentIndex(self._index_of(path))

    def _on_style_changed(self) -> None:
        data = self.style_box.currentData()
        if data is None and self.style_box.count() > 1 and self.style_box.currentIndex() == self.style_box.count() - 1:
            name, _ = QFileDialog.getOpenFileName(self, "Open a style model", "", "GAN Studio models (*.pt)")
            if name:
                self.open_model(Path(name))
            else:
                self.style_box.setCurrentIndex(max(self._index_of(self.model_path), 0) if self.model_path else 0)
            return
        if data is None:
            self.model_path = None
            self.direction_box.clear()
            return
        path, default_direction = data
        from ganstudio.style.tiles import load_style_model

        try:
            model = load_style_model(path)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return
        self.model_path = path
        self.direction_box.blockSignals(True)
        self.direction_box.clear()
        for d in ("AB", "BA"):
            self.direction_box.addItem(model.direction_label(d), d)
        self.direction_box.setCurrentIndex(self.direction_box.findData(default_direction))
        self.direction_box.blockSignals(False)
        self._restyle()

    @property
    def direction(self) -> str:
        return self.direction_box.currentData() or "AB"

    # -- adding photos --------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        """Queue files and the photos inside folders; the first new one is shown."""
        from ganstudio.cli.stylize import collect_photos

        known = {p.path for p in self.photos}
        new = [p for p in collect_photos([str(p) for p in paths]) if p not in known]
        if not new:
            self.studio.show_status("no new photos found")
            return
        first = len(self.photos)
        for path in new:
            self.photos.append(QueuedPhoto(path))
            self.queue.addItem(QListWidgetItem(path.name))
        self.studio.show_status(f"added {len(new)} photo(s)")
        self.queue.setCurrentRow(first)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        if paths:
            self.add_paths(paths)
        elif mime.hasImage():
            self._add_qimage(QImage(mime.imageData()))
        event.acceptProposedAction()

    def paste(self) -> None:
        """Clipboard files, or clipboard pixels saved as a PNG in a temporary folder."""
        mime = QApplication.clipboard().mimeData()
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if paths:
            self.add_paths(paths)
        elif mime.hasImage():
            self._add_qimage(QImage(mime.imageData()))
        else:
            self.studio.show_status("the clipboard holds no image")

    def _add_qimage(self, image: QImage) -> None:
        if image.isNull():
            self.studio.show_error("the pasted picture could not be read")
            return
        path = self._paste_dir / f"pasted-{len(list(self._paste_dir.iterdir())) + 1}.png"
        if not image.save(str(path), "PNG"):
            self.studio.show_error("could not keep the pasted picture", f"is {self._paste_dir} writable?")
            return
        self.add_paths([path])

    def _ask_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add photos", "", "Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif)")
        if names:
            self.add_paths([Path(n) for n in names])

    def _ask_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Add a folder of photos")
        if name:
            self.add_paths([Path(name)])

    def _remove_current(self) -> None:
        row = self.queue.currentRow()
        if row >= 0:
            self.photos.pop(row)
            self.queue.takeItem(row)
            self._show_current()

    # -- jobs -----------------------------------------------------------------------------
    @property
    def current(self) -> QueuedPhoto | None:
        row = self.queue.currentRow()
        return self.photos[row] if 0 <= row < len(self.photos) else None

    def _submit(self, what: str, photo: QueuedPhoto, **kw) -> int | None:
        if self.model_path is None:
            self.studio.show_error("no style model chosen", "pick a style, or open a CycleGAN model file")
            return None
        self._next_id += 1
        self.jobs[self._next_id] = (what, photo)
        self.worker.submit(StyleJob(self._next_id, photo.path, self.model_path, self.direction, **kw))
        return self._next_id

    def _on_select(self, row: int) -> None:
        photo = self.current
        if photo is not None and photo.preview is None:
            self._set_status(photo, "preview…")
            self._submit("preview", photo, preview=True)
        self._show_current()

    def _restyle(self) -> None:
        """A new style or direction: what was computed no longer applies."""
        for photo in self.photos:
            photo.preview, photo.full = None, None
        self._on_select(self.queue.currentRow())

    def render_current(self) -> None:
        photo = self.current
        if photo is None:
            self.studio.show_status("add a photo first")
            return
        self._set_status(photo, "rendering…")
        self._submit("full", photo)

    def cancel(self) -> None:
        self.worker.cancel_all()
        self.studio.show_status("cancelled")

    def _meta(self, photo: QueuedPhoto) -> dict:
        from ganstudio.style.photos import provenance

        label = self.direction_box.currentText()
        return provenance(photo.path, self.style_box.currentText(), label, self.strength.value() / 100, StyleJob.tile,
                          StyleJob.overlap)

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
        self._set_status(photo, "exporting…")
        self._submit("export", photo, out=target, strength=self.strength.value() / 100, stylized=photo.full,
                     meta=self._meta(photo))

    def export_gif(self, target: Path) -> None:
        """The "original → stylized" morph, from the screen-size images (a GIF is small anyway)."""
        from ganstudio.style.photos import save_morph_gif
        from ganstudio.style.tiles import blend, join_alpha, split_alpha

        photo = self.current
        if photo is None or photo.preview is None:
            self.studio.show_status("wait for the preview first")
            return
        original, stylized = photo.preview
        rgb, alpha = split_alpha(_pil(original))
        try:
            save_morph_gif(join_alpha(rgb, alpha), join_alpha(blend(rgb, stylized, self.strength.value() / 100), alpha),
                           target, self._meta(photo))
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return
        self.studio.show_status(f"wrote {target}")

    def stylize_all(self, folder: Path, suffix: str = ".png") -> None:
        for photo in self.photos:
            self._set_status(photo, "queued")
            out = folder / f"{photo.path.stem}_{self.direction.lower()}{suffix}"
            self._submit("export", photo, out=out, strength=self.strength.value() / 100, meta=self._meta(photo))

    def _ask_export(self) -> None:
        photo = self.current
        if photo is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Export at full size", str(photo.path.with_name(
            f"{photo.path.stem}_{self.direction.lower()}.png")), EXPORT_FILTERS)
        if name:
            self.export_current(Path(name))

    def _ask_gif(self) -> None:
        photo = self.current
        if photo is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Export morph GIF", str(photo.path.with_name(
            f"{photo.path.stem}_morph.gif")), "GIF animation (*.gif)")
        if name:
            self.export_gif(Path(name))

    def _ask_batch(self) -> None:
        if not self.photos:
            self.studio.show_status("add photos first")
            return
        name = QFileDialog.getExistingDirectory(self, "Write stylized photos to")
        if name:
            self.stylize_all(Path(name))

    # -- worker signals -------------------------------------------------------------------
    def _set_status(self, photo: QueuedPhoto, status: str) -> None:
        photo.status = status
        if photo in self.photos:
            self.queue.item(self.photos.index(photo)).setText(f"{photo.path.name} — {status}")

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_result(self, job_id: int, original, stylized, notes) -> None:
        what, photo = self.jobs.pop(job_id, ("", None))
        if photo is None:
            return
        photo.notes = list(notes)
        if what == "preview":
            photo.preview = (original, stylized)
            self._set_status(photo, "preview")
        else:
            photo.full = stylized
            photo.preview = (_fit(original, 1024), _fit(stylized, 1024))
            self._set_status(photo, "full size")
        if photo is self.current:
            self._show_current()

    def _on_saved(self, job_id: int, path: str) -> None:
        _, photo = self.jobs.pop(job_id, ("", None))
        if photo is not None:
            self._set_status(photo, "saved")
        self.studio.show_status(f"wrote {path}")

    def _on_failed(self, job_id: int, message: str, hint: str) -> None:
        _, photo = self.jobs.pop(job_id, ("", None))
        if photo is not None:
            self._set_status(photo, "failed")
        self.studio.show_error(message, hint)

    def _on_cancelled(self, job_id: int) -> None:
        _, photo = self.jobs.pop(job_id, ("", None))
        if photo is not None:
            self._set_status(photo, "cancelled")
        self.progress.setValue(0)

    # -- display --------------------------------------------------------------------------
    def _show_current(self) -> None:
        from ganstudio.style.tiles import blend

        s = self.strength.value()
        self.strength_label.setText(f"{s} %")
        photo = self.current
        if photo is None or photo.preview is None:
            self.view.set_images(None, None)
            self.info.setText("" if photo is None else f"{photo.path.name}: {photo.status}")
            return
        original, stylized = photo.preview
        after = blend(original[..., :3], stylized, s / 100)
        if original.shape[2] == 4:
            after = np.dstack([after, original[..., 3]])
        self.view.set_images(original, after)
        self.info.setText(" · ".join([photo.path.name, photo.status, *photo.notes]))

    def busy_text(self) -> str:
        """What closing the window would interrupt ('' when idle)."""
        n = self.worker.pending()
        return f"style transfer of {n} photo(s)" if n else ""

    def shutdown(self) -> None:
        """Cancel queued and running jobs and wait for the thread (the window calls this on close)."""
        self.worker.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)


def _pil(arr: np.ndarray):
    from PIL import Image

    return Image.fromarray(arr, "RGBA" if arr.shape[2] == 4 else "RGB")


def _fit(arr: np.ndarray, side: int) -> np.ndarray:
    """Screen-size copy of a full-size array for display."""
    from PIL import Image

    scale = side / max(arr.shape[:2])
    if scale >= 1:
        return arr
    img = _pil(arr)
    return np.asarray(img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))),
                                 Image.Resampling.LANCZOS))

"""The Classes page: pick a conditional model and a class, generate, morph between classes, export.

Left: the model (bundled conditional models first, then runs and imported files), its class
list ("All classes" draws a poster, one row per class), samples per class, seed and re-roll.
Centre: the grid (click a sample to enlarge it) and below it the class morph: from / to class,
frames, fps, a strip of the frames and the export box (GIF, WebP, APNG, MP4, sprite sheet, PNG
frames, the enlarged sample). Right: the pictures' size (1, 2, 4 or 8 times, crisp or smooth), the
poster as one PNG, and the batch export of N samples per class into one folder per class with a
labels CSV, with progress and cancel.

The page renders a `classgen.session.ClassSession`. Every forward pass (grid, enlarged sample,
morph, batch) runs in the page's one `JobRunner` thread, the only thread that uses the model;
the export box only writes arrays that are already computed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QVBoxLayout, QWidget

from ganstudio.classgen import generate as classgen
from ganstudio.classgen.session import ALL, ClassSession
from ganstudio.core.errors import UserError
from ganstudio.export import writers
from ganstudio.export.dispatch import EXPORT_KINDS, ExportSettings, check_export, export_frames
from ganstudio.modelfiles import library
from ganstudio.modelfiles.generator import Generator
from ganstudio.ui.classes.panels import SPIN_MAX_SEED, BatchPanel, ModelPanel, MorphPanel, entry_sort_key
from ganstudio.ui.common.export_panel import ExportJob, ExportPanel
from ganstudio.ui.common.image_grid import ImageGrid
from ganstudio.ui.common.jobs import Job, JobRunner

__all__ = ["ALL", "ClassesPage"]


class ClassesPage(QWidget):
    """Class-conditional generation; `open_model` accepts a ModelEntry or a path."""

    def __init__(self, studio: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.session = ClassSession()
        self.runner = JobRunner(self)
        self._batch_active = False  # from submitting the batch export until its outcome arrives
        self.left = ModelPanel()
        self.grid = ImageGrid()
        self.export_panel = ExportPanel(studio, self._make_job, self.runner, kinds=(*EXPORT_KINDS, "frame"),
                                        names={"frame": "PNG: enlarged sample"}, stem="class-morph")
        self.morph_panel = MorphPanel(self.export_panel)
        self.batch = BatchPanel()
        self._wire()
        centre = QVBoxLayout()
        centre.addWidget(self.grid, 3)
        centre.addWidget(self.morph_panel, 2)
        right = QVBoxLayout()
        right.addWidget(self.batch)
        right.addStretch(1)
        top = QHBoxLayout(self)
        top.addWidget(self.left, 1)
        top.addLayout(centre, 3)
        top.addLayout(right, 1)
        self.export_panel.set_ready(False, False)
        self.refresh_models()
        if hasattr(studio, "library_changed"):
            studio.library_changed.connect(self.refresh_models)
        self._show_batch()

    def _wire(self) -> None:
        left = self.left
        left.model_box.activated.connect(lambda i: self.open_model(left.model_box.itemData(i)))
        left.class_list.currentRowChanged.connect(lambda _: self._on_class_row())
        left.per_class.valueChanged.connect(self._on_per_class)
        left.seed.valueChanged.connect(self._on_seed)
        left.reroll.clicked.connect(self.reroll)
        self.batch.save_poster.clicked.connect(self._ask_save_grid)
        self.grid.cell_clicked.connect(self.enlarge)
        self.morph_panel.make.clicked.connect(self.make_morph)
        self.batch.per_class.valueChanged.connect(self.session.set_batch_per_class)
        self.batch.button.clicked.connect(self._browse_batch)
        self.batch.cancel.clicked.connect(self.cancel_batch)

    @property
    def g(self) -> Generator | None:
        return self.session.g

    @property
    def morph(self) -> np.ndarray | None:
        return self.session.morph

    @property
    def enlarged(self) -> tuple[int, int] | None:
        return self.session.enlarged

    # -- models --------------------------------------------------------------------------
    def refresh_models(self) -> None:
        """Image GANs from the library; conditional bundled ones first. Others are checked on opening."""
        box = self.left.model_box
        current = box.currentData()
        entries = sorted((e for e in self.studio.models() if e.kind == "gan"), key=entry_sort_key)
        box.blockSignals(True)
        box.clear()
        for e in entries:
            if e.source == "bundled" and not e.conditional:
                continue  # a bundled unconditional model is known not to fit this page
            box.addItem(f"{e.title}  ({e.source})", e)
        box.setCurrentIndex(max(0, self._find(current)))
        box.blockSignals(False)
        if self.g is None and box.count() and box.itemData(0).source == "bundled":
            self.open_model(box.itemData(0))

    def _find(self, entry: Any) -> int:
        box = self.left.model_box
        for i in range(box.count()):
            if entry is not None and box.itemData(i).path == getattr(entry, "path", None):
                return i
        return -1

    def open_model(self, entry_or_path: Any) -> bool:
        """Open a ModelEntry (bundled files are checked against the manifest) or a path; False with a banner."""
        from ganstudio.core.device import pick_device
        from ganstudio.modelfiles.generator import load_generator

        try:
            is_entry = isinstance(entry_or_path, library.ModelEntry)
            path = library.verified_path(entry_or_path) if is_entry else Path(entry_or_path)
            self.session.open(load_generator(path, pick_device("auto")), path)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        index = self._find(entry_or_path) if is_entry else -1
        if index >= 0:
            self.left.model_box.setCurrentIndex(index)
        self.left.show_classes(self.session)
        self.morph_panel.show_classes(self.session)
        self.left.info.setText(self._describe(entry_or_path))
        self.left.show_enlarged(self.session)
        self.morph_panel.show_morph(None)
        self.export_panel.set_ready(False, False)
        self._show_batch()
        self.refresh()
        self.studio.clear_error()
        self.studio.show_status(f"opened {path.name}: {self.session.model().num_classes} classes")
        return True

    def _describe(self, entry_or_path: Any) -> str:
        g = self.session.model()
        bits = [f"{g.config.arch}, {g.config.img_size} px, {g.num_classes} classes"]
        if g.meta.get("steps"):
            bits.append(f"{g.meta['steps']} training steps")
        quality = getattr(entry_or_path, "info", {}).get("quality") or {}
        if "class_accuracy" in quality:
            bits.append(f"{quality['class_accuracy']:.1%} classified as requested; Fréchet "
                        f"{quality.get('frechet_ratio', float('nan')):.1f}× the real-data floor")
        return "\n".join(bits)

    # -- grid ----------------------------------------------------------------------------
    def selected_class(self) -> int:
        """The class of the grid, or ALL for the poster."""
        return self.session.selected

    def select_class(self, name_or_index: str | int) -> None:
        """Show one class (by name or index; UserError if it does not exist) or ALL."""
        self.left.class_list.setCurrentRow(self.session.select(name_or_index) + 1)

    def grid_classes(self) -> list[int]:
        return self.session.grid_classes()

    def _on_class_row(self) -> None:
        if self.g is not None:
            self.session.select(self.left.selected_class())
            self.refresh()

    def _on_per_class(self, n: int) -> None:
        self.session.set_per_class(n)
        self.refresh()

    def _on_seed(self, seed: int) -> None:
        self.session.set_seed(seed)
        self.refresh()

    def refresh(self) -> None:
        """Draw the grid in the job thread; only the newest request is drawn."""
        if self.g is None:
            self.grid.clear_images("Pick a conditional model.")
            return
        g, classes, seeds = self.session.model(), self.session.grid_classes(), self.session.grid_seeds()
        self.runner.submit(Job("grid", lambda p, c: classgen.samples(g, classes, seeds),
                               on_done=lambda images: self._show_grid(images, len(seeds)),
                               on_failed=self.studio.show_error))

    def _show_grid(self, images: np.ndarray, cols: int) -> None:
        self.grid.set_images(images, cols)
        self.export_panel.set_ready(self.morph is not None, True)

    def reroll(self) -> None:
        self.left.seed.setValue(self.session.reroll(SPIN_MAX_SEED))

    def enlarge(self, index: int) -> None:
        """Draw the sample under a click at the enlarged view's size (in the job thread)."""
        g = self.session.model()
        k, seed = self.session.sample_at(index)
        self.runner.submit(Job("enlarge", lambda p, c: classgen.samples(g, [k], [seed])[0],
                               on_done=lambda image: self._show_enlarged(k, seed, image),
                               on_failed=self.studio.show_error))

    def _show_enlarged(self, k: int, seed: int, image: np.ndarray) -> None:
        self.session.set_enlarged(k, seed, image)
        self.left.show_enlarged(self.session)

    # -- morph ---------------------------------------------------------------------------
    def make_morph(self) -> bool:
        """Start drawing the morph of the chosen classes; False (with a banner) if the settings are wrong."""
        if self.g is None:
            return False
        try:
            m = self.session.set_morph(self.morph_panel.settings())
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        g, seed = self.session.model(), self.session.seed
        self.morph_panel.show_morph(None, "drawing the morph…")
        self.runner.submit(Job("morph", lambda p, c: classgen.class_morph_frames(g, m.start, m.end, m.frames, seed,
                                                                                 m.end_seed),
                               on_done=self._show_morph, on_failed=self.studio.show_error))
        return True

    def _show_morph(self, frames: np.ndarray) -> None:
        self.session.morph = frames
        self.morph_panel.show_morph(frames)
        self.export_panel.set_ready(True, True)

    def morph_info(self) -> dict:
        return self.session.morph_info()

    def _make_job(self, kind: str, path: Path, s: ExportSettings) -> ExportJob:
        """The export box's work, from arrays already drawn: the morph in any format, or the enlarged sample."""
        self.session.model()
        if kind == "frame":
            writers.check_resample(s.resample)
            image, prov = self.session.enlarged_or_refuse()
            return lambda progress, cancel: str(writers.write_png(image, path, s.scale, s.resample, prov))
        frames, fps = self.session.morph_or_refuse(), float(self.session.morph_settings.fps)
        check_export(kind, path, len(frames), frames.shape[1], frames.shape[2], fps, s)
        prov = {"class_morph": self.morph_info()}
        return lambda progress, cancel: export_frames(frames, kind, path, s, fps, True, prov, progress, cancel)

    def export_morph(self, path: str | Path, kind: str = "gif") -> bool:
        """Start exporting the morph (the export box's Export… does the same after a file dialog)."""
        return self.export_panel.start(kind, Path(path))

    def save_grid(self, path: str | Path) -> bool:
        """Write the grid shown (the poster, or one class) as one PNG at the pictures' size, in the job thread;
        False with a banner when there is no grid or it would be too large."""
        if self.g is None or not len(self.grid.images):
            return False
        scale, resample = self.batch.picture_settings()
        image, prov = self.grid.composite(), {**self.session.grid_provenance(), "scale": scale, "resample": resample}
        try:
            writers.check_frames(image[None], scale)
        except UserError as exc:
            self.studio.show_user_error(exc)
            return False
        self.runner.submit(Job("poster", lambda p, c: str(writers.write_png(image, path, scale, resample, prov)),
                               on_done=lambda written: self.studio.show_status(f"wrote {written}"),
                               on_failed=self.studio.show_error))
        return True

    def _ask_save_grid(self) -> None:
        start = Path(str(self.studio.settings.value("classes/export_dir", str(Path.home())))) / "poster.png"
        name, _ = QFileDialog.getSaveFileName(self, "Save the picture", str(start), "PNG image (*.png)")
        if name:
            self.studio.settings.setValue("classes/export_dir", str(Path(name).parent))
            self.save_grid(name)

    # -- batch export --------------------------------------------------------------------
    def export_dialog(self) -> None:
        """File ▸ Export…: the morph, in the export box's format."""
        self.export_panel.browse()

    def _browse_batch(self) -> None:
        start = self.studio.settings.value("classes/export_dir", str(Path.home()))
        name, _ = QFileDialog.getSaveFileName(self, "New folder for the samples", str(Path(start) / "samples"),
                                              "Folder (*)")
        if name:
            self.studio.settings.setValue("classes/export_dir", str(Path(name).parent))
            self.export_batch(Path(name))

    def batch_running(self) -> bool:
        return self._batch_active

    def export_batch(self, folder: str | Path) -> bool:
        """N samples per class into `folder` in the job thread; False with a banner if it cannot start."""
        if self.g is None or self.batch_running():
            return False
        g, n, seed, folder = self.session.model(), self.session.batch_per_class, self.session.seed, Path(folder)
        scale, resample = self.batch.picture_settings()
        try:
            writers.check_new_folder(folder)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        self.runner.submit(Job("batch", lambda p, c: str(classgen.export_per_class(g, folder, n, seed, p, c,
                                                                                    scale, resample)),
                               on_done=lambda written: self._batch_end(100, f"wrote {Path(written).name}",
                                                                       f"wrote {written}"),
                               on_progress=self.batch.show_progress, on_failed=self._batch_failed,
                               on_cancelled=self._batch_cancelled))
        self._batch_active = True
        self._show_batch()
        return True

    def cancel_batch(self) -> None:
        if self.batch_running():
            self.runner.cancel("batch")

    def _batch_failed(self, message: str, hint: str) -> None:
        self.studio.show_error(message, hint)
        self._batch_end(0, "export failed", "")

    def _batch_cancelled(self) -> None:
        self._batch_end(0, "cancelled: nothing was written", "export cancelled; nothing was written")

    def _batch_end(self, value: int, text: str, status: str) -> None:
        if not self._batch_active:
            return
        self._batch_active = False
        self.batch.show_end(value, text)
        if status:
            self.studio.show_status(status)
        self._show_batch()

    def _show_batch(self) -> None:
        self.batch.show_running(self.batch_running(), self.g is not None)

    def busy_text(self) -> str:
        """What would be lost by closing the window now ('' = nothing)."""
        if self.batch_running():
            return "a batch export of class samples is running"
        return "a morph export is running" if self.export_panel.exporting else ""

    def shutdown(self) -> None:
        """Cancel and wait for running work (the window calls this on close; tests too)."""
        self.runner.shutdown()

"""The Classes page: pick a conditional model and a class, generate, morph between classes, export.

Left: the model (bundled conditional models first, then runs and imported files), its class
list ("All classes" draws a poster, one row per class), samples per class, seed and re-roll.
Centre: the grid (click a sample to enlarge it) and below it the class morph: from / to class,
frames, fps, a strip of the frames and the latent walk's export box (GIF, WebP, APNG, MP4,
sprite sheet, PNG frames). Right: batch export of N samples per class into one folder per class
with a labels CSV, in a worker thread with progress and cancel.

A poster of 10 × 10 samples is one batched forward pass (tens of milliseconds on a CPU, see
bench/class_poster_bench.py), so the grid is drawn on the GUI thread; exports run in threads.
"""

from __future__ import annotations

import random
from dataclasses import asdict
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ganstudio.classgen import generate as classgen
from ganstudio.core.errors import UserError
from ganstudio.export import writers as export
from ganstudio.export.dispatch import ExportSettings
from ganstudio.modelfiles import zoo
from ganstudio.modelfiles.generator import Generator
from ganstudio.ui.classes.widgets import SampleGrid
from ganstudio.ui.common.export_panel import ExportPanel, Job
from ganstudio.ui.common.qimage import to_pixmap
from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.walk.workers import ExportWorker

ALL = -1  # class list row data: the poster
STRIP_FRAMES = 8  # morph frames shown in the strip
MAX_SEED = 2**31 - 1  # what a QSpinBox holds


class ClassesPage(QWidget):
    """Class-conditional generation; `open_model` accepts a ModelEntry or a path."""

    def __init__(self, studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.g: Generator | None = None
        self.entry_path: Path | None = None
        self.morph: np.ndarray | None = None
        self.enlarged: tuple[int, int] | None = None  # (class, seed) of the enlarged sample
        self.batch_worker: ExportWorker | None = None

        self.model_box = QComboBox()
        self.model_box.setToolTip("Conditional models: bundled ones, your conditional runs and imported files")
        self.model_box.activated.connect(lambda i: self.open_model(self.model_box.itemData(i)))
        self.info = QLabel("Pick a conditional model.")
        self.info.setWordWrap(True)
        self.class_list = QListWidget()
        self.class_list.currentRowChanged.connect(lambda _: self.refresh())
        self.per_class = spin_box(1, 16, 8, "Samples per class (columns)")
        self.per_class.valueChanged.connect(lambda _: self.refresh())
        self.seed = spin_box(0, MAX_SEED, 0, "First seed: sample i uses seed + i, the same latent in every class")
        self.seed.valueChanged.connect(lambda _: self.refresh())
        reroll = QPushButton("Re-roll")
        reroll.setToolTip("New random seeds")
        reroll.clicked.connect(self.reroll)
        left = QVBoxLayout()
        left.addWidget(QLabel("Model"))
        left.addWidget(self.model_box)
        left.addWidget(self.info)
        left.addWidget(QLabel("Class"))
        left.addWidget(self.class_list, 1)
        form = QFormLayout()
        form.addRow("samples per class", self.per_class)
        row = QHBoxLayout()
        row.addWidget(self.seed, 1)
        row.addWidget(reroll)
        form.addRow("seed", row)
        left.addLayout(form)
        self.enlarged_view = QLabel()
        self.enlarged_view.setFixedSize(196, 196)
        self.enlarged_view.setStyleSheet("background: #181818;")
        self.enlarged_caption = QLabel("Click a sample to enlarge it.")
        self.enlarged_caption.setWordWrap(True)
        left.addWidget(self.enlarged_view)
        left.addWidget(self.enlarged_caption)

        self.grid = SampleGrid()
        self.grid.sample_clicked.connect(self.enlarge)
        centre = QVBoxLayout()
        centre.addWidget(self.grid, 3)
        centre.addWidget(self._morph_box(), 2)

        right = QVBoxLayout()
        right.addWidget(self._batch_box())
        right.addStretch(1)

        top = QHBoxLayout(self)
        top.addLayout(left, 1)
        top.addLayout(centre, 3)
        top.addLayout(right, 1)
        self.refresh_models()
        if hasattr(studio, "library_changed"):
            studio.library_changed.connect(self.refresh_models)
        self._update_enabled()

    # -- building ----------------------------------------------------------------------------
    def _morph_box(self) -> QGroupBox:
        box = QGroupBox("Class morph")
        self.morph_from, self.morph_to = QComboBox(), QComboBox()
        self.morph_frames = spin_box(2, 600, 24, "Frames from the first class to the second")
        self.morph_fps = spin_box(1, 60, 12, "Frames per second of the exported animation")
        self.morph_seed2 = spin_box(-1, MAX_SEED, -1, "Latent at the end: −1 keeps the start seed "
                                    "(only the class changes); another seed also walks the latent")
        self.morph_seed2.setSpecialValueText("same as start")
        make = QPushButton("Morph")
        make.setToolTip("Blend the class embeddings (and latents) from one class to the other")
        make.clicked.connect(self.make_morph)
        # two rows, so the page still fits a 1366 px wide screen beside the sidebar and the library
        classes_row, row = QHBoxLayout(), QHBoxLayout()
        for label, w in (("from", self.morph_from), ("to", self.morph_to)):
            classes_row.addWidget(QLabel(label))
            classes_row.addWidget(w, 1)
        for label, w in (("frames", self.morph_frames), ("fps", self.morph_fps), ("end seed", self.morph_seed2)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(make)
        self.strip = SampleGrid()
        self.strip.setMinimumSize(280, 60)
        self.export_panel = ExportPanel(self.studio, self._make_job)
        self.export_panel.set_ready(False, False)
        v = QVBoxLayout(box)
        v.addLayout(classes_row)
        v.addLayout(row)
        v.addWidget(self.strip, 1)
        v.addWidget(self.export_panel)
        return box

    def _batch_box(self) -> QGroupBox:
        box = QGroupBox("Batch export")
        self.batch_n = spin_box(1, classgen.MAX_PER_CLASS, 100, "Samples per class")
        self.batch_button = QPushButton("Export samples…")
        self.batch_button.setToolTip("One folder per class plus labels.csv (file, class, seed), in a new folder")
        self.batch_button.clicked.connect(self._browse_batch)
        self.batch_progress = QProgressBar()
        self.batch_progress.setValue(0)
        self.batch_cancel = QPushButton("Cancel")
        self.batch_cancel.setEnabled(False)
        self.batch_cancel.clicked.connect(self.cancel_batch)
        v = QVBoxLayout(box)
        form = QFormLayout()
        form.addRow("per class", self.batch_n)
        v.addLayout(form)
        v.addWidget(self.batch_button)
        v.addWidget(self.batch_progress)
        v.addWidget(self.batch_cancel)
        return box

    # -- models --------------------------------------------------------------------------------
    def refresh_models(self) -> None:
        """Image GANs from the library; conditional bundled ones first. Others are checked on opening."""
        current = self.model_box.currentData()
        entries = [e for e in self.studio.models() if e.kind == "gan"]
        entries.sort(key=lambda e: (not (e.source == "bundled" and e.conditional), e.source != "bundled"))
        self.model_box.blockSignals(True)
        self.model_box.clear()
        for e in entries:
            if e.source == "bundled" and not e.conditional:
                continue  # a bundled unconditional model is known not to fit this page
            self.model_box.addItem(f"{e.title}  ({e.source})", e)
        self.model_box.setCurrentIndex(max(0, self._find(current)))
        self.model_box.blockSignals(False)
        if self.g is None and self.model_box.count() and self.model_box.itemData(0).source == "bundled":
            self.open_model(self.model_box.itemData(0))

    def _find(self, entry) -> int:
        for i in range(self.model_box.count()):
            if entry is not None and self.model_box.itemData(i).path == getattr(entry, "path", None):
                return i
        return -1

    def open_model(self, entry_or_path) -> bool:
        """Open a ModelEntry (bundled files are checked against the manifest) or a path; False with a banner."""
        from ganstudio.core.device import pick_device
        from ganstudio.modelfiles.generator import load_generator

        try:
            if isinstance(entry_or_path, zoo.ModelEntry):
                path = zoo.verified_path(entry_or_path)
            else:
                path = Path(entry_or_path)
            g = classgen.require_conditional(load_generator(path, pick_device("auto")))
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        self.g, self.entry_path = g, path
        index = self._find(entry_or_path) if isinstance(entry_or_path, zoo.ModelEntry) else -1
        if index >= 0:
            self.model_box.setCurrentIndex(index)
        self._fill_classes()
        self._describe(entry_or_path)
        self.morph = None
        self.strip.clear_samples("Choose two classes and press Morph.")
        self.export_panel.set_ready(False, False)
        self._update_enabled()
        self.refresh()
        self.studio.show_status(f"opened {path.name}: {g.num_classes} classes")
        return True

    def _fill_classes(self) -> None:
        names = classgen.class_names(self.g)
        self.class_list.blockSignals(True)
        self.class_list.clear()
        self.class_list.addItem("All classes (poster)")
        self.class_list.addItems([f"{k}  {n}" for k, n in enumerate(names)])
        self.class_list.setCurrentRow(0)
        self.class_list.blockSignals(False)
        for box in (self.morph_from, self.morph_to):
            box.clear()
            for k, n in enumerate(names):
                box.addItem(n, k)
        self.morph_to.setCurrentIndex(min(1, len(names) - 1))

    def _describe(self, entry_or_path) -> None:
        cfg, meta = self.g.config, self.g.meta
        bits = [f"{cfg.arch}, {cfg.img_size} px, {self.g.num_classes} classes"]
        if meta.get("steps"):
            bits.append(f"{meta['steps']} training steps")
        quality = getattr(entry_or_path, "info", {}).get("quality") or {}
        if "class_accuracy" in quality:
            bits.append(f"{quality['class_accuracy']:.1%} classified as requested; Fréchet "
                        f"{quality.get('frechet_ratio', float('nan')):.1f}× the real-data floor")
        self.info.setText("\n".join(bits))

    def _update_enabled(self) -> None:
        self.batch_button.setEnabled(self.g is not None and self.batch_worker is None)

    # -- grid ------------------------------------------------------------------------------------
    def selected_class(self) -> int:
        """The class of the grid, or ALL for the poster."""
        return self.class_list.currentRow() - 1 if self.class_list.currentRow() > 0 else ALL

    def select_class(self, name_or_index: str | int) -> None:
        """Show one class (by name or index; UserError if it does not exist) or ALL."""
        k = ALL if name_or_index == ALL else self.g.class_index(name_or_index)
        self.class_list.setCurrentRow(k + 1)

    def grid_classes(self) -> list[int]:
        k = self.selected_class()
        return list(range(self.g.num_classes)) if k == ALL else [k]

    def refresh(self) -> None:
        if self.g is None:
            self.grid.clear_samples("Pick a conditional model.")
            return
        n = self.per_class.value()
        seeds = list(range(self.seed.value(), self.seed.value() + n))
        images = classgen.samples(self.g, self.grid_classes(), seeds)
        self.grid.set_samples(images, n)
        self.export_panel.set_ready(self.morph is not None, True)

    def reroll(self) -> None:
        self.seed.setValue(random.randrange(0, MAX_SEED - 16))

    def enlarge(self, index: int) -> None:
        n = self.per_class.value()
        k = self.grid_classes()[index // n]
        seed = self.seed.value() + index % n
        image = classgen.samples(self.g, [k], [seed])[0]
        self.enlarged = (k, seed)
        self.enlarged_view.setPixmap(to_pixmap(image).scaled(196, 196))
        self.enlarged_caption.setText(f"{classgen.class_names(self.g)[k]}, seed {seed}\n"
                                      f"(ganstudio sample MODEL --class {k} --seed {seed} -n 1)")

    # -- morph -----------------------------------------------------------------------------------
    def make_morph(self) -> bool:
        if self.g is None:
            return False
        seed2 = self.morph_seed2.value()
        try:
            self.morph = classgen.class_morph_frames(self.g, self.morph_from.currentData(), self.morph_to.currentData(),
                                               self.morph_frames.value(), self.seed.value(),
                                               None if seed2 < 0 else seed2)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        pick = np.linspace(0, len(self.morph) - 1, min(STRIP_FRAMES, len(self.morph))).round().astype(int)
        self.strip.set_samples(self.morph[pick], len(pick))
        self.export_panel.set_ready(True, True)
        return True

    def morph_info(self) -> dict:
        names = classgen.class_names(self.g)
        return {"model": str(self.entry_path), "from": names[self.morph_from.currentData()],
                "to": names[self.morph_to.currentData()], "frames": self.morph_frames.value(),
                "seed": self.seed.value(), "end_seed": self.morph_seed2.value(), "fps": self.morph_fps.value()}

    def _make_job(self, kind: str, path: Path, s: ExportSettings) -> Job:
        """The export box's work: the morph in any animation format, its frames, the enlarged sample or the grid."""
        if self.g is None:
            raise UserError("open a conditional model first")
        export.check_resample(s.resample)
        fps = float(self.morph_fps.value())
        if kind == "grid":
            picture = self.grid.picture()
            prov = {"model": str(self.entry_path), "grid": {"classes": self.grid_classes(), "seed": self.seed.value(),
                                                            "per_class": self.per_class.value()}}
            return lambda progress, cancel: str(export.write_png(picture, path, s.scale, s.resample, prov))
        if kind == "frame":
            if self.enlarged is None:
                raise UserError("no sample is enlarged", "click a sample in the grid first")
            k, seed = self.enlarged
            image = classgen.samples(self.g, [k], [seed])[0]
            prov = {"model": str(self.entry_path), "class": k, "seed": seed}
            return lambda progress, cancel: str(export.write_png(image, path, s.scale, s.resample, prov))
        if self.morph is None:
            raise UserError("there is no morph to export yet", "choose two classes and press Morph")
        frames, prov = self.morph, {"class_morph": self.morph_info(), "export": {"kind": kind, **asdict(s)}}
        if kind in export.FORMATS:
            export.check_animation(kind, fps, s.quality, s.colors, s.palette, s.resample)
            export.check_frames(frames, s.scale)
            return lambda progress, cancel: str(export.write_animation(
                frames, path, kind, fps, True, s.scale, s.resample, s.quality, s.colors, s.palette, prov,
                progress, cancel))
        if kind == "sheet":
            return lambda progress, cancel: " and ".join(str(p) for p in export.write_sprite_sheet(
                frames, path, s.columns, fps, True, s.scale, s.resample, prov, progress, cancel))
        if kind == "frames":
            export.check_new_folder(Path(path))
            return lambda progress, cancel: str(Path(export.write_frames(
                frames, path, "morph", s.scale, s.resample, prov, progress, cancel)[0]).parent)
        raise UserError(f"unknown export '{kind}'")

    def export_morph(self, path: str | Path, kind: str = "gif") -> bool:
        """Start exporting the morph (the export box's Export… does the same after a file dialog)."""
        return self.export_panel.start(kind, Path(path))

    # -- batch export ----------------------------------------------------------------------------
    def _browse_batch(self) -> None:
        start = self.studio.settings.value("classes/export_dir", str(Path.home()))
        name, _ = QFileDialog.getSaveFileName(self, "New folder for the samples", str(Path(start) / "samples"),
                                              "Folder (*)")
        if name:
            self.studio.settings.setValue("classes/export_dir", str(Path(name).parent))
            self.export_batch(Path(name))

    def export_batch(self, folder: str | Path) -> bool:
        """N samples per class into `folder` in a worker thread; False with a banner if it cannot start."""
        if self.g is None or self.batch_worker is not None:
            return False
        g, n, seed, folder = self.g, self.batch_n.value(), self.seed.value(), Path(folder)
        try:
            export.check_new_folder(folder)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        worker = ExportWorker(lambda progress, cancel: str(classgen.export_per_class(g, folder, n, seed, progress,
                                                                                    cancel)), self)
        worker.progress.connect(self._batch_progress)
        worker.finished_ok.connect(lambda written: self._batch_end(100, f"wrote {Path(written).name}",
                                                                   f"wrote {written}"))
        worker.failed.connect(self._batch_failed)
        worker.cancelled.connect(lambda: self._batch_end(0, "cancelled: nothing was written",
                                                         "export cancelled; nothing was written"))
        worker.finished.connect(self._batch_thread_end)
        self.batch_worker = worker
        self.batch_progress.setRange(0, 0)
        self.batch_cancel.setEnabled(True)
        self._update_enabled()
        worker.start()
        return True

    def cancel_batch(self) -> None:
        if self.batch_worker is not None:
            self.batch_worker.cancel()

    def _batch_progress(self, done: int, total: int) -> None:
        self.batch_progress.setRange(0, total)
        self.batch_progress.setValue(done)
        self.batch_progress.setFormat(f"{done}/{total}")

    def _batch_failed(self, message: str, hint: str) -> None:
        self.studio.show_error(message, hint)
        self._batch_end(0, "export failed", "")

    def _batch_end(self, value: int, text: str, status: str) -> None:
        self.batch_progress.setRange(0, 100)
        self.batch_progress.setValue(value)
        self.batch_progress.setFormat(text)
        if status:
            self.studio.show_status(status)

    def _batch_thread_end(self) -> None:
        self.batch_worker = None
        self.batch_cancel.setEnabled(False)
        self._update_enabled()

    def busy_text(self) -> str:
        """What would be lost by closing the window now ('' = nothing)."""
        if self.batch_worker is not None:
            return "a batch export of class samples is running"
        return "a morph export is running" if self.export_panel.worker is not None else ""

    def shutdown(self) -> None:
        """Cancel and wait for running exports (the window calls this on close; tests too)."""
        self.export_panel.shutdown()
        if self.batch_worker is not None:
            self.batch_worker.cancel()
            self.batch_worker.wait(30_000)

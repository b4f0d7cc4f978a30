"""The Latent Walk page: explore a generator's latent space, pin keyframes, preview and export morphs.

Left: a grid of samples from consecutive seeds (re-roll, seed range, enlarge one) and a free
latent vector that can be nudged. Right: the live preview (scrub or play) and the walk's
settings. Bottom: the keyframe timeline. Export writes GIF, WebP, APNG, MP4, sprite sheets
and PNGs through `ganstudio.export.writers`, with the walk project as provenance.

Rendering never runs on the GUI thread: the preview worker renders only the newest request
of each kind, and exports run in their own thread with progress and cancel.
"""

from __future__ import annotations

import random
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import MAX_SEED
from ganstudio.export import writers as export
from ganstudio.export.dispatch import ExportSettings
from ganstudio.ui.common.export_panel import ExportPanel, Job
from ganstudio.ui.common.qimage import to_pixmap
from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.walk.widgets import SeedGrid, Timeline
from ganstudio.ui.walk.workers import PreviewWorker
from ganstudio.walk.timeline import Keyframe, Walk

PLAY_BATCH = 16  # frames per request while playing: one-frame batches run ~5× slower on a CPU (bench/walk_bench.py)
CACHE_FRAMES = 3000  # preview frames kept; more (long walks at 128 px) would cost too much memory
PSI_TIP = ("Truncation ψ. DCGAN has no mapping network, so ψ simply scales z toward the origin (z·ψ): "
           "below 1 gives plainer, more typical samples, above 1 wilder ones.")


def _dspin(lo: float, hi: float, value: float, step: float, tip: str = "") -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setSingleStep(step)
    s.setValue(value)
    s.setToolTip(tip)
    return s


def _combo(items: list[tuple[str, object]], tip: str = "") -> QComboBox:
    c = QComboBox()
    for text, data in items:
        c.addItem(text, data)
    c.setToolTip(tip)
    return c


class WalkPage(QWidget):
    """See the module docstring. `g` is the open generator (None until one is opened)."""

    def __init__(self, studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.g = None
        self.free_z = None  # torch (z_dim,) float64: the nudgeable latent
        self._nudges = 0
        self.renderer = None
        self.version = 0
        self.cache: dict[int, np.ndarray] = {}
        self.frame_index = 0
        self._inflight: list[int] = []  # frames of the newest preview request not yet back
        self.worker = PreviewWorker(self)
        self.worker.done.connect(self._on_rendered)
        self.worker.failed.connect(self._on_render_failed)
        # the window only shuts down busy pages; make sure the idle preview thread never outlives the page
        worker = self.worker
        self.destroyed.connect(lambda *_: worker.shutdown())
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(worker.shutdown)
        self.play_timer = QTimer(self)
        self.play_timer.timeout.connect(self._tick)

        layout = QVBoxLayout(self)
        layout.addLayout(self._model_bar())
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self._seed_panel())
        split.addWidget(self._preview_panel())
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        layout.addWidget(self._timeline_panel())
        self.studio.library_changed.connect(self.refresh_models)
        self.refresh_models()
        self._update_enabled()

    # -- building the page -------------------------------------------------------------------
    def _model_bar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.model_box = QComboBox()
        self.model_box.setMinimumWidth(260)
        self.model_box.setToolTip("A bundled model, one of your runs, or a generator / checkpoint file")
        self.model_box.activated.connect(self._on_model_chosen)
        open_file = QPushButton("Open file…")
        open_file.setToolTip("Open a generator file, a training checkpoint or a run folder's generator.pt")
        open_file.clicked.connect(self._browse_model)
        self.model_info = QLabel("No model open.")
        self.model_info.setStyleSheet("color: #666;")
        open_project = QPushButton("Open project…")
        open_project.setToolTip("Replay a saved walk (a .json project, or the .json sidecar of any export)")
        open_project.clicked.connect(self._browse_project)
        self.save_project_button = QPushButton("Save project…")
        self.save_project_button.clicked.connect(self._browse_save_project)
        row.addWidget(QLabel("Model"))
        row.addWidget(self.model_box)
        row.addWidget(open_file)
        row.addWidget(self.model_info, 1)
        row.addWidget(open_project)
        row.addWidget(self.save_project_button)
        return row

    def _seed_panel(self) -> QWidget:
        box = QGroupBox("Samples")
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        self.seed_start = spin_box(0, 2**31 - 1, 0, "First seed of the grid; each sample is drawn from its own seed")
        self.seed_start.setKeyboardTracking(False)
        self.seed_start.valueChanged.connect(self.render_grid)
        self.grid_size = _combo([("3×3", 9), ("4×4", 16), ("5×5", 25)], "How many samples to show")
        self.grid_size.setCurrentIndex(1)
        self.grid_size.currentIndexChanged.connect(self.render_grid)
        reroll = QPushButton("Re-roll")
        reroll.setToolTip("Jump to a random seed range")
        reroll.clicked.connect(lambda: self.seed_start.setValue(random.randrange(0, 2**31 - 64)))
        row.addWidget(QLabel("Seeds from"))
        row.addWidget(self.seed_start)
        row.addWidget(self.grid_size)
        row.addWidget(reroll)
        v.addLayout(row)
        row = QHBoxLayout()
        self.psi = _dspin(0.0, 2.0, 1.0, 0.05, PSI_TIP)
        self.psi.valueChanged.connect(self._on_psi)
        self.grid_class = _combo([], "Class of the grid's samples (conditional models); pinned keyframes take it")
        self.grid_class.currentIndexChanged.connect(self.render_grid)
        row.addWidget(QLabel("ψ"))
        row.addWidget(self.psi)
        self.grid_class_label = QLabel("Class")
        row.addWidget(self.grid_class_label)
        row.addWidget(self.grid_class, 1)
        v.addLayout(row)
        self.grid = SeedGrid()
        self.grid.selected.connect(lambda i: self._update_enabled())
        v.addWidget(self.grid, 1)
        row = QHBoxLayout()
        self.pin_button = QPushButton("Pin as keyframe")
        self.pin_button.setToolTip("Add the selected sample to the end of the timeline")
        self.pin_button.clicked.connect(self.pin_selected)
        self.free_button = QPushButton("Edit as free vector")
        self.free_button.setToolTip("Copy the selected sample's latent into the free vector below, to nudge it")
        self.free_button.clicked.connect(self.edit_selected_as_free)
        row.addWidget(self.pin_button)
        row.addWidget(self.free_button)
        v.addLayout(row)
        v.addWidget(self._free_panel())
        return box

    def _free_panel(self) -> QWidget:
        box = QGroupBox("Free vector")
        h = QHBoxLayout(box)
        self.free_view = QLabel("Pick a sample and press “Edit as free vector”.")
        self.free_view.setWordWrap(True)
        self.free_view.setFixedSize(96, 96)
        self.free_view.setAlignment(Qt.AlignCenter)
        self.free_view.setStyleSheet("background: #181818; color: #bbbbbb; font-size: 10px;")
        h.addWidget(self.free_view)
        form = QFormLayout()
        self.nudge_size = _dspin(0.01, 3.0, 0.3, 0.05,
                                 "How far one nudge moves the vector (its coordinates are ~N(0, 1))")
        form.addRow("Step", self.nudge_size)
        buttons = QHBoxLayout()
        self.nudge_button = QPushButton("Nudge")
        self.nudge_button.setToolTip("Move the vector a step in a random direction")
        self.nudge_button.clicked.connect(self.nudge)
        self.pin_free_button = QPushButton("Pin")
        self.pin_free_button.setToolTip("Add the free vector to the timeline as a keyframe")
        self.pin_free_button.clicked.connect(self.pin_free)
        buttons.addWidget(self.nudge_button)
        buttons.addWidget(self.pin_free_button)
        form.addRow(buttons)
        h.addLayout(form, 1)
        return box

    def _preview_panel(self) -> QWidget:
        box = QGroupBox("Walk")
        v = QVBoxLayout(box)
        self.preview = QLabel("Pin two or more keyframes to preview the walk.")
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setWordWrap(True)
        self.preview.setMinimumSize(160, 160)  # small enough for a 768 px high screen
        self.preview.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)
        self.preview.setStyleSheet("background: #181818; color: #bbbbbb;")
        v.addWidget(self.preview, 1)
        row = QHBoxLayout()
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self.set_playing)
        self.scrub = QSlider(Qt.Horizontal)
        self.scrub.setToolTip("Scrub through the walk")
        self.scrub.valueChanged.connect(self.show_frame)
        self.frame_label = QLabel("0 / 0")
        self.fps = spin_box(1, export.MAX_FPS, 24,
                            "Frames per second of the preview and of every export (GIF: at most 50)")
        self.fps.valueChanged.connect(self._on_fps)
        row.addWidget(self.play_button)
        row.addWidget(self.scrub, 1)
        row.addWidget(self.frame_label)
        row.addWidget(QLabel("fps"))
        row.addWidget(self.fps)
        v.addLayout(row)
        v.addWidget(self._settings_box())
        self.export_panel = ExportPanel(self.studio, self._make_job)
        v.addWidget(self.export_panel)
        return box

    def _settings_box(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        self.mode = _combo([("Morph through the keyframes", "keyframes"),
                            ("Noise loop around the selected keyframe", "noise")],
                           "Morph from keyframe to keyframe, or wander in a smooth random loop around one")
        self.interp = _combo([("slerp (great circle)", "slerp"), ("lerp (straight line)", "lerp"),
                              ("smooth curve through all keyframes", "smooth")],
                             "slerp keeps latents at a typical length (no washed-out middle); the smooth curve "
                             "(Catmull-Rom) passes every keyframe without a jolt")
        self.easing = _combo([("linear", "linear"), ("ease in-out", "ease-in-out")],
                             "ease in-out slows down at each keyframe so it lingers there")
        self.loop = QCheckBox("Loop (return to the first keyframe)")
        self.loop.setChecked(True)
        self.loop.setToolTip("Close the walk so the animation repeats seamlessly")
        noise = QHBoxLayout()
        self.noise_radius = _dspin(0.0, 10.0, 0.6, 0.1, "How far the loop wanders from the keyframe (in units of z)")
        self.noise_speed = spin_box(1, 32, 1, "Wiggles per loop: higher is busier")
        self.noise_frames = spin_box(2, 5000, 48, "Frames in the noise loop")
        self.noise_seed = spin_box(0, 2**31 - 1, 0, "Which random loop")
        for label, w in (("radius", self.noise_radius), ("speed", self.noise_speed),
                         ("frames", self.noise_frames), ("seed", self.noise_seed)):
            noise.addWidget(QLabel(label))
            noise.addWidget(w)
        for w in (self.mode, self.interp):  # long item texts must not widen the page past a 1366 px screen
            w.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(12)
        form.addRow("Mode", self.mode)
        row = QHBoxLayout()
        row.addWidget(self.interp, 1)
        row.addWidget(self.easing)
        row.addWidget(self.loop)
        form.addRow("Path", row)
        form.addRow("Noise", noise)
        for w in (self.mode, self.interp, self.easing):
            w.currentIndexChanged.connect(self.rebuild_walk)
        self.loop.toggled.connect(self.rebuild_walk)
        for w in (self.noise_radius, self.noise_speed, self.noise_frames, self.noise_seed):
            w.setKeyboardTracking(False)
            w.valueChanged.connect(self.rebuild_walk)
        return box

    def _timeline_panel(self) -> QWidget:
        box = QGroupBox("Keyframes")
        h = QHBoxLayout(box)
        self.timeline = Timeline()
        self.timeline.order_changed.connect(self.rebuild_walk)
        self.timeline.currentRowChanged.connect(self._on_key_selected)
        h.addWidget(self.timeline, 1)
        form = QFormLayout()
        self.key_frames = spin_box(1, 1000, 24, "Frames from this keyframe to the next")
        self.key_frames.setKeyboardTracking(False)
        self.key_frames.valueChanged.connect(self._on_key_edited)
        self.key_class = _combo([], "The class shown at this keyframe: the morph blends classes between keyframes")
        self.key_class.currentIndexChanged.connect(self._on_key_edited)
        form.addRow("Frames to next", self.key_frames)
        self.key_class_label = QLabel("Class")
        form.addRow(self.key_class_label, self.key_class)
        row = QHBoxLayout()
        left, right = QPushButton("◀"), QPushButton("▶")
        left.setToolTip("Move the selected keyframe earlier")
        right.setToolTip("Move the selected keyframe later")
        left.clicked.connect(lambda: self.timeline.move_current(-1))
        right.clicked.connect(lambda: self.timeline.move_current(1))
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected_key)
        for w in (left, right, self.remove_button):
            row.addWidget(w)
        form.addRow(row)
        self.key_editor = QWidget()
        self.key_editor.setLayout(form)
        h.addWidget(self.key_editor)
        return box

    # -- models ------------------------------------------------------------------------------
    def refresh_models(self) -> None:
        current = self.model_box.currentData()
        self.model_box.blockSignals(True)
        self.model_box.clear()
        self.model_box.addItem("Choose a model…", None)
        for entry in self.studio.models():
            if entry.kind == "gan":
                self.model_box.addItem(f"{entry.title} ({entry.source})", str(entry.path))
        if self.g is not None and self.model_box.findData(str(self.g.path)) < 0:
            self.model_box.addItem(self.g.path.name, str(self.g.path))
        if current is not None and self.model_box.findData(current) >= 0:
            self.model_box.setCurrentIndex(self.model_box.findData(current))
        self.model_box.blockSignals(False)

    def _on_model_chosen(self, index: int) -> None:
        path = self.model_box.itemData(index)
        if path:
            self.open_model(path)

    def _browse_model(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open a generator", "", "GAN Studio models (*.pt)")
        if name:
            self.open_model(name)

    def open_model(self, entry_or_path) -> bool:
        """Open a ModelEntry or a path (generator file, checkpoint, run folder); False with a banner if it fails."""
        from ganstudio.core.device import pick_device
        from ganstudio.modelfiles.generator import load_generator

        path = Path(getattr(entry_or_path, "path", entry_or_path))
        try:
            g = load_generator(path, pick_device("auto"))
            if not g.is_image_model:
                raise UserError(f"{path.name} makes 2D points, not images",
                                "open an image model (DCGAN) for a latent walk")
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        self.set_playing(False)
        self.g = g
        self.free_z = None
        self.free_view.clear()
        self.free_view.setText("Pick a sample and press “Edit as free vector”.")
        self.timeline.clear()
        self._fill_classes()
        self.refresh_models()
        self.model_box.setCurrentIndex(self.model_box.findData(str(path)))
        m = g.meta
        bits = [g.config.arch, f"{g.config.img_size} px", f"z {g.z_dim}"]
        if g.num_classes:
            bits.append(f"{g.num_classes} classes")
        if m.get("steps"):
            bits.append(f"{m['steps']} steps")
        self.model_info.setText(" · ".join(bits) + f" · {g.device}")
        self.render_grid()
        self.rebuild_walk()
        self.studio.show_status(f"opened {path.name} for the latent walk")
        return True

    def _fill_classes(self) -> None:
        names = self.g.class_names if self.g else []
        n = self.g.num_classes if self.g else 0
        for box in (self.grid_class, self.key_class):
            box.blockSignals(True)
            box.clear()
            for i in range(n):
                box.addItem(names[i] if i < len(names) else str(i), i)
            box.blockSignals(False)
        for w in (self.grid_class, self.grid_class_label, self.key_class, self.key_class_label):
            w.setVisible(n > 0)

    # -- seeds grid and free vector ----------------------------------------------------------
    def grid_seeds(self) -> list[int]:
        start = self.seed_start.value()
        return list(range(start, min(start + self.grid_size.currentData(), MAX_SEED + 1)))

    def _labels(self, n: int, cls: int | None):
        import torch

        return None if cls is None or not self.g.num_classes else torch.full((n,), cls, dtype=torch.long)

    def render_grid(self) -> None:
        if self.g is None:
            return
        g, seeds, psi, cls = self.g, self.grid_seeds(), self.psi.value(), self.grid_class.currentData()
        labels = self._labels(len(seeds), cls)
        self.worker.submit("grid", tuple(seeds), lambda: g.generate(g.latents(seeds) * psi, labels))

    def _sample(self, z, cls: int | None) -> np.ndarray:
        """One picture for a thumbnail (a single forward pass; fast enough for the GUI thread)."""
        return self.g.generate(z[None].float() * self.psi.value(), self._labels(1, cls))[0]

    def selected_seed(self) -> int | None:
        i = self.grid.current
        return self.grid.seeds[i] if 0 <= i < len(self.grid.seeds) else None

    def pin_selected(self) -> None:
        seed = self.selected_seed()
        if seed is not None:
            self.add_keyframe(Keyframe(seed=seed, cls=self.grid_class.currentData(), frames=self.key_frames.value()))

    def edit_selected_as_free(self) -> None:
        seed = self.selected_seed()
        if seed is not None:
            self.free_z = self.g.latents([seed])[0].double()
            self._show_free()

    def nudge(self) -> None:
        """Move the free vector one step in a random direction (a unit vector times the step)."""
        import torch

        if self.free_z is None:
            return
        self._nudges += 1
        d = torch.randn(self.g.z_dim, generator=torch.Generator().manual_seed(self._nudges), dtype=torch.float64)
        self.free_z = self.free_z + self.nudge_size.value() * d / d.norm() * self.g.z_dim ** 0.5
        self._show_free()

    def _show_free(self) -> None:
        g, z, cls, psi = self.g, self.free_z.clone(), self.grid_class.currentData(), self.psi.value()
        labels = self._labels(1, cls)
        self.worker.submit("free", None, lambda: g.generate(z[None].float() * psi, labels)[0])
        self._update_enabled()

    def pin_free(self) -> None:
        if self.free_z is not None:
            z = tuple(float(x) for x in self.free_z.float())
            self.add_keyframe(Keyframe(z=z, cls=self.grid_class.currentData(), frames=self.key_frames.value()))

    def _on_psi(self) -> None:
        self.render_grid()
        if self.free_z is not None:
            self._show_free()
        self._refresh_thumbnails()
        self.rebuild_walk()

    # -- keyframes ---------------------------------------------------------------------------
    def _key_text(self, index: int, kf: Keyframe) -> str:
        cls = ""
        if self.g is not None and self.g.num_classes and kf.cls is not None:
            names = self.g.class_names
            cls = f"{names[kf.cls] if kf.cls < len(names) else kf.cls} · "
        return f"{index + 1}. {kf.label()}\n{cls}{kf.frames} f"

    def _key_latent(self, kf: Keyframe):
        from ganstudio.walk.render import keyframe_latent

        return keyframe_latent(self.g, kf)

    def add_keyframe(self, kf: Keyframe) -> None:
        if self.g is None:
            return
        try:
            image = self._sample(self._key_latent(kf), kf.cls)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return
        self.timeline.add(kf, image, self._key_text(self.timeline.count(), kf))
        self.timeline.setCurrentRow(self.timeline.count() - 1)
        self.rebuild_walk()

    def keyframes(self) -> list[Keyframe]:
        return self.timeline.keyframes()

    def _refresh_thumbnails(self) -> None:
        """Redraw every keyframe's thumbnail (after ψ or a class changed) in one batched forward pass."""
        import torch
        from PySide6.QtGui import QIcon

        keys = self.keyframes()
        if not keys:
            return
        z = torch.stack([self._key_latent(kf) for kf in keys]).float() * self.psi.value()
        labels = torch.tensor([kf.cls or 0 for kf in keys]) if self.g.num_classes else None
        for i, image in enumerate(self.g.generate(z, labels)):
            item = self.timeline.item(i)
            item.setText(self._key_text(i, keys[i]))
            item.setIcon(QIcon(to_pixmap(image).scaled(72, 72, Qt.KeepAspectRatio, Qt.FastTransformation)))

    def _on_key_selected(self, row: int) -> None:
        if row < 0:
            self._update_enabled()
            return
        kf = self.timeline.item(row).data(Qt.UserRole)
        for w in (self.key_frames, self.key_class):
            w.blockSignals(True)
        self.key_frames.setValue(kf.frames)
        if kf.cls is not None:
            self.key_class.setCurrentIndex(self.key_class.findData(kf.cls))
        for w in (self.key_frames, self.key_class):
            w.blockSignals(False)
        if self.mode.currentData() == "noise":
            self.rebuild_walk()  # the noise loop wanders around the selected keyframe
        self._update_enabled()

    def _on_key_edited(self) -> None:
        row = self.timeline.currentRow()
        if row < 0:
            return
        item = self.timeline.item(row)
        kf = item.data(Qt.UserRole)
        new = replace(kf, frames=self.key_frames.value(), cls=self.key_class.currentData())
        item.setData(Qt.UserRole, new)
        if new.cls != kf.cls:
            self._refresh_thumbnails()
        item.setText(self._key_text(row, new))
        self.rebuild_walk()

    def remove_selected_key(self) -> None:
        row = self.timeline.currentRow()
        if row >= 0:
            self.timeline.takeItem(row)
            for i in range(self.timeline.count()):
                self.timeline.item(i).setText(self._key_text(i, self.timeline.item(i).data(Qt.UserRole)))
            self.rebuild_walk()

    # -- the walk and its preview ------------------------------------------------------------
    def walk(self) -> Walk:
        """The walk the page shows, as it would be saved."""
        return Walk(keyframes=tuple(self.keyframes()), interp=self.interp.currentData(),
                    easing=self.easing.currentData(),
                    loop=self.loop.isChecked(), psi=round(self.psi.value(), 4), mode=self.mode.currentData(),
                    noise_center=max(self.timeline.currentRow(), 0), noise_radius=self.noise_radius.value(),
                    noise_speed=self.noise_speed.value(), noise_frames=self.noise_frames.value(),
                    noise_seed=self.noise_seed.value(), fps=float(self.fps.value()))

    def rebuild_walk(self) -> None:
        """Re-plan after any change; frames already rendered for the old walk are dropped."""
        from ganstudio.walk.render import Renderer, plan

        for i in range(self.timeline.count()):
            self.timeline.item(i).setText(self._key_text(i, self.timeline.item(i).data(Qt.UserRole)))
        self.version += 1
        self.cache.clear()
        self._inflight = []
        self.renderer = None
        walk = self.walk()
        ready = self.g is not None and (len(walk.keyframes) >= 2 or (walk.mode == "noise" and walk.keyframes))
        if ready:
            try:
                self.renderer = Renderer(self.g, plan(self.g, walk))
            except UserError as exc:
                self.studio.show_error(exc.message, exc.hint)
        n = len(self.renderer) if self.renderer else 0
        self.scrub.blockSignals(True)
        self.scrub.setRange(0, max(n - 1, 0))
        self.frame_index = min(self.frame_index, max(n - 1, 0))
        self.scrub.setValue(self.frame_index)
        self.scrub.blockSignals(False)
        if self.renderer is None:
            self.set_playing(False)
            self.preview.clear()
            self.preview.setText("Pin two or more keyframes to preview the walk "
                                 "(or one, with “Noise loop around the selected keyframe”).")
        else:
            self.show_frame(self.frame_index)
        self._update_enabled()

    def frame_count(self) -> int:
        return len(self.renderer) if self.renderer else 0

    def show_frame(self, index: int) -> None:
        """Show frame `index` now if rendered, else ask the worker for it (newest request wins)."""
        n = self.frame_count()
        if n == 0:
            return
        self.frame_index = index % n
        self.frame_label.setText(f"{self.frame_index + 1} / {n}")
        if self.scrub.value() != self.frame_index:
            self.scrub.blockSignals(True)
            self.scrub.setValue(self.frame_index)
            self.scrub.blockSignals(False)
        frame = self.cache.get(self.frame_index)
        if frame is not None:
            self._draw(frame)
            if self.play_timer.isActive():
                self._prefetch(self.frame_index)
        else:
            self._request([self.frame_index])

    def _request(self, indices: list[int]) -> None:
        renderer = self.renderer
        self._inflight = indices
        self.worker.submit("frames", (self.version, indices), lambda: renderer.render(indices))

    def _prefetch(self, index: int) -> None:
        """While playing: ask for the next missing frames (up to a batch) after `index`, unless a
        request is still being rendered (asking again would render the same frames twice)."""
        if self._inflight:
            return
        n = self.frame_count()
        ahead = [(index + k) % n for k in range(1, n + 1)]
        if any(i not in self.cache for i in ahead[:PLAY_BATCH * 2]):
            self._request([i for i in ahead if i not in self.cache][:PLAY_BATCH])

    def _draw(self, frame: np.ndarray) -> None:
        pix = to_pixmap(frame)
        self.preview.setPixmap(pix.scaled(self.preview.size(), Qt.KeepAspectRatio, Qt.FastTransformation))

    def set_playing(self, on: bool) -> None:
        if on and self.frame_count() == 0:
            on = False
        if self.play_button.isChecked() != on:
            self.play_button.blockSignals(True)
            self.play_button.setChecked(on)
            self.play_button.blockSignals(False)
        self.play_button.setText("Pause" if on else "Play")
        if on:
            self.play_timer.start(round(1000 / self.fps.value()))
            self._prefetch(self.frame_index)
        else:
            self.play_timer.stop()

    def _tick(self) -> None:
        nxt = (self.frame_index + 1) % max(self.frame_count(), 1)
        if nxt in self.cache:
            self.show_frame(nxt)
        else:  # wait for the renderer rather than skipping frames
            self._prefetch(self.frame_index)

    def _on_fps(self) -> None:
        """fps only changes timing (preview and exports), not the frames: nothing to re-render."""
        if self.play_timer.isActive():
            self.play_timer.start(round(1000 / self.fps.value()))

    def _on_rendered(self, kind: str, tag: object, result: object) -> None:
        if kind == "grid":
            if tag == tuple(self.grid_seeds()):
                self.grid.set_samples(list(tag), result)
                self._update_enabled()
        elif kind == "free":
            pix = to_pixmap(result).scaled(self.free_view.size(), Qt.KeepAspectRatio, Qt.FastTransformation)
            self.free_view.setPixmap(pix)
        elif kind == "frames":
            version, indices = tag
            if version != self.version:
                return  # rendered for a walk that has changed since
            if indices == self._inflight:
                self._inflight = []
            if len(self.cache) + len(indices) > CACHE_FRAMES:
                self.cache.clear()
            self.cache.update(zip(indices, result))
            if self.frame_index in self.cache:
                self._draw(self.cache[self.frame_index])

    def _on_render_failed(self, kind: str, message: str, hint: str) -> None:
        self._inflight = []
        self.set_playing(False)
        self.studio.show_error(message, hint)

    # -- export ------------------------------------------------------------------------------
    def export_to(self, kind: str, path: Path) -> bool:
        """Export without a file dialog (the Export… button asks for the path, then calls this)."""
        return self.export_panel.start(kind, path)

    def _make_job(self, kind: str, path: Path, settings: ExportSettings) -> Job:
        """Check what can be checked now and return the export thread's work (see ExportPanel)."""
        from ganstudio.core.render import image_grid
        from ganstudio.export.dispatch import check_export, export_frames
        from ganstudio.walk.project import project

        if self.g is None:
            raise UserError("open a model first")
        g, walk, renderer, s = self.g, self.walk(), self.renderer, settings
        export.check_resample(s.resample)
        if kind == "grid":
            seeds, psi, labels = list(self.grid.seeds), self.psi.value(), self._labels(len(self.grid.seeds),
                                                                                     self.grid_class.currentData())
            grid_info = {"seeds": seeds, "class": self.grid_class.currentData(), "psi": psi}

            def grid_job(progress, cancel) -> str:
                picture = image_grid(g.generate(g.latents(seeds) * psi, labels))
                prov = {**project(g, walk), "grid": grid_info, "export": {"kind": kind, **asdict(s)}}
                return str(export.write_png(picture, path, s.scale, s.resample, prov))
            return grid_job
        if renderer is None:
            raise UserError("there is no walk to export yet", "pin two or more keyframes first")
        if kind == "frame":
            index = self.frame_index
            export.check_frames([np.zeros((g.config.img_size,) * 2 + (3,), np.uint8)], s.scale)

            def frame_job(progress, cancel) -> str:
                prov = {**project(g, walk), "frame": index, "export": {"kind": kind, **asdict(s)}}
                return str(export.write_png(renderer.render([index])[0], path, s.scale, s.resample, prov))
            return frame_job
        size = g.config.img_size
        check_export(kind, path, walk.frame_count(), size, size, walk.fps, s)

        def walk_job(progress, cancel) -> str:
            n = len(renderer)
            frames = renderer.render_all(progress=lambda d, t: progress(d, 2 * n), cancel=cancel)
            return export_frames(frames, kind, path, s, walk.fps, walk.loop, project(g, walk),
                                 progress=lambda d, t: progress(n + d, 2 * n), cancelled=cancel)
        return walk_job

    # -- projects ----------------------------------------------------------------------------
    def _browse_save_project(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save walk project", "walk.json", "Walk project (*.json)")
        if name:
            self.save_project(Path(name))

    def save_project(self, path: Path) -> bool:
        from ganstudio.walk.project import save_project

        try:
            save_project(path, self.g, self.walk())
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        self.studio.show_status(f"saved {path}")
        return True

    def _browse_project(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open walk project", "", "Walk project (*.json)")
        if name:
            self.open_project(Path(name))

    def open_project(self, path: Path) -> bool:
        """Load a project (or export sidecar): its model, keyframes and settings."""
        from ganstudio.walk.project import load_project, model_changed
        from ganstudio.walk.render import plan

        try:
            loaded = load_project(path)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        if not loaded.model_path.exists():
            self.studio.show_error(f"the project's model {loaded.model_path} is not there",
                                   "open the model with “Open file…”, then open the project again")
            return False
        same_model = self.g is not None and self.g.path.resolve() == loaded.model_path.resolve()
        if not same_model and not self.open_model(loaded.model_path):
            return False
        try:
            plan(self.g, loaded.walk)  # a walk made for another model (latent size, classes) stops here
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        self.apply_walk(loaded.walk)
        if model_changed(loaded, self.g):
            self.studio.show_error("the model file differs from the one this project was made with",
                                   "the frames will not match the original export")
        self.studio.show_status(f"opened {path.name}")
        return True

    def apply_walk(self, walk: Walk) -> None:
        """Set every control from a saved walk, then rebuild once."""
        controls = (self.interp, self.easing, self.mode, self.loop, self.psi, self.noise_radius, self.noise_speed,
                    self.noise_frames, self.noise_seed, self.fps)
        for w in controls:
            w.blockSignals(True)
        self.interp.setCurrentIndex(self.interp.findData(walk.interp))
        self.easing.setCurrentIndex(self.easing.findData(walk.easing))
        self.mode.setCurrentIndex(self.mode.findData(walk.mode))
        self.loop.setChecked(walk.loop)
        self.psi.setValue(walk.psi)
        self.noise_radius.setValue(walk.noise_radius)
        self.noise_speed.setValue(walk.noise_speed)
        self.noise_frames.setValue(walk.noise_frames)
        self.noise_seed.setValue(walk.noise_seed)
        self.fps.setValue(round(walk.fps))
        for w in controls:
            w.blockSignals(False)
        self.timeline.blockSignals(True)
        self.timeline.clear()
        for i, kf in enumerate(walk.keyframes):
            self.timeline.add(kf, self._sample(self._key_latent(kf), kf.cls), self._key_text(i, kf))
        self.timeline.setCurrentRow(min(walk.noise_center, self.timeline.count() - 1))
        self.timeline.blockSignals(False)
        self.render_grid()
        self.rebuild_walk()

    # -- state -------------------------------------------------------------------------------
    def _update_enabled(self) -> None:
        has_model = self.g is not None
        has_sel = self.selected_seed() is not None
        for w in (self.pin_button, self.free_button):
            w.setEnabled(has_sel)
        for w in (self.nudge_button, self.pin_free_button):
            w.setEnabled(self.free_z is not None)
        self.key_editor.setEnabled(self.timeline.currentRow() >= 0)
        self.play_button.setEnabled(self.frame_count() > 0)
        self.scrub.setEnabled(self.frame_count() > 1)
        self.save_project_button.setEnabled(has_model and self.timeline.count() > 0)
        self.export_panel.set_ready(walk=self.frame_count() > 0, grid=has_model and bool(self.grid.seeds))

    def busy_text(self) -> str:
        return "An export is being written." if self.export_panel.worker is not None else ""

    def shutdown(self) -> None:
        """Stop the threads (the window calls this on close; tests too); a running export is cancelled."""
        self.play_timer.stop()
        self.export_panel.shutdown()
        self.worker.shutdown()

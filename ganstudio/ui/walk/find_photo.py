"""Latent Walk's "Find a photo…": project one of the user's photos into the open model, then pin the
latent found as a keyframe. Opened by the button or by dropping an image file on the page.

The dialog shows the photo with a movable square crop; Start runs `projection.optimise.project` as a
generator job on the page's own `JobRunner` (the thread that alone uses the page's model), with a live
target | current | difference strip and the loss curve; Pause holds it, Stop (or closing the dialog)
ends it with the best latent so far. When it finishes the latent is added to the timeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
)

from ganstudio.core.errors import UserError
from ganstudio.core.images import IMAGE_SUFFIXES, open_image
from ganstudio.projection import events as ev
from ganstudio.projection.optimise import project
from ganstudio.projection.photo import Photo, centre_crop, check_crop, load_photo
from ganstudio.projection.settings import ProjectionControl, ProjectionSettings
from ganstudio.projection.views import psnr, strip
from ganstudio.ui.common.fit_label import FitLabel
from ganstudio.ui.common.jobs import Job
from ganstudio.ui.common.qimage import to_pixmap
from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.train.plots import ScrollingViewBox
from ganstudio.ui.walk.controls import combo
from ganstudio.ui.walk.crop_view import CropView
from ganstudio.walk.timeline import photo_keyframe

PHOTO_FILTER = "Images (" + " ".join(f"*{s}" for s in sorted(IMAGE_SUFFIXES)) + ")"
CURVES = (("loss", (20, 20, 20)), ("pixels", (31, 119, 180)), ("ssim", (44, 160, 44)),
          ("features", (214, 96, 20)), ("pull", (148, 103, 189)))


class LossPlot(pg.PlotWidget):
    """The kept candidate's loss and its parts, step by step (log scale: they fall over decades)."""

    def __init__(self) -> None:
        super().__init__(viewBox=ScrollingViewBox())
        self.setBackground("w")
        self.setLogMode(y=True)
        self.setMinimumHeight(150)
        self.addLegend(offset=(-4, 4), brush=pg.mkBrush(255, 255, 255, 220), labelTextColor=(40, 40, 40))
        self.getPlotItem().showGrid(x=True, y=True, alpha=0.2)
        self.curves = {k: self.plot(pen=pg.mkPen(c, width=2 if k == "loss" else 1), name=k) for k, c in CURVES}
        self.data: dict[str, list[float]] = {k: [] for k, _ in CURVES}
        self.steps: list[int] = []

    def reset(self) -> None:
        self.steps, self.data = [], {k: [] for k, _ in CURVES}
        for curve in self.curves.values():
            curve.setData([], [])

    def add(self, e: ev.Step) -> None:
        self.steps.append(e.step)
        for key in self.data:
            value = e.loss if key == "loss" else e.parts.get(key, np.nan)
            self.data[key].append(value if value > 0 else np.nan)
            self.curves[key].setData(self.steps, self.data[key], connect="finite")


class FindPhotoDialog(QDialog):
    """See the module docstring. `found` holds the last projection found (None before one ends)."""

    def __init__(self, page: Any, path: Path, rgb: np.ndarray) -> None:
        super().__init__(page)
        self.page, self.g, self.path = page, page.session.g, path
        self.setWindowTitle(f"Find {path.name} in {self.g.path.name}")
        self.setModal(True)
        self.control: ProjectionControl | None = None
        self.target: np.ndarray | None = None
        self.photo: Photo | None = None
        self.found: ev.Projection | None = None
        self.crop_view = CropView()
        self.crop_view.set_photo(rgb, self.g.config.img_size)
        self._lay_out()
        self._show_running(False)

    def _settings_form(self) -> QFormLayout:
        form = QFormLayout()
        default = ProjectionSettings()
        spaces: list[tuple[str, object]] = [("one style for every layer (W): easiest to edit", "w"),
                  ("one style per layer (W+): closer to the photo", "w+")] if self.g.has_w else \
            [("its random numbers (z): a DCGAN has no W space, so expect a looser likeness", "z")]
        self.space = combo(spaces, "Where the latent is searched")
        self.steps = spin_box(1, 5000, default.steps, "Optimisation steps (more: closer, slower)")
        self.restarts = spin_box(1, 16, default.restarts, "Starting points tried at once; the best is kept")
        self.cls = combo([("try every class", None)] + [(n, i) for i, n in enumerate(self.g.class_names)],
                         "The photo's class; every class is tried briefly when none is chosen")
        self.side = QSlider(Qt.Orientation.Horizontal)
        self.side.setRange(self.crop_view.min_side(), self.crop_view.max_side())
        self.side.setValue(self.crop_view.crop().size)
        self.side.setToolTip("The size of the square the model sees")
        self.side.valueChanged.connect(self.crop_view.set_side)
        self.crop_view.changed.connect(lambda: self.side.setValue(self.crop_view.crop().size))
        form.addRow("Square", self.side)
        form.addRow("Search in", self.space)
        form.addRow("Steps", self.steps)
        form.addRow("Restarts", self.restarts)
        if self.g.num_classes:
            form.addRow("Class", self.cls)
        return form

    def _lay_out(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.crop_view, 1)
        left.addLayout(self._settings_form())
        right = QVBoxLayout()
        self.preview = FitLabel("Press Start: the photo, what the model draws, and their difference")
        self.preview.setMinimumSize(360, 120)
        self.plot = LossPlot()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        right.addWidget(self.preview, 1)
        right.addWidget(self.plot, 1)
        right.addWidget(self.status)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        buttons = QHBoxLayout()
        self.start_button, self.pause_button = QPushButton("Start"), QPushButton("Pause")
        self.stop_button, self.close_button = QPushButton("Stop"), QPushButton("Close")
        self.pause_button.setCheckable(True)
        self.stop_button.setToolTip("End now; the best latent so far is kept and pinned")
        for b in (self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        self.start_button.clicked.connect(self.start)
        self.pause_button.toggled.connect(self.pause)
        self.stop_button.clicked.connect(self.stop)
        self.close_button.clicked.connect(self.close)
        v = QVBoxLayout(self)
        v.addLayout(body, 1)
        v.addLayout(buttons)
        self.resize(980, 600)

    # -- running -----------------------------------------------------------------------------
    def settings(self) -> ProjectionSettings:
        return ProjectionSettings(space=self.space.currentData(), steps=self.steps.value(),
                                  restarts=self.restarts.value(), cls=self.cls.currentData())

    def start(self) -> bool:
        """Crop the photo and run the projection on the page's runner; False (with a message) if it cannot."""
        try:
            photo = load_photo(self.path, self.g.config.img_size, self.crop_view.crop())
            settings = self.settings()
        except UserError as exc:
            self._error(exc.message, exc.hint)
            return False
        g, control = self.g, ProjectionControl()
        self.photo, self.control, self.found = photo, control, None
        self.plot.reset()
        self.page.runner.submit(Job("projection",
                                    lambda progress, cancelled: project(g, photo, settings, control, cancelled),
                                    on_item=self._on_event, on_failed=self._on_failed,
                                    on_cancelled=lambda: self._show_running(False)))
        self._show_running(True)
        self.status.setText("Searching…")
        return True

    def pause(self, on: bool) -> None:
        if self.control is not None:
            (self.control.pause if on else self.control.resume)()
        self.pause_button.setText("Resume" if on else "Pause")

    def stop(self) -> None:
        if self.control is not None:
            self.control.stop()

    def running(self) -> bool:
        """From Start until its last callback (the result, a failure or a cancel) has been delivered."""
        return self._running

    def _show_running(self, on: bool) -> None:
        self._running = on
        self.start_button.setEnabled(not on)
        for button in (self.pause_button, self.stop_button):
            button.setEnabled(on)
        if not on:
            self.pause_button.setChecked(False)
        for w in (self.crop_view, self.side, self.space, self.steps, self.restarts, self.cls):
            w.setEnabled(not on)

    def _on_event(self, e: Any) -> None:
        if isinstance(e, ev.Started):
            self.target = e.target
            self.status.setText(" ".join(e.notes) or "Searching…")
        elif isinstance(e, ev.Step):
            self.plot.add(e)
            self.status.setText(f"step {e.step} of {e.total} ({e.phase}) · loss {e.loss:.4f}")
        elif isinstance(e, ev.Preview) and self.target is not None:
            self.preview.set_picture(to_pixmap(strip(self.target, e.image)))
        elif isinstance(e, ev.Finished):
            self._finished(e.result)

    def _finished(self, result: ev.Projection) -> None:
        """Show the result and pin it as a keyframe of the page's walk."""
        self.found = result
        self._show_running(False)
        self.preview.set_picture(to_pixmap(strip(result.target, result.image)))
        photo = self.photo
        assert photo is not None
        if self.page.session.g is not self.g:
            self._error("the model changed while the photo was being found, so it was not pinned")
            return
        key = photo_keyframe(result.ws, result.z, result.noise, result.cls, photo.name, photo.sha256,
                             frames=self.page.keys.key_frames.value())
        self.page.add_keyframe(key)
        state = f"stopped at step {result.steps}: the best so far" if result.stopped else f"{result.steps} steps"
        self.status.setText(f"Pinned as keyframe {len(self.page.keyframes())} · PSNR "
                            f"{psnr(result.target, result.image):.1f} dB · {state}")
        self.page.studio.show_status(f"found {photo.name} in {self.g.path.name}")

    def _on_failed(self, message: str, hint: str) -> None:
        self._show_running(False)
        self._error(message, hint)

    def _error(self, message: str, hint: str = "") -> None:
        self.status.setText(f"<span style='color:#b00020'>{message}{f' ({hint})' if hint else ''}</span>")
        self.page.studio.show_error(message, hint)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt override)
        """Closing ends a running projection with its best latent, which is still pinned."""
        self.stop()
        super().closeEvent(event)


class PhotoFinder(QObject):
    """Opens the dialog from the page's button or from an image file dropped on the page."""

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.page = page
        self.dialog: FindPhotoDialog | None = None
        page.setAcceptDrops(True)
        page.installEventFilter(self)
        page.seeds.photo_button.clicked.connect(self.ask)

    def busy(self) -> bool:
        return self.dialog is not None and self.dialog.running()

    def ask(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.page, "Find a photo in the model", "", PHOTO_FILTER)
        if name:
            self.open(Path(name))

    def open(self, path: Path) -> FindPhotoDialog | None:
        """The dialog for `path`; None (with a banner) without a model, or for a photo it cannot use."""
        page = self.page
        if page.session.g is None:
            page.studio.show_error("open a model first", "then find your photo in it")
            return None
        if self.dialog is not None and self.dialog.running():
            page.studio.show_error("a photo is already being found", "stop it first")
            return None
        try:
            img = open_image(path)
            check_crop(centre_crop(*img.size), *img.size, page.session.g.config.img_size, path.name)  # too small?
        except UserError as exc:
            page.studio.show_error(exc.message, exc.hint)
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()  # finished: nothing will call it again
        self.dialog = FindPhotoDialog(page, path, np.asarray(img))
        self.dialog.show()
        return self.dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt override)
        """A drag that carries an image file is welcome anywhere on the page; its drop opens the dialog."""
        if not isinstance(event, (QDragEnterEvent, QDropEvent)):
            return False
        path = _image_path(event)
        if path is None:
            return False
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            self.open(path)
        return True


def _image_path(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The first local image file a drag carries, if any."""
    for url in event.mimeData().urls() if event.mimeData().hasUrls() else []:
        path = Path(url.toLocalFile())
        if url.isLocalFile() and path.suffix.lower() in IMAGE_SUFFIXES:
            return path
    return None

"""The lab's 2D view: D's heat map, real and fake points, G's manifold and push arrows, each a layer
that can be hidden, and a drawing mode in which dragging the mouse adds points of a distribution."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QBoxLayout, QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ganstudio.lab.session import Snapshot

ARROW_LENGTH = 0.06  # share of the view's width for the longest arrow
REAL_COLOUR, FAKE_COLOUR, DRAWN_COLOUR = (30, 140, 60), (150, 60, 190), (20, 20, 20)
LAYERS = ("real", "fake", "heat", "manifold", "arrows")
LAYER_TEXT = {"real": "real data", "fake": "generated", "heat": "D's heat map", "manifold": "G's manifold",
              "arrows": "G's gradients"}
DRAW_STEP = 0.03  # share of the view's width between two points of a stroke


def surface_lut() -> np.ndarray:
    """Purple (D says fake) → white → green (D says real), as in GAN Lab."""
    return pg.ColorMap([0.0, 0.5, 1.0], [(200, 170, 225), (250, 250, 250), (175, 225, 185)]).getLookupTable(0, 1, 256)


class DrawBox(pg.ViewBox):
    """A view box that, in drawing mode, turns clicks and drags into points instead of panning."""

    stroke = Signal(float, float, bool)  # a point drawn, in data coordinates; True while dragging

    def __init__(self) -> None:
        super().__init__()
        self.drawing = False

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph's name)
        if not self.drawing:
            super().mouseClickEvent(ev)
            return
        ev.accept()
        p = self.mapSceneToView(ev.scenePos())
        self.stroke.emit(p.x(), p.y(), False)

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802
        if not self.drawing:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        p = self.mapSceneToView(ev.scenePos())
        self.stroke.emit(p.x(), p.y(), True)


def segments(start: np.ndarray, push: np.ndarray, width: float) -> np.ndarray:
    """(2M, 2) start/end pairs; lengths scaled so the longest arrow is a fixed share of the view."""
    norm = np.linalg.norm(push, axis=1)
    top = float(np.nanmax(norm)) if len(norm) and np.isfinite(norm).any() else 0.0
    scale = ARROW_LENGTH * width / top if top > 0 else 0.0
    return np.stack([start, start + np.nan_to_num(push) * scale], axis=1).reshape(-1, 2)


def manifold_lines(m: np.ndarray, code: np.ndarray | None = None) -> np.ndarray:
    """The manifold as (2K, 2) segment pairs: along the curve (1D noise) or both ways along the grid,
    joining only neighbours of the same latent code (`code`: one per grid point) when there are codes."""
    if code is None:
        code = np.zeros(m.shape[:-1], int)
    if m.ndim == 2:
        pairs, same = [np.stack([m[:-1], m[1:]], 1)], [code[:-1] == code[1:]]
    else:
        pairs = [np.stack([m[:, :-1], m[:, 1:]], 2), np.stack([m[:-1, :], m[1:, :]], 2)]
        same = [code[:, :-1] == code[:, 1:], code[:-1, :] == code[1:, :]]
    return np.concatenate([p[s] for p, s in zip(pairs, same, strict=True)]).reshape(-1, 2)


class LabView(QWidget):
    """Shows one `Snapshot` in a square plot without axes, as GAN Lab does: the heat map, computed over the
    data's square, then fills the whole plot; an optional caption sits right under it. `drawn` holds the
    points of the distribution being drawn; they are shown while drawing and while the run trains on them."""

    drawn_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = DrawBox()
        self.plot = pg.PlotWidget(background="w", viewBox=self.box)
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        for axis in ("left", "bottom"):
            self.plot.hideAxis(axis)
        self.plot.setParent(self)  # placed by resizeEvent: the largest square, at the top, centred across
        self.items: dict[str, pg.GraphicsObject] = {
            "heat": pg.ImageItem(axisOrder="row-major"),
            "manifold": pg.PlotDataItem(pen=pg.mkPen((90, 90, 200, 150), width=1), connect="pairs"),
            "arrows": pg.PlotDataItem(pen=pg.mkPen((110, 110, 110, 190), width=1), connect="pairs"),
            "real": pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(*REAL_COLOUR, 150)),
            "fake": pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(*FAKE_COLOUR, 210)),
        }
        self.items["heat"].setLookupTable(surface_lut())
        for item in self.items.values():
            self.plot.addItem(item)
        self.drawn_item = pg.ScatterPlotItem(size=7, pen=None, brush=pg.mkBrush(*DRAWN_COLOUR, 200))
        self.plot.addItem(self.drawn_item)
        self.toggles: dict[str, QCheckBox] = {}
        self.toggle_bar = QWidget()  # the page places it (below all views): it is not part of this widget
        row = QHBoxLayout(self.toggle_bar)
        row.setContentsMargins(0, 0, 0, 0)
        for name in LAYERS:
            box = self.toggles[name] = QCheckBox(LAYER_TEXT[name])
            box.setChecked(True)
            box.toggled.connect(lambda on, n=name: self.items[n].setVisible(on))
            row.addWidget(box)
        row.addStretch(1)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.hide()
        self.setMinimumSize(160, 160)
        self.drawn: list[tuple[float, float]] = []
        self.on_drawing = False  # the run on view trains on the drawing
        self.bounds = (-2.0, 2.0, -2.0, 2.0)
        self.box.stroke.connect(self.add_point)
        self.shown: Snapshot | None = None

    def follow_layers(self, other: LabView) -> None:
        """Show the layers `other` shows, now and whenever they are toggled."""
        for name, box in other.toggles.items():
            self.toggles[name].setChecked(box.isChecked())
            box.toggled.connect(self.toggles[name].setChecked)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._place()
        super().resizeEvent(event)

    def _place(self) -> None:
        room = self.caption.heightForWidth(min(self.width(), self.height())) + 4 if self.caption.text() else 0
        side = max(min(self.width(), self.height() - room), 1)
        left = (self.width() - side) // 2
        self.plot.setGeometry(left, 0, side, side)
        self.caption.setGeometry(left, side + 2, side, room)

    def set_caption(self, text: str) -> None:
        """A few lines under the plot ('' = none, and the plot takes the whole height)."""
        if text != self.caption.text():
            self.caption.setText(text)
            self.caption.setVisible(bool(text))
            self._place()

    def set_drawing(self, on: bool) -> None:
        self.box.drawing = on
        self.box.setMouseEnabled(not on, not on)
        self.drawn_item.setVisible(on or self.on_drawing)

    def add_point(self, x: float, y: float, dragging: bool = False) -> None:
        """A point of the drawing: every click, and a drag each time it has moved a little."""
        xmin, xmax = self.bounds[:2]
        near = bool(self.drawn) and np.hypot(x - self.drawn[-1][0], y - self.drawn[-1][1]) < DRAW_STEP * (xmax - xmin)
        if dragging and near:
            return
        self.drawn.append((x, y))
        self.drawn_item.setData([p[0] for p in self.drawn], [p[1] for p in self.drawn])
        self.drawn_changed.emit()

    def clear_drawing(self) -> None:
        self.drawn = []
        self.drawn_item.setData([], [])
        self.drawn_changed.emit()

    def set_data(self, real: np.ndarray, bounds: tuple[float, float, float, float], on_drawing: bool = False) -> None:
        self.bounds, self.on_drawing = bounds, on_drawing
        self.drawn_item.setVisible(on_drawing or self.box.drawing)
        self.items["real"].setData(real[:, 0], real[:, 1])
        xmin, xmax, ymin, ymax = bounds
        self.items["heat"].setRect(QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self.plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)

    def show_snapshot(self, snap: Snapshot) -> None:
        self.items["heat"].setImage(snap.heat, levels=(0.0, 1.0), autoLevels=False)
        self.items["fake"].setData(snap.fake[:, 0], snap.fake[:, 1])
        self.items["arrows"].setData(*segments(snap.fake, snap.arrows, self.bounds[1] - self.bounds[0]).T,
                                     connect="pairs")
        self.items["manifold"].setData(*manifold_lines(snap.manifold, snap.manifold_code).T, connect="pairs")
        self.shown = snap


class ViewPair(QWidget):
    """The run's view and, for a lesson run side by side with its fix, the fix's view: next to each other
    in a wide space, one above the other in a tall one, whichever gives the larger squares."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main, self.twin = LabView(), LabView()
        self.twin.follow_layers(self.main)
        self.main_caption, self.twin_title = QLabel("The lesson's run"), QLabel("")
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        boxes = []
        for title, view in ((self.main_caption, self.main), (self.twin_title, self.twin)):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(title)
            column.addWidget(view, 1)
            self.box.addWidget(box, 1)
            boxes.append(box)
        self.twin_box = boxes[1]
        self.show_twin(None)

    def show_twin(self, title: str | None) -> None:
        """Show the fix's view under `title`, or only the run's view (None), captions and all."""
        on = title is not None
        self.twin_box.setVisible(on)
        self.main_caption.setVisible(on)
        self.twin_title.setText(title or "")
        if not on:
            self.main.set_caption("")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        tall = self.height() > self.width()
        self.box.setDirection(QBoxLayout.Direction.TopToBottom if tall else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

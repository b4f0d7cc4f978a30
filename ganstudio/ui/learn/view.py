"""The lab's 2D view: D's heat map, real and fake points, G's manifold and push arrows, each a layer
that can be hidden, and a drawing mode in which dragging the mouse adds points of a distribution."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

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


def manifold_lines(m: np.ndarray) -> np.ndarray:
    """The manifold as (2K, 2) segment pairs: along the curve (1D noise) or both ways along the grid."""
    if m.ndim == 2:
        return np.stack([m[:-1], m[1:]], 1).reshape(-1, 2)
    rows = np.stack([m[:, :-1], m[:, 1:]], 2).reshape(-1, 2)
    cols = np.stack([m[:-1, :], m[1:, :]], 2).reshape(-1, 2)
    return np.concatenate([rows, cols])


class LabView(QWidget):
    """Shows one `Snapshot`; `drawn` holds the points of the distribution being drawn."""

    drawn_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = DrawBox()
        self.plot = pg.PlotWidget(background="w", viewBox=self.box)
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        self.drawn: list[tuple[float, float]] = []
        self.bounds = (-2.0, 2.0, -2.0, 2.0)
        self.box.stroke.connect(self.add_point)
        self.shown: Snapshot | None = None

    def follow_layers(self, other: LabView) -> None:
        """Show the layers `other` shows, now and whenever they are toggled."""
        for name, box in other.toggles.items():
            self.toggles[name].setChecked(box.isChecked())
            box.toggled.connect(self.toggles[name].setChecked)

    def set_drawing(self, on: bool) -> None:
        self.box.drawing = on
        self.box.setMouseEnabled(not on, not on)

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

    def set_data(self, real: np.ndarray, bounds: tuple[float, float, float, float]) -> None:
        self.bounds = bounds
        self.items["real"].setData(real[:, 0], real[:, 1])
        xmin, xmax, ymin, ymax = bounds
        self.items["heat"].setRect(QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self.plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)

    def show_snapshot(self, snap: Snapshot) -> None:
        self.items["heat"].setImage(snap.heat, levels=(0.0, 1.0), autoLevels=False)
        self.items["fake"].setData(snap.fake[:, 0], snap.fake[:, 1])
        self.items["arrows"].setData(*segments(snap.fake, snap.arrows, self.bounds[1] - self.bounds[0]).T,
                                     connect="pairs")
        self.items["manifold"].setData(*manifold_lines(snap.manifold).T, connect="pairs")
        self.shown = snap

"""GAN Lab-style live view of a 2D run: D's decision surface, real and fake points, G's push arrows,
and a small figure of how many modes of the mixture the generator captures."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ganstudio.train import events as ev

ARROW_LENGTH = 0.06  # share of the view's width for the longest arrow
REAL_COLOUR, FAKE_COLOUR = (30, 140, 60), (150, 60, 190)


def _surface_lut() -> np.ndarray:
    """Purple (D says fake) → white → green (D says real), as in GAN Lab."""
    return pg.ColorMap([0.0, 0.5, 1.0], [(200, 170, 225), (250, 250, 250), (175, 225, 185)]).getLookupTable(0, 1, 256)


class PointsView(QWidget):
    """Redrawn from the newest `PointsView` event; modes captured from `Metrics` events."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        self.plot.addLegend(offset=(5, 5), labelTextSize="8pt")
        self.surface = pg.ImageItem(axisOrder="row-major")
        self.surface.setLookupTable(_surface_lut())
        self.surface.setLevels((0.0, 1.0))
        self.plot.addItem(self.surface)
        self.arrows = pg.PlotDataItem(pen=pg.mkPen((120, 120, 120, 170), width=1), connect="pairs")
        self.plot.addItem(self.arrows)
        self.real = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(*REAL_COLOUR, 170), name="real data")
        self.fake = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(*FAKE_COLOUR, 200), name="generated")
        self.plot.addItem(self.real)
        self.plot.addItem(self.fake)
        self.caption = QLabel("Background: the discriminator's belief (green = real, purple = fake). "
                              "Grey lines: where each generated point is being pushed.")
        self.caption.setWordWrap(True)
        self.modes_plot = pg.PlotWidget(background="w", title="Modes captured")
        self.modes_plot.setMaximumHeight(150)
        self.modes_plot.showGrid(x=True, y=True, alpha=0.2)
        self.modes_curve = self.modes_plot.plot(pen=pg.mkPen((150, 60, 190), width=2), symbol="o", symbolSize=4)
        self.modes_label = QLabel("")
        self.metric_steps: list[int] = []
        self.metric_modes: list[float] = []
        self.last_metrics: dict[str, float] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.modes_label)
        layout.addWidget(self.modes_plot)
        self.step = -1

    def clear(self) -> None:
        for item in (self.real, self.fake):
            item.setData([], [])
        self.arrows.setData([], [])
        self.surface.clear()
        self.metric_steps, self.metric_modes, self.last_metrics = [], [], {}
        self.modes_curve.setData([], [])
        self.modes_label.setText("")
        self.step = -1

    def show_view(self, view: ev.PointsView) -> None:
        xmin, xmax, ymin, ymax = view.bounds
        self.surface.setImage(view.surface, levels=(0.0, 1.0), autoLevels=False)
        self.surface.setRect(QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self.real.setData(view.real[:, 0], view.real[:, 1])
        self.fake.setData(view.fake[:, 0], view.fake[:, 1])
        self.arrows.setData(*self._segments(view.fake, view.arrows, xmax - xmin).T, connect="pairs")
        self.plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)
        self.step = view.step

    @staticmethod
    def _segments(fake: np.ndarray, push: np.ndarray, width: float) -> np.ndarray:
        """(2M, 2) start/end pairs; lengths scaled so the longest arrow is a fixed share of the view."""
        norm = np.linalg.norm(push, axis=1)
        top = float(np.nanmax(norm)) if len(norm) and np.isfinite(norm).any() else 0.0
        scale = ARROW_LENGTH * width / top if top > 0 else 0.0
        ends = fake + np.nan_to_num(push) * scale
        return np.stack([fake, ends], axis=1).reshape(-1, 2)

    def add_metrics(self, metrics: ev.Metrics) -> None:
        """Keep one measurement; `redraw_metrics` draws them, once per batch of events, so that
        replaying thousands of buffered events stays linear."""
        self.last_metrics = metrics.values
        self.metric_steps.append(metrics.step)
        self.metric_modes.append(metrics.values.get("modes", 0.0))

    def redraw_metrics(self) -> None:
        v = self.last_metrics
        total = v.get("modes_total", 0.0)
        self.modes_curve.setData(self.metric_steps, self.metric_modes)
        self.modes_plot.setYRange(0, max(total, 1.0))
        self.modes_label.setText(f"Modes captured: {v.get('modes', 0):.0f} of {total:.0f} · "
                                 f"samples close to a mode: {v.get('hq_share', 0):.0%}")

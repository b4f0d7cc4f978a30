"""Live training curves (pyqtgraph): losses raw + smoothed, D outputs, gradient norms, speed, learning rates.

A panel whose series a run never reports (the CycleGAN panels in a DCGAN run, D outputs in a
CycleGAN run) stays hidden.

Statistics are appended as they arrive (cheap) and drawn only when `redraw` is called by the
page's timer, so the drawing rate is bounded however fast steps come.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

SMOOTHING = 0.9  # exponential moving average factor for the smoothed loss curves
G_COLOUR, D_COLOUR = (214, 96, 20), (31, 119, 180)

# (title, [(key, label, colour, smoothed?)], log-scale y)
PANELS: list[tuple[str, list[tuple[str, str, tuple[int, int, int], bool]], bool]] = [
    ("Loss", [("loss_g", "G", G_COLOUR, True), ("loss_d", "D", D_COLOUR, True)], False),
    ("D(x) real · D(G(z)) fake", [("d_real", "D(x)", (44, 160, 44), False), ("d_fake", "D(G(z))", (148, 103, 189), False)], False),
    ("Gradient norm", [("grad_g", "G", G_COLOUR, False), ("grad_d", "D", D_COLOUR, False)], True),
    ("CycleGAN adversarial", [("g_AB", "G_AB", G_COLOUR, True), ("g_BA", "G_BA", (227, 119, 194), True),
                              ("d_A", "D_A", D_COLOUR, True), ("d_B", "D_B", (23, 190, 207), True)], False),
    ("CycleGAN cycle · identity", [("cycle_A", "A→B→A", (44, 160, 44), True), ("cycle_B", "B→A→B", (148, 103, 189), True),
                                   ("idt_A", "identity A", (140, 86, 75), False), ("idt_B", "identity B", (127, 127, 127), False)],
     False),
    ("Images / s", [("img_per_s", "images/s", (90, 90, 90), False)], False),
    ("Learning rate", [("lr_g", "G", G_COLOUR, False), ("lr_d", "D", D_COLOUR, False)], True),
]


class LivePlots(pg.GraphicsLayoutWidget):
    """Stacked plots sharing the step axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.steps: list[int] = []
        self.values: dict[str, list[float]] = {}
        self.smoothed: dict[str, list[float]] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.smooth_curves: dict[str, pg.PlotDataItem] = {}
        self._log_keys = {key for _, series, log_y in PANELS if log_y for key, *_ in series}
        self._dirty = False
        first = None
        for row, (title, series, log_y) in enumerate(PANELS):
            plot = self.addPlot(row=row, col=0, title=title)
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.setLogMode(y=log_y)
            plot.getAxis("left").setWidth(48)
            if len(series) > 1:
                plot.addLegend(offset=(-5, 5), labelTextSize="8pt")
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            for key, label, colour, smoothed in series:
                if smoothed:
                    faint = pg.mkPen((*colour, 70), width=1)
                    self.curves[key] = plot.plot(pen=faint)
                    self.smooth_curves[key] = plot.plot(pen=pg.mkPen(colour, width=2), name=label)
                else:
                    self.curves[key] = plot.plot(pen=pg.mkPen(colour, width=2), name=label)
        self.plots = [self.getItem(r, 0) for r in range(len(PANELS))]
        self._panel_keys = [[key for key, *_ in series] for _, series, _ in PANELS]

    def clear_data(self) -> None:
        self.steps, self.values, self.smoothed = [], {}, {}
        for curve in (*self.curves.values(), *self.smooth_curves.values()):
            curve.setData([], [])
        self._dirty = False

    def add(self, step: int, values: dict[str, float]) -> None:
        self.steps.append(step)
        for key in self.curves:
            v = float(values.get(key, np.nan))
            if key in self._log_keys and not v > 0:
                v = np.nan  # a log axis cannot show zero or negative values
            self.values.setdefault(key, []).append(v)
            if key in self.smooth_curves:
                series = self.smoothed.setdefault(key, [])
                prev = series[-1] if series and np.isfinite(series[-1]) else v
                series.append(SMOOTHING * prev + (1 - SMOOTHING) * v if np.isfinite(v) else prev)
        self._dirty = True

    def redraw(self) -> bool:
        """Push new data to the curves; False when nothing changed."""
        if not self._dirty:
            return False
        x = np.asarray(self.steps, dtype=np.float64)
        for key, curve in self.curves.items():
            curve.setData(x, np.asarray(self.values[key], dtype=np.float64), connect="finite")
            if key in self.smooth_curves:
                self.smooth_curves[key].setData(x, np.asarray(self.smoothed[key], dtype=np.float64), connect="finite")
        for plot, keys in zip(self.plots, self._panel_keys):
            plot.setVisible(any(np.isfinite(self.values[k]).any() for k in keys))
        self._dirty = False
        return True

    def point_count(self) -> int:
        return len(self.steps)

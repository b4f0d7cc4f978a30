"""The run's numbers over its history: the losses, KL and JS, D's predictions on real and generated
points (their means over time, and their spread at the step on view), and modes and quality as text."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ganstudio.lab.session import PREDICTION_BINS, Snapshot

REAL_PEN, FAKE_PEN = (30, 140, 60), (150, 60, 190)  # the view's colours of real and generated points
CURVES = {"loss_d": ("D's loss", (31, 119, 180)), "loss_g": ("G's loss", (214, 96, 20)),
          "kl": ("KL(real ‖ generated)", (44, 160, 44)), "js": ("JS", (148, 103, 189)),
          "d_real": ("D(real)", REAL_PEN), "d_fake": ("D(fake)", FAKE_PEN)}
PANELS = (("Losses", ("loss_d", "loss_g")), ("Divergence of the densities (nats)", ("kl", "js")),
          ("D(x), mean", ("d_real", "d_fake")))
BIN_WIDTH = 1.0 / PREDICTION_BINS


def _plot(title: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w", title=title)
    plot.setMinimumHeight(110)
    plot.setMaximumHeight(160)
    plot.showGrid(x=True, y=True, alpha=0.2)
    return plot


class Charts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.curves: dict[str, pg.PlotDataItem] = {}
        plots = []
        for title, keys in PANELS:
            plot = _plot(title)
            plot.addLegend(offset=(5, 5), labelTextSize="8pt", labelTextColor=(40, 40, 40),
                           brush=pg.mkBrush(255, 255, 255, 200))
            for key in keys:
                name, colour = CURVES[key]
                self.curves[key] = plot.plot(pen=pg.mkPen(colour, width=2), name=name)
            plots.append(plot)
        plots[2].setToolTip("D's mean verdict on the real and on the generated points: a probability for the BCE "
                            "losses, the critic's raw score for the others")
        layout.addWidget(plots[0])
        layout.addWidget(plots[1])
        row = QHBoxLayout()
        row.addWidget(plots[2], 1)
        row.addWidget(self._histogram(), 1)
        layout.addLayout(row)
        self.figures = QLabel("")
        self.figures.setWordWrap(True)
        layout.addWidget(self.figures)

    def _histogram(self) -> pg.PlotWidget:
        """D's verdicts at the step on view: how many real and generated points it finds how real (0 … 1)."""
        plot = self.histogram_plot = _plot("D(x), this step")
        plot.getAxis("bottom").setTicks([[(0.0, "fake"), (0.5, "0.5"), (1.0, "real")]])
        plot.setXRange(-0.12, 1.12, padding=0)  # room for the end labels
        plot.setToolTip("The share of real (green) and generated (purple) points at each of D's verdicts")
        left = (np.arange(PREDICTION_BINS) + 0.5) * BIN_WIDTH
        self.bars = {}
        for i, (key, colour) in enumerate((("real", REAL_PEN), ("fake", FAKE_PEN))):
            self.bars[key] = pg.BarGraphItem(x=left + (i - 0.5) * BIN_WIDTH / 2, height=np.zeros(PREDICTION_BINS),
                                             width=BIN_WIDTH / 2, brush=pg.mkBrush(*colour, 190), pen=None)
            plot.addItem(self.bars[key])
        return plot

    def show_history(self, history: Sequence[Snapshot], at: Snapshot | None = None) -> None:
        """Curves over the whole history; the figures line and the verdicts are those of `at` (the snapshot on view)."""
        steps = np.array([h.step for h in history], float)
        for key, curve in self.curves.items():
            values = np.array([h.stats.get(key, np.nan) for h in history], float)
            ok = np.isfinite(values)
            curve.setData(steps[ok], values[ok])
        if at is not None:
            self.figures.setText(figures_text(at))
            for row, key in enumerate(("real", "fake")):
                self.bars[key].setOpts(height=at.predictions[row])

    def shown_predictions(self) -> np.ndarray:
        """(2, bins): the bar heights on screen, real then generated."""
        return np.stack([np.asarray(self.bars[k].opts["height"], float) for k in ("real", "fake")])


def figures_text(snap: Snapshot) -> str:
    s = snap.stats
    parts = [f"step {snap.step}", f"D(real) {s['d_real']:.2f}", f"D(fake) {s['d_fake']:.2f}",
             f"G's gradient {s['grad_g']:.3g}", f"KL {s['kl']:.3f}", f"JS {s['js']:.3f}"]
    if "modes" in s:
        parts.append(f"modes {s['modes']:.0f} of {s['modes_total']:.0f}, {s['hq_share']:.0%} close to a mode")
    return " · ".join(parts)

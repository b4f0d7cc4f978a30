"""The run's numbers over its history: the losses, KL and JS, and D's verdicts, modes and quality as text."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ganstudio.lab.session import Snapshot

CURVES = {"loss_d": ("D's loss", (31, 119, 180)), "loss_g": ("G's loss", (214, 96, 20)),
          "kl": ("KL(real ‖ generated)", (44, 160, 44)), "js": ("JS", (148, 103, 189))}


class Charts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.curves: dict[str, pg.PlotDataItem] = {}
        for title, keys in (("Losses", ("loss_d", "loss_g")), ("Divergence of the densities (nats)", ("kl", "js"))):
            plot = pg.PlotWidget(background="w", title=title)
            plot.setMinimumHeight(110)
            plot.setMaximumHeight(160)
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.addLegend(offset=(5, 5), labelTextSize="8pt")
            for key in keys:
                name, colour = CURVES[key]
                self.curves[key] = plot.plot(pen=pg.mkPen(colour, width=2), name=name)
            layout.addWidget(plot)
        self.figures = QLabel("")
        self.figures.setWordWrap(True)
        layout.addWidget(self.figures)

    def show_history(self, history: Sequence[Snapshot], at: Snapshot | None = None) -> None:
        """Curves over the whole history; the figures line is that of `at` (the snapshot on view)."""
        steps = np.array([h.step for h in history], float)
        for key, curve in self.curves.items():
            values = np.array([h.stats.get(key, np.nan) for h in history], float)
            ok = np.isfinite(values)
            curve.setData(steps[ok], values[ok])
        if at is not None:
            self.figures.setText(figures_text(at))


def figures_text(snap: Snapshot) -> str:
    s = snap.stats
    parts = [f"step {snap.step}", f"D(real) {s['d_real']:.2f}", f"D(fake) {s['d_fake']:.2f}",
             f"KL {s['kl']:.3f}", f"JS {s['js']:.3f}"]
    if "modes" in s:
        parts.append(f"modes {s['modes']:.0f} of {s['modes_total']:.0f}, {s['hq_share']:.0%} close to a mode")
    return " · ".join(parts)

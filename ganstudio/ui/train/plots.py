"""Live training curves (pyqtgraph): losses raw + smoothed, D outputs, gradient norms, speed, learning rates.

Only the panels of the chosen model family are shown (`show_family`): the CycleGAN panels for a
CycleGAN, D outputs and gradient norms for the MLP and (conditional) DCGAN. Each panel's colour key
sits in its title line, so it never covers a curve; only the bottom panel labels the shared step axis.

Statistics are appended as they arrive (cheap) and drawn only when `redraw` is called by the
page's timer, so the drawing rate is bounded however fast steps come.
"""

from __future__ import annotations

from math import ceil, floor, log10

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

SMOOTHING = 0.9  # exponential moving average factor for the smoothed loss curves
G_COLOUR, D_COLOUR = (214, 96, 20), (31, 119, 180)
PANEL_MIN_HEIGHT = 95  # px per shown panel; the page scrolls the plots rather than squash them further
LABEL_PX = 22  # vertical room one tick label needs

Series = tuple[str, str, tuple[int, int, int], bool]  # key, label, colour, smoothed?
GAN, CYCLE = frozenset({"mlp", "dcgan", "cdcgan"}), frozenset({"cyclegan"})
ALL = GAN | CYCLE

# (title, series, log-scale y, model families that report it)
PANELS: list[tuple[str, list[Series], bool, frozenset[str]]] = [
    ("Loss", [("loss_g", "G", G_COLOUR, True), ("loss_d", "D", D_COLOUR, True)], False, ALL),
    ("D(x) real · D(G(z)) fake", [("d_real", "D(x)", (44, 160, 44), False),
                                  ("d_fake", "D(G(z))", (148, 103, 189), False)], False, GAN),
    ("Gradient norm", [("grad_g", "G", G_COLOUR, False), ("grad_d", "D", D_COLOUR, False)], True, GAN),
    ("CycleGAN adversarial", [("g_AB", "G_AB", G_COLOUR, True), ("g_BA", "G_BA", (227, 119, 194), True),
                              ("d_A", "D_A", D_COLOUR, True), ("d_B", "D_B", (23, 190, 207), True)], False, CYCLE),
    ("CycleGAN cycle · identity", [("cycle_A", "A→B→A", (44, 160, 44), True),
                                   ("cycle_B", "B→A→B", (148, 103, 189), True),
                                   ("idt_A", "identity A", (140, 86, 75), False),
                                   ("idt_B", "identity B", (127, 127, 127), False)], False, CYCLE),
    ("Images / s", [("img_per_s", "images/s", (90, 90, 90), False)], False, ALL),
    ("Learning rate", [("lr_g", "G", G_COLOUR, False), ("lr_d", "D", D_COLOUR, False)], True, ALL),
]


def _title_html(title: str, series: list[Series]) -> str:
    """The panel's title followed by its colour key (one line; a second line for four series)."""
    if len(series) < 2:
        return title
    keys = "&nbsp; ".join(f"<span style='color: #{r:02x}{g:02x}{b:02x};'>━&nbsp;{label}</span>"
                          for _, label, (r, g, b), _ in series)
    if len(series) > 2:
        return f"{title}<br><span style='font-size: 8pt;'>{keys}</span>"
    return f"{title}&nbsp;&nbsp;&nbsp;{keys}"


class CompactAxis(pg.AxisItem):
    """A log-scale y axis that labels only as many ticks as fit its height, in short labels.

    pyqtgraph labels every minor tick (2·10ⁿ … 9·10ⁿ) of a log axis spanning less than a decade,
    and those labels pile up in a short panel; a steady learning rate is exactly that case.
    """

    def _room(self, size: float) -> int:
        return max(2, int(size // LABEL_PX))

    def logTickValues(self, minVal: float, maxVal: float, size: float, stdTicks):
        room = self._room(size)
        decades = [float(v) for v in range(ceil(minVal), floor(maxVal) + 1)]
        if len(decades) >= 2:
            return [(1.0, decades[:: ceil(len(decades) / room)])]
        for steps in ((1, 2, 5), range(1, 10)):  # 1-2-5, or every digit when that leaves one label
            nice = [v + log10(m) for v in range(floor(minVal), ceil(maxVal) + 1) for m in steps]
            inside = [x for x in nice if minVal <= x <= maxVal]
            if len(inside) >= 2:
                break
        if len(inside) > room:
            inside = inside[:: ceil(len(inside) / room)]
        if not inside:  # a flat line (one learning rate all run): label its middle
            inside = [(minVal + maxVal) / 2]
        return [(None, inside)]

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [_short(10 ** v * scale) for v in values]


def _short(x: float) -> str:
    """A tick label that fits the narrow axis: 0.02, 5, 300, 2e-4, 1.5e5."""
    if x == 0 or 1e-2 <= abs(x) < 1e4:
        return f"{x:.2g}"
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


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
        self._log_keys = {key for _, series, log_y, _ in PANELS if log_y for key, *_ in series}
        self._dirty = False
        self.titles = [title for title, *_ in PANELS]
        self.plots: list[pg.PlotItem] = []
        first = None
        for row, (title, series, log_y, _) in enumerate(PANELS):
            plot = pg.PlotItem(axisItems={"left": CompactAxis("left")})
            plot.setTitle(_title_html(title, series), size="9pt")
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.setLogMode(y=log_y)
            plot.hideButtons()
            plot.getAxis("left").setWidth(44)
            plot.getAxis("bottom").setStyle(showValues=row == len(PANELS) - 1)  # the step axis, labelled once
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            for key, _label, colour, smoothed in series:
                if smoothed:
                    self.curves[key] = plot.plot(pen=pg.mkPen((*colour, 70), width=1))
                    self.smooth_curves[key] = plot.plot(pen=pg.mkPen(colour, width=2))
                else:
                    self.curves[key] = plot.plot(pen=pg.mkPen(colour, width=2))
            self.plots.append(plot)
        self.family = ""
        self.show_family("mlp")

    def panel(self, title: str) -> pg.PlotItem:
        return self.plots[self.titles.index(title)]

    def show_family(self, arch: str) -> None:
        """Show the panels that a model of this architecture reports; the others leave the layout."""
        if arch == self.family:
            return
        self.family = arch
        for plot in self.plots:
            if plot in self.ci.items:
                self.ci.removeItem(plot)  # a merely hidden item would keep its row's room
        shown = [plot for plot, (*_, families) in zip(self.plots, PANELS) if arch in families]
        for row, plot in enumerate(shown):
            self.ci.addItem(plot, row=row, col=0)
        for plot in self.plots:
            plot.setVisible(plot in shown)
        self.setMinimumHeight(len(shown) * PANEL_MIN_HEIGHT)
        # as narrow as the widest title and its colour key: a narrower view would cut the panels off
        self.ci.layout.invalidate()  # the size hints cached before the panels changed are stale
        self.ci.layout.activate()
        self.setMinimumWidth(ceil(self.ci.effectiveSizeHint(Qt.MinimumSize).width()) + 2)

    def shown_titles(self) -> list[str]:
        return [t for t, p in zip(self.titles, self.plots) if p.isVisible()]

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
        self._dirty = False
        return True

    def point_count(self) -> int:
        return len(self.steps)

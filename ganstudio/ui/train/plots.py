"""Live training curves (pyqtgraph): losses raw + smoothed, D outputs, gradient norms, speed, learning rates.

The panels are those of the statistics the chosen model's trainer declares (`show_stats`), so a
new model family brings its own panels without this module knowing it. Each panel's colour key
sits in its title line, so it never covers a curve; only the bottom panel labels the shared step axis.

Statistics are appended as they arrive (cheap) and drawn only when `redraw` is called by the
page's timer, so the drawing rate is bounded however fast steps come.
"""

from __future__ import annotations

import contextlib
from math import ceil, floor, log10

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ganstudio.train.trainer import StatPanel, panels

SMOOTHING = 0.9  # exponential moving average factor for the smoothed loss curves
G_COLOUR, D_COLOUR = (214, 96, 20), (31, 119, 180)
PANEL_MIN_HEIGHT = 95  # px per shown panel; the page scrolls the plots rather than squash them further
LABEL_PX = 22  # vertical room one tick label needs

Series = tuple[str, str, tuple[int, int, int], bool]  # key, label, colour, smoothed?

# How each known statistic is drawn: label in the colour key, colour, smoothed? A statistic a trainer
# declares that is not listed here is drawn under its own name, in the next colour of PALETTE.
STYLES: dict[str, tuple[str, tuple[int, int, int], bool]] = {
    "loss_g": ("G", G_COLOUR, True), "loss_d": ("D", D_COLOUR, True),
    "d_real": ("D(x)", (44, 160, 44), False), "d_fake": ("D(G(z))", (148, 103, 189), False),
    "grad_g": ("G", G_COLOUR, False), "grad_d": ("D", D_COLOUR, False),
    "g_AB": ("G_AB", G_COLOUR, True), "g_BA": ("G_BA", (227, 119, 194), True),
    "d_A": ("D_A", D_COLOUR, True), "d_B": ("D_B", (23, 190, 207), True),
    "cycle_A": ("A→B→A", (44, 160, 44), True), "cycle_B": ("B→A→B", (148, 103, 189), True),
    "idt_A": ("identity A", (140, 86, 75), False), "idt_B": ("identity B", (127, 127, 127), False),
    "img_per_s": ("images/s", (90, 90, 90), False),
    "lr_g": ("G", G_COLOUR, False), "lr_d": ("D", D_COLOUR, False),
}
PALETTE = [(214, 39, 40), (188, 189, 34), (23, 190, 207), (227, 119, 194), (140, 86, 75), (127, 127, 127)]
ONE_LINE_TITLE = 14  # characters of a title that still takes its colour key on the same line
LOG_PANELS = frozenset({"Gradient norm", "Learning rate"})  # panels whose values span decades


def _series(keys: list[str]) -> list[Series]:
    out = []
    for i, key in enumerate(keys):
        label, colour, smoothed = STYLES.get(key, (key, PALETTE[i % len(PALETTE)], False))
        out.append((key, label, colour, smoothed))
    return out


def _title_html(title: str, series: list[Series]) -> str:
    """The panel's title followed by its colour key: one line, or two for more than two series or a
    long title (a wide one-line title would make the plots, and the page, too wide for 1280 px)."""
    if len(series) < 2:
        return title
    keys = "&nbsp; ".join(f"<span style='color: #{r:02x}{g:02x}{b:02x};'>━&nbsp;{label}</span>"
                          for _, label, (r, g, b), _ in series)
    if len(series) > 2 or len(title) > ONE_LINE_TITLE:
        return f"{title}<br><span style='font-size: 8pt;'>{keys}</span>"
    return f"{title}&nbsp;&nbsp;&nbsp;{keys}"


class CompactAxis(pg.AxisItem):
    """A log-scale y axis that labels only as many ticks as fit its height, in short labels.

    pyqtgraph labels every minor tick (2·10ⁿ … 9·10ⁿ) of a log axis spanning less than a decade,
    and those labels pile up in a short panel; a steady learning rate is exactly that case.
    """

    def _room(self, size: float) -> int:
        return max(2, int(size // LABEL_PX))

    def logTickValues(self, minVal: float, maxVal: float, size: float, stdTicks):  # noqa: N802, N803
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

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [_short(10 ** v * scale) for v in values]


def _short(x: float) -> str:
    """A tick label that fits the narrow axis: 0.02, 5, 300, 2e-4, 1.5e5."""
    if x == 0 or 1e-2 <= abs(x) < 1e4:
        return f"{x:.2g}"
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


class ScrollingViewBox(pg.ViewBox):
    """A view box that leaves the wheel to the page: a plot zoomed by a passing scroll would stop
    following the data for the rest of the run. Dragging still pans and zooms on purpose."""

    def wheelEvent(self, ev, axis=None):  # noqa: N802  (pyqtgraph override)
        ev.ignore()


class Panel(pg.PlotItem):
    """A plot whose "A" (back to auto-range) button shows whenever it is not auto-ranging, not only on hover."""

    def updateButtons(self) -> None:  # noqa: N802  (pyqtgraph override)
        with contextlib.suppress(RuntimeError):  # the plot has been deleted
            x, y = self.vb.autoRangeEnabled()
            linked = self.vb.linkedView(0) is not None  # its x follows the top panel, which has the button
            self.autoBtn.setVisible(not ((x or linked) and y))


class LivePlots(pg.GraphicsLayoutWidget):
    """Stacked plots sharing the step axis, one panel per title of the statistics shown (`show_stats`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.steps: list[int] = []
        self.values: dict[str, list[float]] = {}
        self.smoothed: dict[str, list[float]] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.smooth_curves: dict[str, pg.PlotDataItem] = {}
        self._dirty = False
        self._panels: dict[str, tuple[list[str], pg.PlotItem, dict, dict]] = {}  # title → keys, plot, curves
        self._shown: list[str] = []
        self._stats: tuple[StatPanel, ...] = ()
        self._log_keys: set[str] = set()

    def _panel(self, title: str, keys: list[str]) -> pg.PlotItem:
        """The panel of `title` drawing `keys`, made on first use and kept for later runs."""
        known = self._panels.get(title)
        if known is not None and known[0] == keys:
            return known[1]
        plot = Panel(viewBox=ScrollingViewBox(), axisItems={"left": CompactAxis("left")})
        series = _series(keys)
        plot.setTitle(_title_html(title, series), size="9pt")
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.setLogMode(y=title in LOG_PANELS)
        plot.getAxis("left").setWidth(44)
        curves, smooth = {}, {}
        for key, _label, colour, smoothed in series:
            if smoothed:
                curves[key] = plot.plot(pen=pg.mkPen((*colour, 70), width=1))
                smooth[key] = plot.plot(pen=pg.mkPen(colour, width=2))
            else:
                curves[key] = plot.plot(pen=pg.mkPen(colour, width=2))
        self._panels[title] = (keys, plot, curves, smooth)
        return plot

    def panel(self, title: str) -> pg.PlotItem:
        """The panel of `title` (an empty, unshown one when no statistic shown belongs to it)."""
        known = self._panels.get(title)
        return known[1] if known is not None else self._panel(title, [])

    def show_stats(self, stats: tuple[StatPanel, ...]) -> None:
        """Show one panel per title in `stats`, in order; the others leave the layout."""
        if stats == self._stats:
            return
        self._stats = stats
        for _, plot, _, _ in self._panels.values():
            if plot in self.ci.items:
                self.ci.removeItem(plot)  # a merely hidden item would keep its row's room
            plot.setVisible(False)
        grouped = panels(stats)
        self._shown = [title for title, _ in grouped]
        self.curves, self.smooth_curves = {}, {}
        first = None
        for row, (title, keys) in enumerate(grouped):
            plot = self._panel(title, keys)
            _, _, curves, smooth = self._panels[title]
            self.curves.update(curves)
            self.smooth_curves.update(smooth)
            plot.getAxis("bottom").setStyle(showValues=row == len(grouped) - 1)  # the step axis, labelled once
            plot.setXLink(first)  # the first panel unlinks, the others follow it
            if first is None:
                first = plot
            self.ci.addItem(plot, row=row, col=0)
            plot.setVisible(True)
        self._log_keys = {key for title, keys in grouped if title in LOG_PANELS for key in keys}
        self.setMinimumHeight(len(grouped) * PANEL_MIN_HEIGHT)
        # as narrow as the widest title and its colour key: a narrower view would cut the panels off
        self.ci.layout.invalidate()  # the size hints cached before the panels changed are stale
        self.ci.layout.activate()
        self.setMinimumWidth(ceil(self.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize).width()) + 2)

    def shown_titles(self) -> list[str]:
        return list(self._shown)

    def clear_data(self) -> None:
        self.steps, self.values, self.smoothed = [], {}, {}
        for curve in (*self.curves.values(), *self.smooth_curves.values()):
            curve.setData([], [])
        for _, plot, _, _ in self._panels.values():
            plot.enableAutoRange()  # a new run follows its data, whatever the last one was zoomed to
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

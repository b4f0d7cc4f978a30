"""The live plots stay auto-ranged: the wheel scrolls the page, and a manual zoom has a way back."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea

from ganstudio.train.loop import reported_stats
from ganstudio.ui.train.plots import LivePlots


def _plots(qtbot) -> tuple[QScrollArea, LivePlots]:
    plots = LivePlots()
    plots.show_stats(reported_stats("dcgan"))
    for step in range(50):
        plots.add(step, {"loss_g": 1 + step % 3, "loss_d": 0.5, "d_real": 0.6, "d_fake": 0.4})
    plots.redraw()
    area = QScrollArea()
    area.setWidget(plots)
    area.setWidgetResizable(True)
    area.resize(500, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, plots


def _wheel_at(widget, pos: QPoint, notches: int = 3) -> None:
    event = QWheelEvent(QPointF(pos), QPointF(widget.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget.viewport(), event)


def test_the_wheel_over_a_plot_does_not_zoom_it(qtbot):
    _area, plots = _plots(qtbot)
    plot = plots.panel(plots.shown_titles()[0])
    centre = plots.mapFromScene(plot.vb.sceneBoundingRect().center())
    _wheel_at(plots, centre)
    assert all(plot.vb.autoRangeEnabled())  # still following the data


def test_a_manual_zoom_shows_the_auto_button_and_a_new_run_auto_ranges_again(qtbot):
    _, plots = _plots(qtbot)
    plot = plots.panel(plots.shown_titles()[0])
    plot.vb.setRange(xRange=(0, 5))  # what a drag-zoom does
    assert not plot.vb.autoRangeEnabled()[0]
    assert plot.autoBtn.isVisible()  # the visible way back to auto-range
    plots.clear_data()
    assert all(plot.vb.autoRangeEnabled())

"""The live views beside the controls: the plots (scrolled when the window is short) and the preview,
the 2D view for points or the sample grid for images."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QStackedWidget, QWidget

from ganstudio.train import events as ev
from ganstudio.train.loop import reported_stats
from ganstudio.ui.train.plots import LivePlots
from ganstudio.ui.train.points_view import PointsView
from ganstudio.ui.train.samples_view import SampleView


class TrainViews(QSplitter):
    """Plots on the left, the preview on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.plots = LivePlots()
        self.samples = SampleView()
        self.points = PointsView()
        self.preview = QStackedWidget()
        self.preview.addWidget(self.points)
        self.preview.addWidget(self.samples)
        self.plots_scroll = QScrollArea()  # a short window scrolls the plots instead of squashing them
        self.plots_scroll.setWidget(self.plots)
        self.plots_scroll.setWidgetResizable(True)
        self.plots_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plots_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.addWidget(self.plots_scroll)
        self.addWidget(self.preview)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 1)

    def show_model(self, arch: str) -> None:
        """The plots the model's trainer declares, and its preview: the 2D view and modes plot for 2D
        points (MLP), the sample grid for image models."""
        self.plots.show_stats(reported_stats(arch))
        bar = self.plots_scroll.verticalScrollBar().sizeHint().width()
        self.plots_scroll.setMinimumWidth(self.plots.minimumWidth() + bar)
        self.preview.setCurrentWidget(self.points if arch == "mlp" else self.samples)

    def clear(self) -> None:
        self.plots.clear_data()
        self.samples.clear()
        self.points.clear()

    def apply(self, events: list[object]) -> list[object]:
        """Draw a batch of buffered events, each view once, the newest picture of each kind only, so
        replaying thousands of them (a window that was busy, a close during a fast run) stays
        linear; returns the events that are not the views' (the run's lifecycle), in order."""
        rest: list[object] = []
        last_view, metrics = None, False
        last_samples = max((i for i, e in enumerate(events) if isinstance(e, ev.Samples)), default=-1)
        for i, e in enumerate(events):
            if isinstance(e, ev.StepStats):
                self.plots.add(e.step, e.values)
            elif isinstance(e, ev.Samples):
                self.samples.add(e.step, e.grid, show=i == last_samples)
            elif isinstance(e, ev.PointsView):
                last_view = e
            elif isinstance(e, ev.Metrics):
                self.points.add_metrics(e)
                metrics = True
            else:
                rest.append(e)
        if last_view is not None:
            self.points.show_view(last_view)
        if metrics:
            self.points.redraw_metrics()
        self.plots.redraw()
        return rest

"""A batch of buffered events is drawn once per view: closing the window during a fast 2D run
replays every event it had not drawn yet, and that must not redraw a chart per event."""

from __future__ import annotations

import numpy as np

from ganstudio.train import events as ev
from ganstudio.ui.train.views import TrainViews


def test_a_long_backlog_is_drawn_once_and_lifecycle_events_come_back_in_order(qtbot, monkeypatch):
    views = TrainViews()
    qtbot.addWidget(views)
    views.show_model("mlp")
    draws: list[int] = []
    real_set = views.points.modes_curve.setData
    monkeypatch.setattr(views.points.modes_curve, "setData", lambda *a, **k: (draws.append(1), real_set(*a, **k)))
    started = ev.Started(run_dir="r", device="cpu", data="ring8", class_names=(), start_step=0, total_steps=5000)
    finished = object()
    backlog: list[object] = [started]
    for step in range(5000):
        backlog.append(ev.StepStats(step, 5000, {"loss_g": 1.0, "loss_d": 0.5}))
        backlog.append(ev.Metrics(step, {"modes": step % 9, "modes_total": 8.0, "hq_share": 0.5}))
    backlog.append(finished)
    rest = views.apply(backlog)
    assert rest == [started, finished]
    assert len(draws) == 1
    xs, ys = views.points.modes_curve.getData()
    assert len(xs) == 5000 and ys[-1] == 4999 % 9
    assert views.points.modes_label.text().startswith("Modes captured: 4 of 8")
    assert np.isfinite(ys).all()

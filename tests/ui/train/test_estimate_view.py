"""Before Start, the Train form says roughly how long the chosen steps take on this machine."""

from __future__ import annotations

import threading

from ganstudio.ui.train import estimate_view
from tests.ui.conftest import tiny_toy

WAIT = 60_000


def test_the_form_says_how_long_the_steps_take_before_start(qtbot, window, page, monkeypatch):
    threads, real = [], estimate_view.measure

    def counted(cfg, cancelled):
        threads.append(threading.get_ident())
        return real(cfg, cancelled)

    monkeypatch.setattr(estimate_view, "measure", counted)
    window.show_page("Train")
    form, label = page.form, page.form.estimate_label
    tiny_toy(form, steps=1000)
    qtbot.waitUntil(lambda: label.text().startswith("Time: about"), timeout=WAIT)
    assert "on this machine (measured " in label.text() and label.isVisibleTo(page)
    assert threads and threading.get_ident() not in threads  # measured on the page's worker thread
    (t,) = page.estimate.measured.values()
    assert t.step_s > 0 and label.text() == "Time: " + t.text(1000, form.sample_every.value())
    measured = len(threads)
    form.steps.setValue(4000)  # the same step: the figure is rescaled at once, not measured again
    assert label.text() == "Time: " + t.text(4000, form.sample_every.value())
    assert t.run_seconds(4000, 5) > t.run_seconds(1000, 5)
    form.hidden.setValue(24)  # a step of another cost: measured again once the settings are still
    qtbot.waitUntil(lambda: len(page.estimate.measured) == 2, timeout=WAIT)
    assert len(threads) == measured + 1


def test_start_cancels_a_measurement_and_a_run_is_not_measured(qtbot, window, page):
    window.show_page("Train")
    tiny_toy(page.form, steps=20)
    page.estimate.measure_now()  # a measurement under way…
    page.start_button.click()  # …must not hold the run up
    assert page._estimate_settings() is None  # a run is under way: nothing to measure
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert page.run.outcome == "finished"
    qtbot.waitUntil(lambda: page.form.estimate_label.text().startswith("Time: about"), timeout=WAIT)

"""The CLI progress bar: absolute counts, a free-text tail, resumed runs start mid-way."""

import io

import pytest

from ganstudio.cli import progress
from ganstudio.cli.progress import ProgressBar


@pytest.fixture(autouse=True)
def at_once(monkeypatch):
    """Bars show from the first update (the real ones wait DELAY_S, so an instant failure prints no bar)."""
    monkeypatch.setattr(progress, "DELAY_S", 0.0)


def test_the_bar_shows_the_count_and_the_tail():
    out = io.StringIO()
    bar = ProgressBar(200, "train", stream=out)
    bar.update(50, "G 1.250 D 0.500", force=True)
    bar.close()
    last = out.getvalue().rstrip("\n").split("\r")[-1]
    assert last.startswith("train [") and "50/200" in last and "G 1.250 D 0.500" in last
    assert last.count("#") == 7  # a quarter of 30 cells


def test_a_resumed_bar_starts_at_its_first_step_and_never_runs_past_the_end():
    out = io.StringIO()
    bar = ProgressBar(100, "train", stream=out, start=40)
    assert "40/100" in out.getvalue()
    bar.update(250, force=True)
    bar.close()
    assert "100/100" in out.getvalue().split("\r")[-1]


def test_the_total_can_be_learnt_after_the_start():
    out = io.StringIO()
    bar = ProgressBar(1, "photo", stream=out)
    bar.total = 12  # stylize knows its tile count only once the photo is cut
    bar.update(12, force=True)
    bar.close()
    assert "12/12" in out.getvalue().split("\r")[-1]


def test_a_slow_run_shows_its_speed_in_fractions(capsys):
    from ganstudio.cli.train import drive
    from ganstudio.train import events as ev

    events = [ev.Started("run", "cpu", "photos", (), 10, 60), ev.StepStats(11, 60, {"img_per_s": 0.143}),
              ev.Finished(12, "ckpt.pt", "gen.pt")]
    assert drive(iter(events)) == 0
    err = capsys.readouterr().err
    assert "0.143 img/s" in err and "stopped" not in err and "finished at step 12" in err


def test_a_job_that_fails_at_once_prints_no_bar(monkeypatch):
    monkeypatch.setattr(progress, "DELAY_S", 5.0)
    out = io.StringIO()
    bar = ProgressBar(10, "photo", stream=out)
    bar.update(0, force=True)
    bar.close()
    assert out.getvalue() == ""

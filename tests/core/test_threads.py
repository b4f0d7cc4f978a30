"""Thread counts from the run's own step times: the trial, the choice, the re-measure, the window's share."""

from __future__ import annotations

import pytest

from ganstudio.core import threads


def drive(tuner: threads.ThreadTuner, seconds_at: dict[int, float], steps: int) -> list[int]:
    """Run `steps` fake steps whose time depends only on the thread count; the counts used, in order."""
    used = []
    for _ in range(steps):
        n = tuner.threads()
        used.append(n)
        tuner.observe(seconds_at[n])
    return used


def test_the_trial_alternates_the_counts_then_keeps_the_faster():
    tuner = threads.ThreadTuner([2, 1], trials=3)
    used = drive(tuner, {2: 1.0, 1: 0.4}, 8)
    assert used == [2, 1, 1, 2, 2, 1, 1, 2], "one warm-up each, then three interleaved rounds"
    assert tuner.chosen == 1 and tuner.threads() == 1 and tuner.trials_run == 1
    assert tuner.reason == "1 thread: measured 2.50× the speed of 2 threads (0.400 s per step)"
    assert drive(tuner, {2: 1.0, 1: 0.4}, 20) == [1] * 20


def test_a_warm_up_step_does_not_count():
    tuner = threads.ThreadTuner([2, 1], trials=1)
    tuner.observe(100.0)  # 2 threads, first step of the run: allocation, caches
    tuner.observe(1.0)  # 1 thread, warm-up
    tuner.observe(0.5)  # 1 thread
    tuner.observe(0.3)  # 2 threads
    assert tuner.chosen == 2


def test_a_lasting_sharp_slowdown_triggers_one_re_measure():
    tuner = threads.ThreadTuner([2, 1], trials=3, slow=3.0, patience=5)
    drive(tuner, {2: 0.5, 1: 1.0}, 8 + 10)  # quiet: 2 threads win, then ten ordinary steps
    assert tuner.chosen == 2 and tuner.trials_run == 1
    drive(tuner, {2: 4.0, 1: 1.0}, 4)  # four slow steps: a spike, not yet a trend
    assert tuner.trials_run == 1 and tuner.threads() == 2
    drive(tuner, {2: 0.5, 1: 1.0}, 3)  # back to normal resets the count
    drive(tuner, {2: 4.0, 1: 1.0}, 5)  # another job arrived: five slow steps in a row
    assert tuner.threads() == 2, "the new trial starts at all cores"
    drive(tuner, {2: 4.0, 1: 1.0}, 8)
    assert tuner.trials_run == 2 and tuner.chosen == 1, "under load, one thread wins the re-measure"
    drive(tuner, {2: 4.0, 1: 1.0}, 30)
    assert tuner.trials_run == 2, "steady at the new speed: no more trials"


def test_a_long_quiet_stretch_is_re_checked_after_recheck_s():
    now = [0.0]
    tuner = threads.ThreadTuner([2, 1], trials=1, recheck_s=60, clock=lambda: now[0])
    drive(tuner, {2: 2.0, 1: 1.0}, 4)
    assert tuner.chosen == 1
    now[0] = 59.0
    drive(tuner, {2: 0.5, 1: 1.0}, 3)
    assert tuner.trials_run == 1
    now[0] = 61.0
    drive(tuner, {2: 0.5, 1: 1.0}, 1 + 4)  # the step that notices, then the trial: the load has gone
    assert tuner.trials_run == 2 and tuner.chosen == 2


def test_one_option_never_trials():
    tuner = threads.ThreadTuner([1])
    assert drive(tuner, {1: 1.0}, 5) == [1] * 5 and tuner.trials_run == 0


@pytest.mark.parametrize(("cores", "expected"), [(1, [1]), (2, [2, 1]), (8, [8, 4, 1])])
def test_candidates_are_all_cores_half_and_one(cores, expected):
    assert threads.candidates(cores) == expected


def test_window_workers_take_what_a_training_run_leaves(monkeypatch):
    monkeypatch.setattr(threads, "_training", 0)
    assert threads.worker_share(8) == 8, "no run: every core"
    threads.training_uses(6)
    assert threads.worker_share(8) == 2
    threads.training_uses(8)
    assert threads.worker_share(8) == 1, "never none"
    threads.training_uses(0)
    assert threads.worker_share(2) == 2


def test_omp_num_threads_pins_the_count(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert not threads.pinned()
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert threads.pinned()

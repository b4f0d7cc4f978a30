"""The window's one job runner: results in the GUI thread, newest-wins keys, cancel, failures."""

from __future__ import annotations

import threading

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import check_cancel
from ganstudio.ui.common.jobs import Job, JobRunner


def test_result_arrives_in_the_gui_thread(qtbot):
    runner = JobRunner()
    seen = []
    runner.submit(Job("sum", lambda progress, cancelled: (threading.get_ident(), 2 + 3),
                      on_done=lambda r: seen.append((r, threading.get_ident()))))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    (worker_thread, value), gui_thread = seen[0]
    assert value == 5
    assert worker_thread != gui_thread == threading.get_ident()
    assert runner.shutdown()


def test_a_newer_job_of_the_same_key_replaces_the_waiting_one(qtbot):
    runner = JobRunner()
    gate = threading.Event()
    done = []
    runner.submit(Job("block", lambda p, c: gate.wait(5), on_done=lambda r: done.append("block")))
    for n in range(5):
        runner.submit(Job("frame", lambda p, c, n=n: n, on_done=done.append))
    assert runner.pending("frame")
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy() and len(done) >= 2, timeout=5000)
    runner.deliver()
    assert done == ["block", 4]
    assert runner.shutdown()


def test_generator_items_progress_and_failure(qtbot):
    runner = JobRunner()
    items, progress, failures = [], [], []

    def counting(p, c):
        for i in range(3):
            p(i + 1, 3)
            yield i

    def broken(p, c):
        raise UserError("that file is not an image", "pick a PNG or JPEG")

    runner.submit(Job("gen", counting, on_item=items.append, on_progress=lambda d, t: progress.append(d)))
    runner.submit(Job("bad", broken, on_failed=lambda m, h: failures.append((m, h))))
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert items == [0, 1, 2] and progress == [1, 2, 3]
    assert failures == [("that file is not an image", "pick a PNG or JPEG")]
    assert runner.shutdown()


def test_cancel_stops_the_running_job(qtbot):
    runner = JobRunner()
    started, outcome = threading.Event(), []

    def slow(p, cancelled):
        started.set()
        while True:
            check_cancel(cancelled)
            threading.Event().wait(0.005)

    runner.submit(Job("slow", slow, on_cancelled=lambda: outcome.append("cancelled"),
                      on_done=lambda r: outcome.append("done")))
    assert started.wait(5)
    runner.cancel("slow")
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == ["cancelled"]
    assert runner.shutdown()


def test_a_bug_in_a_job_becomes_a_message(qtbot):
    runner = JobRunner()
    failures = []
    runner.submit(Job("oops", lambda p, c: 1 / 0, on_failed=lambda m, h: failures.append(m)))
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert failures[0] == "oops failed unexpectedly: division by zero"  # plain words, no exception class
    runner.submit(Job("after", lambda p, c: "still works", on_done=failures.append))
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=5000)
    assert failures[1] == "still works"
    assert runner.shutdown()


def test_cancel_reports_the_waiting_jobs_it_drops(qtbot):
    runner = JobRunner()
    gate = threading.Event()
    outcome = []
    runner.submit(Job("block", lambda p, c: gate.wait(5), on_done=lambda r: outcome.append("block done")))
    runner.submit(Job("export", lambda p, c: "written", on_done=outcome.append,
                      on_cancelled=lambda: outcome.append("export cancelled")))
    runner.cancel("export")
    assert not runner.pending("export")
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy() and len(outcome) == 2, timeout=5000)
    assert sorted(outcome) == ["block done", "export cancelled"]
    assert runner.shutdown()


def test_a_script_that_never_shuts_its_runner_down_still_exits_cleanly(tmp_path):
    """Destroying a running QThread aborts the process; the runners are stopped at exit instead."""
    import os
    import subprocess
    import sys

    script = tmp_path / "leave_it_running.py"
    script.write_text(
        "import threading\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from ganstudio.core.jobs import check_cancel\n"
        "from ganstudio.ui.common.jobs import Job, JobRunner\n"
        "app = QApplication([])\n"
        "started = threading.Event()\n"
        "def forever(p, cancelled):\n"
        "    started.set()\n"
        "    while True:\n"
        "        check_cancel(cancelled)\n"
        "        threading.Event().wait(0.005)\n"
        "runner = JobRunner()\n"
        "runner.submit(Job('forever', forever))\n"
        "assert started.wait(10)\n"
        "print('leaving')\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "leaving" in done.stdout and "Destroyed while thread" not in done.stderr


def test_a_job_takes_the_cores_a_training_run_leaves(qtbot, monkeypatch):
    import torch

    from ganstudio.core import threads

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("GANSTUDIO_TUNING", raising=False)
    monkeypatch.setattr(threads, "cores", lambda: 2)
    runner = JobRunner()
    seen: list[int] = []
    try:
        threads.training_uses(1)
        runner.submit(Job("a", lambda p, c: torch.get_num_threads(), on_done=seen.append))
        qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
        threads.training_uses(0)
        qtbot.waitUntil(lambda: not runner.busy(), timeout=5000)
        runner.submit(Job("b", lambda p, c: torch.get_num_threads(), on_done=seen.append))
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    finally:
        threads.training_uses(0)
        runner.shutdown()
        torch.set_num_threads(1)  # new threads inherit the last count set: back to the tests' one
    assert seen == [1, 2], "beside a 1-thread run on 2 cores: 1; alone: both"

"""The one way the window runs work off the GUI thread: a `JobRunner` per page.

A job is a plain function `fn(progress, cancelled)` (see `core.jobs`): it returns a result,
or is a generator whose every yielded item is delivered as it comes (a training run's
events). Jobs run one at a time in a single worker thread, in the order they were submitted,
so a model a page loaded is never used by two threads at once. Each job has a key; a job
submitted while another of the same key still waits replaces it, so however fast the user
scrubs, only the newest request is rendered.

Results travel through a deque that a GUI-thread timer drains, and the callbacks run in the
GUI thread. Nothing is emitted from the worker thread: PySide6 6.12's `Signal.emit`
miscounts a reference on every call and crashes the process after some thousands of emits.
Only plain values (numbers, strings, numpy arrays) should cross; a `UserError` becomes
`on_failed(message, hint)`, any other exception a bug report, never a crashed window.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import traceback
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer

from ganstudio.core.device import share_threads
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import CancelCheck, Cancelled, Progress

BUG_HINT = "this is a bug in GAN Studio; the details are printed in the terminal"
POLL_MS = 30
_RUNNERS: weakref.WeakSet[JobRunner] = weakref.WeakSet()  # every live runner, for `_shutdown_all`


@dataclass
class Job:
    """One piece of work and where its outcome goes (each callback runs in the GUI thread)."""

    key: str
    fn: Callable[[Progress, CancelCheck], Any]
    on_done: Callable[[Any], None] | None = None
    on_item: Callable[[Any], None] | None = None  # each item a generator job yields
    on_progress: Callable[[int, int], None] | None = None
    on_failed: Callable[[str, str], None] | None = None
    on_cancelled: Callable[[], None] | None = None


class _Thread(QThread):
    def __init__(self, runner: JobRunner) -> None:
        super().__init__(runner)
        self.runner = runner

    def run(self) -> None:
        self.runner._work()


class JobRunner(QObject):
    """Runs `Job`s in one worker thread that lives only while there is work."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._waiting: dict[str, Job] = {}  # insertion order is submission order
        self._current: Job | None = None
        self._running = False  # the worker has work; set by submit, cleared by the worker when none is left
        self._cancel = threading.Event()
        self._outbox: deque[tuple[Job, str, tuple]] = deque()
        self._thread = _Thread(self)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.deliver)
        _RUNNERS.add(self)

    # -- GUI thread ----------------------------------------------------------------------
    def submit(self, job: Job) -> None:
        """Queue `job`; a waiting job of the same key is dropped in its favour."""
        with self._lock:
            self._waiting.pop(job.key, None)
            self._waiting[job.key] = job
            start, self._running = not self._running, True
        if start:
            self._thread.wait()  # a thread that has just run out of work may still be returning
            self._cancel.clear()
            self._thread.start()
        self._timer.start()

    def pending(self, key: str) -> bool:
        """True while a job of `key` waits or runs."""
        with self._lock:
            return key in self._waiting or (self._current is not None and self._current.key == key)

    def busy(self) -> bool:
        with self._lock:
            return self._running

    def cancel(self, key: str | None = None) -> None:
        """Drop waiting jobs (of `key`, or all) and ask the running one to stop.

        Every cancelled job, waiting or running, gets its `on_cancelled` call; a job replaced by
        a newer one of its key is superseded, not cancelled, and gets none."""
        with self._lock:
            for k in [k for k in self._waiting if key in (None, k)]:
                self._outbox.append((self._waiting.pop(k), "cancelled", ()))
            if self._current is not None and key in (None, self._current.key):
                self._cancel.set()
        self._timer.start()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel everything and wait for the thread; True if it ended in time."""
        self.cancel()
        ended = self._thread.wait(timeout_ms)
        self._timer.stop()
        self._outbox.clear()
        return bool(ended)

    def deliver(self) -> None:
        """Run the callbacks of everything the worker has produced (the timer calls this)."""
        while self._outbox:
            job, what, args = self._outbox.popleft()
            callback = getattr(job, f"on_{what}")
            if callback is not None:
                callback(*args)
        if not self.busy() and not self._outbox:
            self._timer.stop()

    # -- worker thread -------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._waiting:
                    self._current = None
                    self._running = False
                    return
                key = next(iter(self._waiting))
                job = self._current = self._waiting.pop(key)
                self._cancel.clear()
            self._run(job)

    def _run(self, job: Job) -> None:
        def progress(done: int, total: int) -> None:
            self._outbox.append((job, "progress", (done, total)))

        share_threads()  # beside a training run, take only the cores it leaves (core/threads.py)
        try:
            result = job.fn(progress, self._cancel.is_set)
            if isinstance(result, Iterator):
                for item in result:
                    self._outbox.append((job, "item", (item,)))
                result = None
        except Cancelled:
            self._outbox.append((job, "cancelled", ()))
        except UserError as exc:
            self._outbox.append((job, "failed", (exc.message, exc.hint)))
        except Exception as exc:  # the window must survive any bug in a job
            traceback.print_exc()
            self._outbox.append((job, "failed", (f"{job.key} failed unexpectedly: {exc}", BUG_HINT)))
        else:
            self._outbox.append((job, "done", (result,)))


@atexit.register
def _shutdown_all() -> None:
    """Stop every runner's thread before Python tears Qt down: destroying a running QThread aborts
    the process, which a script or test that never closes its window would otherwise hit."""
    for runner in list(_RUNNERS):
        with contextlib.suppress(RuntimeError):  # its Qt object was already deleted, and its thread with it
            runner.shutdown(5_000)

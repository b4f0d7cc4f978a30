"""How many threads torch's intra-op pool uses, chosen from the run's own step times.

On a quiet machine all cores win; with other work on the same cores, OpenMP's threads keep waiting
for each other at the end of every parallel region while one of them is descheduled, and one thread
can be several times faster than two (bench/RESULTS.md). No rule on core counts gets this right,
and the load changes during a run, so the training loop times its real steps: a few at each
candidate count (interleaved, medians), then the faster is kept. A sharp, lasting slowdown (a step
`slow`× the running median, `patience` steps in a row), or `recheck_s` seconds since the last
trial, starts one more trial. The trial steps are ordinary training steps, so nothing is wasted.

The window also runs previews (walks, styles) in other threads of the same process. While a run
trains, `worker_share()` gives those threads the cores the run leaves free (at least one), so the
two do not oversubscribe the CPU. Torch-free: the loop applies the counts.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import deque
from collections.abc import Callable

_training = 0  # threads the running training loop uses (0: none runs)


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def pinned() -> bool:
    """The user fixed the count (OMP_NUM_THREADS, as torchrun does too): never change it."""
    return bool(os.environ.get("OMP_NUM_THREADS", "").strip())


def candidates(n_cores: int) -> list[int]:
    """All cores, half of them (SMT machines: the physical cores), and one."""
    return sorted({n_cores, max(1, n_cores // 2), 1}, reverse=True)


def training_uses(n: int) -> None:
    """The training loop says how many threads it runs on (0 when it ends)."""
    global _training
    _training = n


def worker_share(n_cores: int | None = None) -> int:
    """Threads for another worker of the same process: what a running training loop leaves, at least one."""
    n = cores() if n_cores is None else n_cores
    return max(1, n - _training) if _training else n


class ThreadTuner:
    """Feed it each step's seconds (`observe`); ask it the count for the next step (`threads`)."""

    def __init__(self, options: list[int], trials: int = 3, slow: float = 3.0, patience: int = 5,
                 window: int = 25, recheck_s: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.options, self.trials, self.slow, self.patience = options, trials, slow, patience
        self.clock, self.recheck_s = clock, recheck_s
        self.history: deque[float] = deque(maxlen=window)
        self.chosen = options[0]
        self.reason = "not measured yet"
        self.trials_run = 0
        self._start_trial()

    def _start_trial(self) -> None:
        # one warm-up step per option (a new pool size, caches), then `trials` timed rounds, interleaved
        order = [n for r in range(self.trials + 1) for n in (self.options if r % 2 == 0 else self.options[::-1])]
        self._plan = order if len(self.options) > 1 else []
        self._times: dict[int, list[float]] = {n: [] for n in self.options}
        self._seen: set[int] = set()
        self._slow_steps = 0
        self.history.clear()
        self._trial_at = self.clock()

    def threads(self) -> int:
        return self._plan[0] if self._plan else self.chosen

    def observe(self, seconds: float) -> None:
        if self._plan:
            n = self._plan.pop(0)
            if n in self._seen:
                self._times[n].append(seconds)
            self._seen.add(n)
            if not self._plan:
                self._decide()
            return
        recent = statistics.median(self.history) if len(self.history) >= self.patience else None
        if recent is not None and seconds > self.slow * recent:
            self._slow_steps += 1
            if self._slow_steps >= self.patience:
                self._start_trial()
            return
        self._slow_steps = 0
        self.history.append(seconds)
        if len(self.options) > 1 and self.clock() - self._trial_at >= self.recheck_s:
            self._start_trial()

    def _decide(self) -> None:
        medians = {n: statistics.median(ts) for n, ts in self._times.items()}
        self.chosen = min(medians, key=lambda n: medians[n])
        runner_up = min((n for n in medians if n != self.chosen), key=lambda n: medians[n])
        gain = medians[runner_up] / max(medians[self.chosen], 1e-12)
        self.reason = (f"{_threads(self.chosen)}: measured {gain:.2f}× the speed of {_threads(runner_up)} "
                       f"({medians[self.chosen]:.3f} s per step)")
        self.trials_run += 1


def _threads(n: int) -> str:
    return f"{n} thread{'' if n == 1 else 's'}"

"""The CLI's progress bar."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """A one-line text progress bar on stderr (no extra dependency)."""

    def __init__(self, total: int, label: str = "", stream=sys.stderr) -> None:
        self.total, self.label, self.stream = max(total, 1), label, stream
        self.t0 = time.perf_counter()
        self._last = 0.0

    def update(self, done: int, extra: str = "", force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        frac = min(done / self.total, 1.0)
        bar = "#" * int(30 * frac)
        self.stream.write(f"\r{self.label} [{bar:<30}] {done}/{self.total} {extra}\033[K")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()

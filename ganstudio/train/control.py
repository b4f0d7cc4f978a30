"""Commands from the window or the CLI to a running loop, applied between steps.

Plain `threading` primitives: the loop polls `RunControl` at every step and never learns
who is driving it.
"""

from __future__ import annotations

import threading


class RunControl:
    """Pause, resume, stop, save-now and live learning-rate changes for one run."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()
        self._save = threading.Event()
        self._lock = threading.Lock()
        self._lr: dict[str, float] = {}

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can finish cleanly

    def save_now(self) -> None:
        self._save.set()

    def set_lr(self, lr_g: float | None = None, lr_d: float | None = None) -> None:
        with self._lock:
            if lr_g is not None:
                self._lr["lr_g"] = lr_g
            if lr_d is not None:
                self._lr["lr_d"] = lr_d

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def wait_while_paused(self, timeout: float = 0.1) -> bool:
        """Block up to `timeout`; True once running again."""
        return self._running.wait(timeout)

    def take_save_request(self) -> bool:
        if self._save.is_set():
            self._save.clear()
            return True
        return False

    def take_lr_changes(self) -> dict[str, float]:
        with self._lock:
            changes, self._lr = self._lr, {}
        return changes

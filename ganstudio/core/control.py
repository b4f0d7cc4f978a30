"""Pause, resume and stop for a long loop, driven from the window or the CLI between steps.

Plain `threading` primitives: the loop polls at every step and never learns who drives it.
Training (`train.control.RunControl`) and projection both use this one implementation.
"""

from __future__ import annotations

import threading


class PauseStop:
    """Pause, resume and stop, polled between steps."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can finish cleanly

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def wait_while_paused(self, timeout: float = 0.1) -> bool:
        """Block up to `timeout`; True once running again."""
        return self._running.wait(timeout)

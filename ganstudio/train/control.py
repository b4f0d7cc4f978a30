"""Commands from the window or the CLI to a running training loop, applied between steps."""

from __future__ import annotations

import threading

from ganstudio.core.control import PauseStop


class RunControl(PauseStop):
    """Pause, resume and stop (`PauseStop`), plus save-now and live learning-rate changes for one run."""

    def __init__(self) -> None:
        super().__init__()
        self._save = threading.Event()
        self._lock = threading.Lock()
        self._lr: dict[str, float] = {}

    def save_now(self) -> None:
        self._save.set()

    def set_lr(self, lr_g: float | None = None, lr_d: float | None = None) -> None:
        with self._lock:
            if lr_g is not None:
                self._lr["lr_g"] = lr_g
            if lr_d is not None:
                self._lr["lr_d"] = lr_d

    def take_save_request(self) -> bool:
        if self._save.is_set():
            self._save.clear()
            return True
        return False

    def take_lr_changes(self) -> dict[str, float]:
        with self._lock:
            changes, self._lr = self._lr, {}
        return changes

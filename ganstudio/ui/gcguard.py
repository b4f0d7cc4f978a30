"""Run Python's cyclic garbage collector only in the GUI thread.

An automatic collection can start in whichever thread happens to allocate, e.g. the training
thread, and then destroy Qt objects there, which crashes Qt. So automatic collection is
switched off and a timer in the GUI thread collects instead (young generations often, all
rarely, to keep each pause short).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500
FULL_EVERY = 20  # ticks between full collections


class _Collector(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        self.ticks += 1
        gc.collect(2 if self.ticks % FULL_EVERY == 0 else 0)


def install() -> None:
    """Idempotent; needs a running QApplication (the collector lives as long as it does)."""
    app = QCoreApplication.instance()
    if app is None or app.findChild(_Collector) is not None:
        return
    gc.collect()
    gc.disable()
    _Collector(app)

"""Run Python's cyclic garbage collector only in the GUI thread; keep the singletons alive.

An automatic collection can start in whichever thread happens to allocate, e.g. the training
thread, and then destroy Qt objects there, which crashes Qt. So automatic collection is
switched off and a timer in the GUI thread collects instead (young generations often, all
rarely, to keep each pause short).

PySide6 6.12 loses one reference to None / True / False on every `Signal.emit` from Python
(pyqtgraph emits several per redraw); on Python < 3.12 these singletons are not immortal, so
after enough emits the process aborts ("deallocating None"). The same timer tops their
reference counts up, which is harmless and keeps the app alive for any length of run.
"""

from __future__ import annotations

import ctypes
import gc
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500
FULL_EVERY = 20  # ticks between full collections
SINGLETON_FLOOR = 1 << 24  # top up below this many references…
SINGLETON_TOP_UP = 1 << 30  # …by this many


def keep_singletons_alive() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return  # immortal objects: nothing to do
    for obj in (None, True, False):
        if sys.getrefcount(obj) < SINGLETON_FLOOR:
            ctypes.c_ssize_t.from_address(id(obj)).value += SINGLETON_TOP_UP  # ob_refcnt is the first field


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
        keep_singletons_alive()
        gc.collect(2 if self.ticks % FULL_EVERY == 0 else 0)


def install() -> None:
    """Idempotent; needs a running QApplication (the collector lives as long as it does)."""
    app = QCoreApplication.instance()
    if app is None or app.findChild(_Collector) is not None:
        return
    keep_singletons_alive()
    gc.collect()
    gc.disable()
    _Collector(app)

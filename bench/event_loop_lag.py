"""GUI event-loop lag while a DCGAN trains on the CPU through the Train page's worker (issue 3).

A QTimer asks to fire every 10 ms; how late each tick arrives is the lag a user would feel.
Measured first idle, then while training, in the same process. Target: p99 < 50 ms.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/event_loop_lag.py [seconds]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig
from ganstudio.ui.common import gcguard
from ganstudio.ui.common.jobs import JobRunner
from ganstudio.ui.train.worker import TrainWorker

TICK_MS = 10


def measure(app: QApplication, seconds: float) -> np.ndarray:
    """Lateness (ms) of each 10 ms tick over `seconds`."""
    clock = QElapsedTimer()
    clock.start()
    late: list[float] = []
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        late.append(max(0.0, (now - last[0]) / 1e6 - TICK_MS))
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return np.asarray(late[1:])


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    app = QApplication(sys.argv[:1])
    gcguard.install()
    out = tempfile.mkdtemp()
    cfg = TrainConfig(model=ModelConfig(arch="dcgan", z_dim=64, img_size=28, channels=1, base_ch=32),
                      data=DataConfig(kind="folder", path=_images(out)), batch=64, steps=1_000_000,
                      sample_every=20, log_every=5, ckpt_every=1_000_000, device="cpu",
                      out_dir=os.path.join(out, "run"))
    idle = measure(app, seconds / 2)
    runner = JobRunner()  # the Train page's way to run training off the GUI thread
    worker = TrainWorker(cfg, None, runner)
    events: list = []
    worker.start(on_ended=lambda: None)
    while not any(type(e).__name__ == "Started" for e in events):
        app.processEvents()  # the runner delivers events through a GUI-thread timer
        events += worker.take_events()
        time.sleep(0.01)
    pull = QTimer()  # as the Train page does: pull buffered events ten times a second
    pull.setInterval(100)
    pull.timeout.connect(lambda: events.extend(worker.take_events()))
    pull.start()
    busy = measure(app, seconds)
    pull.stop()
    steps = max((getattr(e, "step", 0) for e in events), default=0)
    worker.stop_and_wait()
    print(f"idle:     p50 {np.percentile(idle, 50):.1f} ms  p99 {np.percentile(idle, 99):.1f} ms  ({len(idle)} ticks)")
    print(f"training: p50 {np.percentile(busy, 50):.1f} ms  p99 {np.percentile(busy, 99):.1f} ms  ({len(busy)} ticks, "
          f"{steps} DCGAN steps, {os.cpu_count()} CPUs)")


def _images(out: str) -> str:
    from PIL import Image

    folder = os.path.join(out, "images")
    os.makedirs(folder)
    rng = np.random.default_rng(0)
    for i in range(64):
        Image.fromarray(rng.integers(0, 256, (28, 28), dtype=np.uint8)).save(os.path.join(folder, f"{i}.png"))
    return folder


if __name__ == "__main__":
    main()

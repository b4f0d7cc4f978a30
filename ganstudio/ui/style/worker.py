"""Style transfer jobs in one background thread: quick previews, full-size renders, exports.

Jobs run one at a time, in order, so a loaded style model (whose norms hold per-photo
statistics while it works) is never used by two jobs at once. Only numpy arrays, strings and
numbers cross back to the window.
"""

from __future__ import annotations

import queue
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QThread, Signal

from ganstudio.core.errors import UserError

PREVIEW_SIDE = 1024  # long side of the quick preview: about a screen


@dataclass
class StyleJob:
    """One photo through one style. `out` set → write a file; `stylized` set → skip the network."""

    id: int
    photo: Path
    model: Path
    direction: str
    preview: bool = False
    out: Path | None = None
    strength: float = 1.0
    tile: int = 512
    overlap: int = 64
    max_pixels: int = 100_000_000
    stylized: np.ndarray | None = None
    meta: dict = field(default_factory=dict)


def _shrink(image, side: int):
    from PIL import Image

    scale = side / max(image.size)
    if scale >= 1:
        return image
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.Resampling.LANCZOS)


class StyleWorker(QThread):
    """Runs queued `StyleJob`s; the thread ends whenever the queue is empty and restarts on `submit`,
    so an idle page holds no running thread when the app quits."""

    progress = Signal(int, int, int)  # job id, tiles done, tiles total
    result = Signal(int, object, object, object)  # job id, original RGB(A), stylized RGB at full strength, notes
    saved = Signal(int, str)  # job id, file written
    failed = Signal(int, str, str)  # job id, message, hint
    cancelled = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[StyleJob] = queue.Queue()
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._idle = True
        self._busy = False  # a job is being worked on
        self._models: dict[Path, object] = {}

    def submit(self, job: StyleJob) -> None:
        with self._lock:
            self._jobs.put(job)
            if self._idle:
                self._idle = False
                self.wait()  # a thread that just found the queue empty is ending: let it
                self.start()

    def cancel_all(self) -> None:
        """Drop queued jobs and stop the running one at its next tile."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            self.cancelled.emit(job.id)
        self._cancel.set()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        self.cancel_all()
        return self.wait(timeout_ms)

    def pending(self) -> int:
        """Jobs queued or running."""
        return self._jobs.qsize() + int(self._busy)

    def _model(self, path: Path):
        from ganstudio.style.tiles import load_style_model

        if path not in self._models:
            self._models[path] = load_style_model(path)
        return self._models[path]

    def run(self) -> None:
        while True:
            with self._lock:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    self._idle = True
                    return
                self._busy = True
            self._cancel.clear()
            try:
                self._run(job)
            except UserError as exc:
                self.failed.emit(job.id, exc.message, exc.hint)
            except MemoryError:
                self.failed.emit(job.id, f"{job.photo.name}: the computer ran out of memory",
                                 "use a smaller tile size or close other programs")
            except Exception as exc:  # the window must survive any bug in a job
                traceback.print_exc()
                self.failed.emit(job.id, f"{job.photo.name}: {type(exc).__name__}: {exc}", "this is a bug in GAN Studio")
            finally:
                self._busy = False

    def _run(self, job: StyleJob) -> None:
        from ganstudio.core.jobs import Cancelled
        from ganstudio.style.photos import open_photo, save_image
        from ganstudio.style.tiles import blend, join_alpha, split_alpha, stylize_array

        image, notes = open_photo(job.photo, job.max_pixels)
        if job.preview:
            image = _shrink(image, PREVIEW_SIDE)
        rgb, alpha = split_alpha(image)
        stylized = job.stylized
        if stylized is None or stylized.shape != rgb.shape:
            model = self._model(job.model)
            if job.direction not in model.nets:
                raise UserError(f"unknown direction '{job.direction}'")
            try:
                stylized = stylize_array(model.nets[job.direction], rgb, job.tile, job.overlap, model.device,
                                         progress=lambda d, t: self.progress.emit(job.id, d, t),
                                         cancel=self._cancel.is_set)
            except Cancelled:
                self.cancelled.emit(job.id)
                return
        if job.out is not None:
            save_image(join_alpha(blend(rgb, stylized, job.strength), alpha), job.out, job.meta)
            self.saved.emit(job.id, str(job.out))
            return
        original = np.dstack([rgb, alpha]) if alpha is not None else rgb
        self.result.emit(job.id, original, stylized, notes)

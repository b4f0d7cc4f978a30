"""The evolution of a run as pictures: one RGB frame per snapshot, for an animated export.

Drawn with PIL from the snapshots alone (no network, no Qt), so an export can run while
training goes on: D's heat map as the background, real points in green, generated in purple.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ganstudio.core.jobs import CancelCheck, Cancelled, Progress
from ganstudio.export.dispatch import ExportSettings, check_export, export_frames
from ganstudio.lab.session import Snapshot

FAKE_RGB, REAL_RGB = np.array([200, 170, 225]), np.array([175, 225, 185])  # D says fake → real
REAL_DOT, FAKE_DOT = (30, 140, 60), (150, 60, 190)
N_REAL_DRAWN = 500


def heat_rgb(heat: np.ndarray) -> np.ndarray:
    """(R, R) 0…1 → (R, R, 3) uint8: purple → white → green, as in the page's view."""
    h = np.clip(heat, 0, 1)[..., None]
    white = np.array([250, 250, 250])
    low = FAKE_RGB + (white - FAKE_RGB) * (h * 2)
    high = white + (REAL_RGB - white) * (h * 2 - 1)
    return np.where(h < 0.5, low, high).astype(np.uint8)


def render_frame(snap: Snapshot, real: np.ndarray, bounds: tuple[float, float, float, float],
                 size: int = 256) -> np.ndarray:
    """One (size, size, 3) uint8 frame of a snapshot."""
    xmin, xmax, ymin, ymax = bounds
    img = Image.fromarray(heat_rgb(snap.heat)[::-1]).resize((size, size), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(img)

    def dots(points: np.ndarray, colour: tuple[int, int, int]) -> None:
        pts = points[np.isfinite(points).all(1)]
        xs = (pts[:, 0] - xmin) / (xmax - xmin) * size
        ys = (1 - (pts[:, 1] - ymin) / (ymax - ymin)) * size
        for x, y in zip(xs, ys, strict=True):
            draw.ellipse((x - 1.5, y - 1.5, x + 1.5, y + 1.5), fill=colour)

    dots(real[:N_REAL_DRAWN], REAL_DOT)
    dots(snap.fake, FAKE_DOT)
    draw.text((4, 2), f"step {snap.step}", fill=(40, 40, 40))
    return np.asarray(img)


def export_job(history: Sequence[Snapshot], real: np.ndarray, bounds: tuple[float, float, float, float],
               kind: str, path: str | Path, settings: ExportSettings, fps: float = 12.0, size: int = 256):
    """Check the export now (UserError on a bad target) and return the job `fn(progress, cancelled)`."""
    snaps = list(history)
    check_export(kind, path, len(snaps), size, size, fps, settings)

    def run(progress: Progress, cancelled: CancelCheck) -> str:
        frames = []
        for i, snap in enumerate(snaps):
            if cancelled():
                raise Cancelled
            frames.append(render_frame(snap, real, bounds, size))
            progress(i + 1, 2 * len(snaps))
        provenance = {"app": "GAN Studio", "lab": {"steps": snaps[-1].step if snaps else 0}}
        return export_frames(np.stack(frames), kind, path, settings, fps, True, provenance, progress, cancelled)

    return run

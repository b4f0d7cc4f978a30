"""One way to export rendered frames, for every page and command that makes animations.

    settings = ExportSettings(scale=4, palette="shared")
    check_export("gif", path, n_frames, frame_height, frame_width, fps, settings)  # before rendering
    written = export_frames(frames, "gif", path, settings, fps, loop, provenance, progress, cancelled)

`check_export` raises `UserError` for anything that would fail later (format, fps, sizes,
sheet and folder, an unwritable target), so a caller can refuse before it renders a frame.
`export_frames` writes `frames` ((N, H, W, 3) uint8) as one of `EXPORT_KINDS` and returns a
line saying what was written; the settings travel in the provenance under `export`, so a
replay can reuse them. Everything takes plain values (no walk, no model) and no torch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.atomic import check_writable
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import CancelCheck, Progress
from ganstudio.export import writers

EXPORT_KINDS = ("gif", "webp", "apng", "mp4", "sheet", "frames")


@dataclass(frozen=True)
class ExportSettings:
    """How frames are written (fps and loop belong to the animation). Stored in every export's sidecar."""

    scale: float = 1.0
    resample: str = "nearest"  # nearest | smooth
    colors: int = 256  # GIF palette size
    palette: str = "shared"  # GIF: shared | per-frame
    quality: int = 90  # WebP / MP4
    columns: int | None = None  # sprite sheet (None = as square as possible)


def check_export(kind: str, path: str | Path, n_frames: int, frame_height: int, frame_width: int, fps: float,
                 settings: ExportSettings) -> None:
    """Every check that can fail before rendering: format, fps, sizes, sheet and folder, writable target."""
    if kind not in EXPORT_KINDS:
        raise UserError(f"unknown export '{kind}'", f"use one of {', '.join(EXPORT_KINDS)}")
    path = Path(path).expanduser()
    s = settings
    if kind in writers.FORMATS:
        writers.check_animation(kind, fps, s.quality, s.colors, s.palette, s.resample)
    else:
        writers.check_fps(fps, "sprite sheet")
        writers.check_resample(s.resample)
    blank = np.zeros((frame_height, frame_width, 3), np.uint8)
    _, h, w = writers.check_frames([blank] * n_frames, s.scale)
    if kind == "sheet":
        writers.check_sheet(n_frames, h, w, s.columns)
    elif kind == "frames":
        writers.check_new_folder(path)
    check_writable(path.parent)


def export_frames(frames: np.ndarray, kind: str, path: str | Path, settings: ExportSettings, fps: float,
                  loop: bool, provenance: dict, progress: Progress | None = None,
                  cancelled: CancelCheck | None = None) -> str:
    """Write `frames` as `kind`; returns what was written, for a status line."""
    path = Path(path).expanduser()
    s = settings
    prov = {**provenance, "export": {"kind": kind, **asdict(s)}}
    if kind == "sheet":
        png, js = writers.write_sprite_sheet(frames, path, cols=s.columns, fps=fps, loop=loop, scale=s.scale,
                                             resample=s.resample, provenance=prov, progress=progress,
                                             cancel=cancelled)
        return f"{png} + {js.name}"
    if kind == "frames":
        written = writers.write_frames(frames, path, scale=s.scale, resample=s.resample, provenance=prov,
                                       progress=progress, cancel=cancelled)
        return f"{path}/ ({len(written)} PNGs)"
    writers.write_animation(frames, path, fmt=kind, fps=fps, loop=loop, scale=s.scale, resample=s.resample,
                            quality=s.quality, colors=s.colors, palette=s.palette, provenance=prov,
                            progress=progress, cancel=cancelled)
    return f"{path} (+ {writers.sidecar_path(path).name})"

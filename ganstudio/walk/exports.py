"""The Latent Walk page's exports as jobs: the walk (every kind of `export.dispatch`), one frame, the seed grid.

`export_job` checks everything it can at once (raising UserError before anything is
rendered) and returns `fn(progress, cancelled) -> str`, the work to run off the GUI thread;
the string says what was written. Each export carries the walk project as provenance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import CancelCheck, Progress
from ganstudio.core.render import image_grid
from ganstudio.export import writers
from ganstudio.export.dispatch import ExportSettings, check_export, export_frames
from ganstudio.walk.project import project
from ganstudio.walk.session import WalkSession

ExportJob = Callable[[Progress, CancelCheck], str]


def export_job(session: WalkSession, kind: str, path: Path, settings: ExportSettings) -> ExportJob:
    """The work of exporting `kind` ("grid", "frame" or an `EXPORT_KINDS` kind) to `path`."""
    if session.g is None:
        raise UserError("open a model first")
    writers.check_resample(settings.resample)
    if kind == "grid":
        return _grid_job(session, path, settings)
    if session.renderer is None:
        raise UserError("there is no walk to export yet", "pin two or more keyframes first")
    if kind == "frame":
        return _frame_job(session, path, settings)
    return _walk_job(session, kind, path, settings)


def _grid_job(session: WalkSession, path: Path, s: ExportSettings) -> ExportJob:
    g, walk = session.g, session.current_walk()
    seeds, psi, cls = list(session.grid_seeds_shown), walk.psi, session.grid_class
    labels = session.labels(len(seeds), cls)
    info = {"seeds": seeds, "class": cls, "psi": psi}

    def job(progress: Progress, cancelled: CancelCheck) -> str:
        picture = image_grid(g.generate(g.latents(seeds), labels, psi=psi))
        prov = {**project(g, walk), "grid": info, "export": {"kind": "grid", **asdict(s)}}
        return str(writers.write_png(picture, path, s.scale, s.resample, prov))
    return job


def mixing_grid_job(session: WalkSession, rows: list[int], cols: list[int], group: str, path: Path) -> ExportJob:
    """StyleGAN: the paper's mixing grid as a PNG, with the walk project and the grid as provenance."""
    from ganstudio.walk.stylemix import GROUPS, mixing_grid

    g, walk, cls = session.g, session.current_walk(), session.grid_class
    if g is None or not g.has_w:
        raise UserError("a mixing grid needs a StyleGAN model", "open one (such as monet-stylegan) first")
    if group not in GROUPS or not rows or not cols or len(rows) * len(cols) > 1024:
        raise UserError("a mixing grid needs a layer group and 1–1024 cells", "give a few row and column seeds")
    writers.check_frames([np.zeros((g.config.img_size,) * 2 + (3,), np.uint8)], 1.0)
    info = {"rows": rows, "cols": cols, "layers": group, "psi": walk.psi, "class": cls}

    def job(progress: Progress, cancelled: CancelCheck) -> str:
        picture = mixing_grid(g, rows, cols, group, walk.psi, cls, walk.noise)
        prov = {**project(g, walk), "mixing_grid": info, "export": {"kind": "mixing-grid"}}
        return str(writers.write_png(picture, path, 1.0, "nearest", prov))
    return job


def _frame_job(session: WalkSession, path: Path, s: ExportSettings) -> ExportJob:
    g, walk, renderer, index = session.g, session.current_walk(), session.renderer, session.frame_index
    assert renderer is not None
    writers.check_frames([np.zeros((g.config.img_size,) * 2 + (3,), np.uint8)], s.scale)

    def job(progress: Progress, cancelled: CancelCheck) -> str:
        prov = {**project(g, walk), "frame": index, "export": {"kind": "frame", **asdict(s)}}
        return str(writers.write_png(renderer.render([index])[0], path, s.scale, s.resample, prov))
    return job


def _walk_job(session: WalkSession, kind: str, path: Path, s: ExportSettings) -> ExportJob:
    g, walk, renderer = session.g, session.current_walk(), session.renderer
    assert renderer is not None
    size = g.config.img_size
    check_export(kind, path, walk.frame_count(), size, size, walk.fps, s)

    def job(progress: Progress, cancelled: CancelCheck) -> str:
        n = len(renderer)
        frames = renderer.render_all(progress=lambda d, t: progress(d, 2 * n), cancel=cancelled)
        return export_frames(frames, kind, path, s, walk.fps, walk.loop, project(g, walk),
                             progress=lambda d, t: progress(n + d, 2 * n), cancelled=cancelled)
    return job
